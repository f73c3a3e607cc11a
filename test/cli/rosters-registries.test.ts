import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, testEnv } from '../helpers/env.ts';
import { runVetted } from '../helpers/process.ts';

interface RosterJson {
  id: string;
  community: string;
  organization: string;
  entries: number;
  created_at?: string;
}

interface RegistryJson {
  id: string;
  community: string;
  name: string;
  url_template: string;
  has_auth_header: boolean;
  mapping: Record<string, unknown>;
  timeout_ms: number;
  retries: number;
  enabled: boolean;
  created_at: string;
}

const json = (result: { stdout: string }): unknown => JSON.parse(result.stdout);

function file(name: string, text: string): string {
  const path = join(tempDir('vetted-cli-files-'), name);
  writeFileSync(path, text);
  return path;
}

describe('vetted rosters', () => {
  it('imports a roster file, lists it and removes it', async () => {
    const env = testEnv();
    // A spreadsheet's export: BOM, CRLF, headers in its own words, an ignored column, a blank row.
    const csv = file(
      'roster.csv',
      '\uFEFFFirst Name,Last Name,E-mail,Member ID,Subgroup,Unit\r\n' +
        'Ann,Lee,Ann.Lee@Example.com,,Veteran,HQ\r\n' +
        ',,,,,\r\n' +
        'Bob,Ray,,M-1001,service member,2nd\r\n',
    );
    const imported = await runVetted(
      [
        'rosters',
        'import',
        '--community',
        'military',
        '--organization',
        ' Post 12 ',
        '--file',
        csv,
        '--json',
      ],
      env,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const roster = json(imported) as RosterJson;
    expect(roster).toEqual({
      id: expect.any(String),
      community: 'military',
      organization: 'Post 12',
      entries: 2,
    });

    const human = await runVetted(
      ['rosters', 'import', '--community', 'student', '--organization', 'State U', '--file', csv],
      env,
    );
    // Veteran is not a subgroup of Student: the same file is refused there.
    expect(human.code).toBe(1);

    const listed = await runVetted(['rosters', 'list', '--json'], env);
    expect(json(listed) as RosterJson[]).toEqual([
      { ...roster, created_at: expect.stringMatching(/^\d{4}-/) },
    ]);
    const table = await runVetted(['rosters', 'list', '--community', 'military'], env);
    expect(table.stdout).toMatch(
      new RegExp(`^ID +COMMUNITY +ORGANIZATION +ENTRIES +IMPORTED\\n${roster.id} +military +Post 12 +2 `),
    );
    const other = await runVetted(['rosters', 'list', '--community', 'student', '--json'], env);
    expect(json(other) as RosterJson[]).toEqual([]);

    const removed = await runVetted(['rosters', 'remove', roster.id], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`Removed roster ${roster.id}.\n`);
    expect(json(await runVetted(['rosters', 'list', '--json'], env)) as RosterJson[]).toEqual([]);
    const again = await runVetted(['rosters', 'remove', roster.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`vetted: there is no roster ${roster.id}\n`);
  });

  it('refuses a roster with problems, naming each line, and stores nothing', async () => {
    const env = testEnv();
    const csv = file(
      'bad.csv',
      [
        'first_name,last_name,email,subgroup',
        'Ann,Lee,ann@example.com,Veteran',
        ',Ray,bob@example.com,Veteran',
        'Cy,Do,not-an-email,Veteran',
        'Di,Ek,ANN@example.com,Retiree',
        'Ed,Fo,ed@example.com,Admiral',
      ].join('\n'),
    );
    const result = await runVetted(
      ['rosters', 'import', '--community', 'military', '--organization', 'Post 12', '--file', csv, '--json'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      'line 3: A first and a last name are required.',
      'line 4: "not-an-email" is not an email address.',
      'line 5: The email ann@example.com is already on line 2.',
      'line 6: "Admiral" is not a subgroup of Military (one of Service Member, Veteran, Retiree, Military Spouse, Military Family).',
      'vetted: the roster was not imported (4 problems; nothing was stored)',
      '',
    ]);
    expect(json(await runVetted(['rosters', 'list', '--json'], env)) as RosterJson[]).toEqual([]);
  });

  it('refuses a missing file, a file without the needed columns and an unknown community', async () => {
    const env = testEnv();
    const missing = await runVetted(
      ['rosters', 'import', '--community', 'military', '--organization', 'X', '--file', '/nonexistent.csv'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('vetted: cannot read /nonexistent.csv: ENOENT\n');
    const columns = await runVetted(
      [
        'rosters',
        'import',
        '--community',
        'military',
        '--organization',
        'X',
        '--file',
        file('columns.csv', 'name,email\nAnn Lee,ann@example.com\n'),
      ],
      env,
    );
    expect(columns.code).toBe(1);
    expect(columns.stderr).toContain(
      'line 1: The first row must name the columns; missing: first_name, last_name, subgroup.',
    );
    const community = await runVetted(
      ['rosters', 'import', '--community', 'pirates', '--organization', 'X', '--file', '/nonexistent.csv'],
      env,
    );
    expect(community.stderr).toBe('vetted: There is no community "pirates".\n');
    const usage = await runVetted(['rosters', 'import', '--community', 'military', '--file', 'x.csv'], env);
    expect(usage.code).toBe(2);
  });
});

describe('vetted registries', () => {
  const secret = 'Bearer registry-secret-4f1c9a';
  const mapping = {
    verifiedPath: 'data.status',
    verifiedValues: ['active'],
    subgroupPath: 'data.category',
    subgroupMap: { VET: 'veteran', ACT: 'Service Member' },
    referencePath: 'data.id',
  };

  it('adds, lists, disables, enables and removes a registry, never printing its auth header', async () => {
    const env = testEnv();
    const added = await runVetted(
      [
        'registries',
        'add',
        '--community',
        'military',
        '--name',
        'Veterans registry',
        '--url-template',
        'https://registry.example/members/{member_id}?last_name={last_name}',
        '--auth-header',
        `Authorization: ${secret}`,
        '--mapping',
        file('mapping.json', JSON.stringify(mapping)),
        '--json',
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout + added.stderr).not.toContain('registry-secret');
    const registry = json(added) as RegistryJson;
    expect(registry).toEqual({
      id: expect.any(String),
      community: 'military',
      name: 'Veterans registry',
      url_template: 'https://registry.example/members/{member_id}?last_name={last_name}',
      has_auth_header: true,
      // Subgroups in the community's spelling.
      mapping: { ...mapping, subgroupMap: { VET: 'Veteran', ACT: 'Service Member' } },
      timeout_ms: 5000,
      retries: 2,
      enabled: true,
      created_at: expect.stringMatching(/^\d{4}-/),
    });

    const inline = await runVetted(
      [
        'registries',
        'add',
        '--community',
        'nurse',
        '--name',
        'Nursing board',
        '--url-template',
        'https://board.example/licences?email={email}',
        '--mapping',
        '{"verifiedPath":"valid","verifiedValues":[true]}',
        '--timeout-ms',
        '1500',
        '--retries',
        '0',
      ],
      env,
    );
    expect(inline.code, inline.stderr).toBe(0);
    expect(inline.stdout).toMatch(/^Added registry \S+ \(Nursing board, enabled\)\.\n/);

    for (const args of [
      ['registries', 'list', '--json'],
      ['registries', 'list'],
    ]) {
      const listed = await runVetted(args, env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).not.toContain('registry-secret');
      expect(listed.stdout).not.toContain('Authorization');
    }
    const listed = json(await runVetted(['registries', 'list', '--json'], env)) as RegistryJson[];
    expect(listed.map((item) => [item.name, item.has_auth_header, item.timeout_ms, item.retries])).toEqual([
      ['Nursing board', false, 1500, 0],
      ['Veterans registry', true, 5000, 2],
    ]);
    const military = json(
      await runVetted(['registries', 'list', '--community', 'military', '--json'], env),
    ) as RegistryJson[];
    expect(military.map((item) => item.id)).toEqual([registry.id]);

    const disabled = await runVetted(['registries', 'disable', registry.id], env);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toBe(`Disabled registry ${registry.id} (Veterans registry).\n`);
    const table = await runVetted(['registries', 'list', '--community', 'military'], env);
    expect(table.stdout).toMatch(
      new RegExp(`${registry.id} +military +Veterans registry +no +header +5000 ms +2 `),
    );
    const enabled = await runVetted(['registries', 'enable', registry.id, '--json'], env);
    expect(json(enabled) as RegistryJson).toMatchObject({ id: registry.id, enabled: true });
    expect(enabled.stdout).not.toContain('registry-secret');

    const removed = await runVetted(['registries', 'remove', registry.id, '--json'], env);
    expect(json(removed)).toEqual({ removed: registry.id });
    const remaining = json(await runVetted(['registries', 'list', '--json'], env)) as RegistryJson[];
    expect(remaining.map((item) => item.name)).toEqual(['Nursing board']);
    for (const verb of ['enable', 'disable', 'remove']) {
      const gone = await runVetted(['registries', verb, registry.id], env);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toBe(`vetted: there is no registry ${registry.id}\n`);
    }
  });

  it.each([
    [['--url-template', 'https://{email}/members'], 'placeholders only after the host', 1],
    [['--url-template', 'https://r.example/{ssn}'], 'unknown placeholder {ssn}', 1],
    [['--auth-header', `Authorization ${secret}`], 'must look like "Name: value"', 1],
    [['--mapping', '{"verifiedPath":'], 'the mapping is not valid JSON', 1],
    [['--mapping', '/nonexistent.json'], 'cannot read /nonexistent.json: ENOENT', 1],
    [['--mapping', '{"verifiedPath":"status","verifiedValues":[]}'], 'The response mapping is invalid', 1],
    [['--timeout-ms', '10'], 'The timeout must be from 50 to 30000 milliseconds.', 1],
    [['--retries', '9'], 'Retries must be from 0 to 5.', 1],
    [['--retries', 'many'], 'use a whole number', 2],
    [['--community', 'pirates'], 'There is no community "pirates".', 1],
  ])('refuses %j, storing nothing and printing no secret', async (args, message, code) => {
    const env = testEnv();
    const given = new Map<string, string>([
      ['--community', 'military'],
      ['--name', 'Registry'],
      ['--url-template', 'https://r.example/{member_id}'],
      ['--mapping', JSON.stringify(mapping)],
    ]);
    for (let index = 0; index < args.length; index += 2) given.set(args[index] ?? '', args[index + 1] ?? '');
    const result = await runVetted(['registries', 'add', ...[...given].flat(), '--json'], env);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('registry-secret');
    expect(json(await runVetted(['registries', 'list', '--json'], env)) as RegistryJson[]).toEqual([]);
  });
});
