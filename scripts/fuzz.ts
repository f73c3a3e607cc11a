// `npm run fuzz -- [--cases N] [--seed N] [--route TEXT]`: the fuzz suite (test/fuzz/) at depth, with a new
// seed each run unless one is given. It runs the same vitest file `npm test` runs, through environment variables.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    route: { type: 'string' },
    'shrink-seconds': { type: 'string', default: '120' },
  },
});

const cases = Number(values.cases);
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--cases N] [--seed N] [--route TEXT] [--shrink-seconds N]\n');
  process.exit(2);
}
const replay = [`--seed ${seed}`, `--cases ${cases}`, ...(values.route ? [`--route '${values.route}'`] : [])];
process.stdout.write(
  `fuzz: seed ${seed}, ${cases} cases per route (replay: npm run fuzz -- ${replay.join(' ')})\n`,
);

const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz/http-fuzz.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    VETTED_FUZZ_CASES: String(cases),
    VETTED_FUZZ_SEED: String(seed),
    VETTED_FUZZ_SHRINK_MS: String(Number(values['shrink-seconds']) * 1000),
    ...(values.route === undefined ? {} : { VETTED_FUZZ_ROUTE: values.route }),
  },
});
process.stdout.write(`fuzz: seed ${seed} (${result.status === 0 ? 'no failure' : 'failures above'})\n`);
process.exit(result.status ?? 1);
