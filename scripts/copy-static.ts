// tsc compiles only TypeScript: copy the pages' static files (CSS, icons) next to the compiled views.
import { cpSync } from 'node:fs';

const outDir = process.argv[2] ?? 'dist';
cpSync(new URL('../src/web/static/', import.meta.url), new URL(`../${outDir}/web/static/`, import.meta.url), {
  recursive: true,
});
