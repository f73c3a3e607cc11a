import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDocs } from './docs.ts';
import { configSchema, settingNames } from './schema.ts';

describe('configuration documentation', () => {
  it('documents every setting', () => {
    for (const name of settingNames) expect(configSchema.shape[name].description, name).toBeTruthy();
  });

  it('is current: run `npm run docs:config` after changing the schema', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderConfigurationDocs());
  });
});
