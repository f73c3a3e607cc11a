#!/usr/bin/env node
// The `vetted` command. Runs the TypeScript source when this Node can (22.18+). On an older Node (the
// machine's, when the command is started outside an npm script) it runs itself again with the Node.js 24
// that `npm install` brought (the optional dependency node-<platform>-<arch>, see package.json), and it
// falls back to the compiled dist/ (`npm run build`) when neither is there. Plain JavaScript, so that any
// Node can read it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli.ts', import.meta.url);
const built = new URL('../dist/cli.js', import.meta.url);
const canRunSource = Boolean(process.features.typescript) && existsSync(source);

/** The Node.js binary of the installed `node-*` optional dependency, if there is one. */
function bundledNode() {
  const require = createRequire(import.meta.url);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  } catch {
    return undefined;
  }
  for (const name of Object.keys(manifest.optionalDependencies ?? {})) {
    if (!name.startsWith('node-')) continue;
    try {
      const packageJson = require.resolve(`${name}/package.json`);
      const bin = JSON.parse(readFileSync(packageJson, 'utf8')).bin?.node;
      const binary = bin ? join(dirname(packageJson), bin) : undefined;
      if (binary && existsSync(binary)) return binary;
    } catch {
      // not installed for this platform
    }
  }
  return undefined;
}

function runWith(binary) {
  const child = spawn(binary, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, VETTED_LAUNCHER_REEXEC: '1' },
  });
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`vetted: cannot start ${binary}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

// Set for the re-run only, so that it cannot loop; not passed on to what the command itself starts.
const reexecuted = process.env.VETTED_LAUNCHER_REEXEC === '1';
delete process.env.VETTED_LAUNCHER_REEXEC;
const bundled = canRunSource || reexecuted ? undefined : bundledNode();

if (bundled) {
  runWith(bundled);
} else if (!canRunSource && !existsSync(built)) {
  process.stderr.write(
    `vetted: Node.js ${process.version} cannot run TypeScript directly (it needs 22.18 or later), and the ` +
      'Node.js 24 that `npm install` brings is not installed: run `npm install`, or `npm run build` first\n',
  );
  process.exit(1);
} else {
  const { runCli } = await import(canRunSource ? source.href : built.href);
  await runCli(process.argv);
}
