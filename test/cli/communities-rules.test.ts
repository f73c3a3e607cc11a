import { describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/env.ts';
import { runVetted } from '../helpers/process.ts';

interface CommunityJson {
  handle: string;
  name: string;
  subgroups: string[];
  validity_days: number | null;
  subgroup_validity_days: Record<string, number | null>;
  methods: string[];
  document_types: { handle: string; name: string; back: boolean }[];
}

interface RuleJson {
  id: string;
  community: string;
  subgroup: string;
  pattern: string;
  created_at: string;
}

const json = (result: { stdout: string }): unknown => JSON.parse(result.stdout);

describe('vetted communities', () => {
  it('lists the seeded communities with their subgroups, validity, methods and documents', async () => {
    const env = testEnv();
    const list = await runVetted(['communities', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const military = (json(list) as CommunityJson[]).find((community) => community.handle === 'military');
    expect(military).toMatchObject({
      name: 'Military',
      subgroups: ['Service Member', 'Veteran', 'Retiree', 'Military Spouse', 'Military Family'],
      validity_days: 365,
      subgroup_validity_days: { Veteran: null, Retiree: null },
      methods: ['email_domain', 'document', 'roster', 'registry'],
    });
    expect(military?.document_types).toContainEqual({
      handle: 'dd214',
      name: 'DD-214 (certificate of release or discharge)',
      back: false,
    });
    const human = await runVetted(['communities', 'list'], env);
    expect(human.stdout).toMatch(
      /^military {2}Military\n {2}subgroups: {2}Service Member, Veteran \(never expires\)/,
    );
  });

  it('updates a community, and list shows the change', async () => {
    const env = testEnv();
    const updated = await runVetted(
      [
        'communities',
        'update',
        'military',
        '--name',
        'Armed Forces',
        '--validity-days',
        '730',
        '--subgroup-validity',
        'military spouse=200',
        '--subgroup-validity',
        'Retiree=default',
        '--methods',
        'document,email_domain',
        '--json',
      ],
      env,
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stderr).toBe('');
    const expected = {
      handle: 'military',
      name: 'Armed Forces',
      validity_days: 730,
      // The subgroup in the community's spelling; Retiree follows the community again.
      subgroup_validity_days: { Veteran: null, 'Military Spouse': 200 },
      methods: ['document', 'email_domain'],
    };
    expect(json(updated) as CommunityJson).toMatchObject(expected);

    const list = await runVetted(['communities', 'list', '--json'], env);
    expect(
      (json(list) as CommunityJson[]).find((community) => community.handle === 'military'),
    ).toMatchObject(expected);

    const never = await runVetted(
      ['communities', 'update', 'military', '--validity-days', 'never', '--subgroup-validity', 'Veteran=365'],
      env,
    );
    expect(never.code, never.stderr).toBe(0);
    expect(never.stdout).toContain('  validity:   never expires\n');
    expect(never.stdout).toContain('Veteran (365 days)');
    const listed = (await runVetted(['communities', 'list', '--json'], env)).stdout;
    expect((JSON.parse(listed) as CommunityJson[]).find((c) => c.handle === 'military')).toMatchObject({
      validity_days: null,
      subgroup_validity_days: { Veteran: 365, 'Military Spouse': 200 },
    });
  });

  it.each([
    [['--methods', 'email_domain,carrier_pigeon'], '"carrier_pigeon" is not a method'],
    [['--methods', ''], '--methods needs at least one method'],
    [['--validity-days', '0'], 'use a number of days from 1 to 36500, or never'],
    [['--validity-days', 'soon'], 'use a number of days from 1 to 36500, or never'],
    [['--subgroup-validity', 'Veteran'], 'use "Subgroup=days"'],
    [['--name', '  '], '--name needs 1 to 100 characters'],
    [[], 'nothing to change'],
  ])('refuses %j as a usage error (exit code 2), changing nothing', async (args, message) => {
    const env = testEnv();
    const result = await runVetted(['communities', 'update', 'military', ...args, '--json'], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    const list = await runVetted(['communities', 'list', '--json'], env);
    expect(
      (json(list) as CommunityJson[]).find((community) => community.handle === 'military'),
    ).toMatchObject({
      name: 'Military',
      validity_days: 365,
      methods: ['email_domain', 'document', 'roster', 'registry'],
    });
  });

  it('refuses an unknown community or subgroup with one line and exit code 1', async () => {
    const env = testEnv();
    const community = await runVetted(['communities', 'update', 'pirates', '--name', 'Pirates'], env);
    expect(community.code).toBe(1);
    expect(community.stderr).toBe('vetted: There is no community "pirates".\n');
    const subgroup = await runVetted(
      ['communities', 'update', 'military', '--subgroup-validity', 'Admiral=never', '--json'],
      env,
    );
    expect(subgroup.code).toBe(1);
    expect(subgroup.stdout).toBe('');
    expect(subgroup.stderr).toBe('vetted: "Admiral" is not a subgroup of Military.\n');
  });
});

describe('vetted rules', () => {
  it('adds, lists and removes email-domain rules', async () => {
    const env = testEnv();
    const seeded = await runVetted(['rules', 'list', '--community', 'military', '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect((json(seeded) as RuleJson[]).map((rule) => rule.pattern)).toEqual(['*.mil']);

    const added = await runVetted(
      ['rules', 'add', '--community', 'military', '--subgroup', 'Veteran', '--pattern', 'VA.Gov', '--json'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const rule = json(added) as RuleJson;
    expect(rule).toEqual({
      id: expect.any(String),
      community: 'military',
      subgroup: 'Veteran',
      // Stored in canonical form.
      pattern: 'va.gov',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const listed = await runVetted(['rules', 'list', '--community', 'military', '--json'], env);
    expect((json(listed) as RuleJson[]).map((item) => [item.pattern, item.subgroup])).toEqual([
      ['*.mil', 'Service Member'],
      ['va.gov', 'Veteran'],
    ]);
    const human = await runVetted(['rules', 'list'], env);
    expect(human.stdout).toMatch(/^ID +COMMUNITY +SUBGROUP +PATTERN\n/);
    expect(human.stdout).toMatch(new RegExp(`${rule.id} +military +Veteran +va\\.gov`));

    const removed = await runVetted(['rules', 'remove', rule.id, '--json'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(json(removed)).toEqual({ removed: rule.id });
    const after = await runVetted(['rules', 'list', '--community', 'military', '--json'], env);
    expect((json(after) as RuleJson[]).map((item) => item.pattern)).toEqual(['*.mil']);

    const again = await runVetted(['rules', 'remove', rule.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('vetted: There is no such email-domain rule.\n');
  });

  it.each([
    [['--pattern', 'a.com/x.mil'], 'is not a valid domain pattern'],
    [['--pattern', 'mil*'], '* must stand alone between dots'],
    [['--pattern', '*.mil'], 'military already has a rule for *.mil'],
    [['--pattern', 'navy.mil', '--subgroup', 'Admiral'], '"Admiral" is not a subgroup of Military'],
    [['--pattern', 'navy.mil', '--community', 'pirates'], 'There is no community "pirates"'],
  ])('refuses %j with one line and exit code 1, storing nothing', async (args, message) => {
    const env = testEnv();
    const defaults = { '--community': 'military', '--subgroup': 'Service Member' };
    const given = new Map<string, string>(Object.entries(defaults));
    for (let index = 0; index < args.length; index += 2) given.set(args[index] ?? '', args[index + 1] ?? '');
    const result = await runVetted(['rules', 'add', ...[...given].flat(), '--json'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    const list = await runVetted(['rules', 'list', '--json'], env);
    expect(json(list) as RuleJson[]).toHaveLength(5);
  });

  it('refuses to list the rules of an unknown community', async () => {
    const result = await runVetted(['rules', 'list', '--community', 'pirates', '--json'], testEnv());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });
});
