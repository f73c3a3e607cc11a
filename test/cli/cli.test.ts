import { describe, expect, it } from 'vitest';
import { migrationNames } from '../../src/storage/migrate.ts';
import { testEnv } from '../helpers/env.ts';
import { runVetted } from '../helpers/process.ts';

describe('the vetted command', () => {
  const env = testEnv();

  it('documents every command with --help', async () => {
    const top = await runVetted(['--help'], env);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'migrate', 'keys', 'config']) expect(top.stdout).toContain(command);
    const keys = await runVetted(['keys', '--help'], env);
    expect(keys.code).toBe(0);
    expect(keys.stdout).toMatch(/list[\s\S]*rotate[\s\S]*retire/);
    const rotate = await runVetted(['keys', 'rotate', '--help'], env);
    expect(rotate.stdout).toContain('--alg <alg>');
    expect(rotate.stdout).toContain('--json');
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['keys', 'list', '--colour'], "unknown option '--colour'"],
    [['keys', 'rotate', '--alg', 'HS256'], "argument 'HS256' is invalid"],
    [['keys', 'retire'], "missing required argument 'kid'"],
  ])('rejects %j with a clear message and exit code 2', async (args, message) => {
    const result = await runVetted(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('migrates, then reports nothing left to do', async () => {
    const own = testEnv();
    const first = await runVetted(['migrate', '--json'], own);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ applied: [...migrationNames] });
    const second = await runVetted(['migrate'], own);
    expect(second.stdout.trim()).toBe('Database schema is up to date.');
  });

  it('lists, rotates and retires keys', async () => {
    const own = testEnv();
    const empty = await runVetted(['keys', 'list'], own);
    expect(empty.stdout).toContain('No signing keys yet');

    const rotated = await runVetted(['keys', 'rotate', '--json'], own);
    expect(rotated.code, rotated.stderr).toBe(0);
    const firstKeys = JSON.parse(rotated.stdout) as { kid: string; alg: string }[];
    expect(firstKeys.map((key) => key.alg)).toEqual(['RS256', 'ES256']);

    const again = await runVetted(['keys', 'rotate', '--alg', 'ES256'], own);
    expect(again.stdout).toMatch(/^Rotated\. New active keys:\nKID +ALG +GEN +STATUS/);

    const list = await runVetted(['keys', 'list', '--json'], own);
    const keys = JSON.parse(list.stdout) as {
      kid: string;
      alg: string;
      generation: number;
      status: string;
    }[];
    expect(keys.map((key) => [key.alg, key.generation, key.status])).toEqual([
      ['ES256', 1, 'verifying'],
      ['ES256', 2, 'active'],
      ['RS256', 1, 'active'],
    ]);

    const active = keys.find((key) => key.status === 'active')!;
    const refused = await runVetted(['keys', 'retire', '--', active.kid], own);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `vetted: Signing key ${active.kid} is the one in use; rotate first, then retire it.`,
    );

    const old = keys.find((key) => key.status === 'verifying')!;
    const retired = await runVetted(['keys', 'retire', '--json', '--', old.kid], own);
    expect(JSON.parse(retired.stdout)).toEqual({ retired: old.kid });
    const table = await runVetted(['keys', 'list'], own);
    expect(table.stdout).toMatch(new RegExp(`${old.kid} +ES256 +1 +retired`));
  });

  it('checks the configuration without printing secrets', async () => {
    const result = await runVetted(['config', 'check', '--json'], { ...env, VETTED_PROT: '80' });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { valid: boolean; warnings: string[]; config: unknown };
    expect(report.valid).toBe(true);
    expect(report.warnings).toEqual(['unknown setting VETTED_PROT (a typo?)']);
    expect(result.stdout).not.toContain(env.VETTED_MASTER_KEY);

    const bad = await runVetted(['config', 'check'], { ...env, VETTED_PORT: 'abc' });
    expect(bad.code).toBe(78);
    expect(bad.stderr.trim()).toBe(
      'vetted: invalid configuration: VETTED_PORT: must be a whole number from 0 to 65535 (got "abc")',
    );
  });
});
