import { writeFileSync } from 'node:fs';
import { renderConfigurationDocs } from '../src/config/docs.ts';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigurationDocs());
process.stdout.write('wrote docs/configuration.md\n');
