// `npm run bench`: every scenario prints one JSON line; targets are checked against absolute limits where an
// issue names one, and each result carries its ratio to a baseline measured in the same run.
import { benchOidc } from './oidc.ts';
import { benchPassback } from './passback.ts';
import { benchStartup } from './startup.ts';

const scenarios = { startup: benchStartup, oidc: benchOidc, passback: benchPassback };
const only = process.argv.slice(2);
let failed = false;
for (const [name, run] of Object.entries(scenarios)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const result = await run();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!result.pass) failed = true;
}
process.exitCode = failed ? 1 : 0;
