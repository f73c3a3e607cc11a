#!/usr/bin/env node
// The `vetted` command. Runs the TypeScript source when this Node can (22.18+, or 22.12+ with
// --experimental-strip-types, as `npm start` passes), and the compiled dist/ otherwise (`npm run build`).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
const built = new URL('../dist/cli.js', import.meta.url);
const canRunSource = Boolean(process.features.typescript) && existsSync(source);

if (!canRunSource && !existsSync(built)) {
  process.stderr.write(
    'vetted: this Node.js cannot run TypeScript directly; use Node.js 22.18+ or run `npm run build` first\n',
  );
  process.exit(1);
}

const { runCli } = await import(canRunSource ? source.href : built.href);
await runCli(process.argv);
