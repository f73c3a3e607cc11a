import { configSchema, settingNames } from './schema.ts';

/** docs/configuration.md, generated from the schema so the two cannot drift apart. */
export function renderConfigurationDocs(): string {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const sections = settingNames.map((name) => {
    const setting = configSchema.shape[name];
    const fallback = defaults[name];
    return [
      `## \`${name}\``,
      '',
      setting.description ?? '',
      '',
      fallback === undefined
        ? 'Optional.'
        : `Default: \`${JSON.stringify(fallback).replace(/^"|"$/g, '')}\`.`,
    ].join('\n');
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`; edit the schema, not this file. -->',
    '',
    'Vetted reads its settings from environment variables, validates them once at start-up and refuses to start',
    'when one is wrong, naming the variable. `vetted config check` validates the current environment and prints',
    'the effective configuration with secrets hidden.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
