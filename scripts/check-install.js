// `npm install`'s last step (the root package's postinstall): checks that the npm scripts run a Node.js that
// can run Vetted (the Node.js 24 of the optional dependency node-<platform>-<arch>, which npm puts first on
// PATH) and that the native addons load in it. Plain JavaScript, so that an older Node can read it too.
//
// better-sqlite3's install script (an implicit `node-gyp rebuild`, which needs the Node headers and so the
// network or a configured nodedir, only to find that the package ships a prebuilt binary for this platform)
// is denied in package.json's allowScripts; its prebuilt Node-API binaries load in any Node from 22 on.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { realpathSync } from 'node:fs';

const require = createRequire(import.meta.url);
const problems = [];

// Without it nothing else is worth checking (the addons need Node 22, and may even crash an older one).
if (!process.features.typescript) {
  fail(
    `npm scripts run Node.js ${process.version} (${process.execPath}), which cannot run TypeScript (22.18 or later ` +
      `can): the optional dependency node-${process.platform}-${process.arch} (Node.js 24) is not installed ` +
      '(installed with --omit=optional, or none exists for this platform); install Node.js 24 yourself',
  );
}

try {
  const Database = require('better-sqlite3');
  new Database(':memory:').prepare('select 1').get();
} catch (error) {
  // The node-<platform>-<arch> packages hold the Node headers beside bin/node, as a Node installation does.
  const nodedir = dirname(dirname(realpathSync(process.execPath)));
  problems.push(
    `better-sqlite3 does not load in Node.js ${process.version} (${error.message}); build it for this Node: ` +
      `cd node_modules/better-sqlite3 && npm exec node-gyp -- rebuild --release --nodedir=${nodedir}`,
  );
}

for (const name of ['@node-rs/argon2', 'sharp']) {
  try {
    await import(name);
  } catch (error) {
    problems.push(`${name} does not load in Node.js ${process.version}: ${error.message}`);
  }
}

if (problems.length > 0) fail(...problems);

function fail(...messages) {
  for (const message of messages) process.stderr.write(`vetted install: ${message}\n`);
  process.exit(1);
}
