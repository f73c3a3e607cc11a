import { describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/env.ts';
import { runVetted } from '../helpers/process.ts';

const json = (result: { stdout: string }): unknown => JSON.parse(result.stdout);

describe('vetted admin and vetted verifications', () => {
  it('creates a reviewer, and gives an existing account another role', async () => {
    const env = testEnv();
    const created = await runVetted(
      [
        'admin',
        'create',
        '--email',
        'rita@vetted.example',
        '--role',
        'reviewer',
        '--password',
        'a staff password',
        '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(json(created)).toMatchObject({ email: 'rita@vetted.example', created: true, roles: ['reviewer'] });
    const promoted = await runVetted(
      ['admin', 'create', '--email', 'rita@vetted.example', '--role', 'admin', '--json'],
      env,
    );
    expect(json(promoted)).toMatchObject({
      created: false,
      roles: expect.arrayContaining(['admin', 'reviewer']),
    });
    const unknown = await runVetted(
      ['admin', 'create', '--email', 'nobody@vetted.example', '--role', 'admin'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('give --password to create it');
    expect((await runVetted(['admin', 'create', '--email', 'x@y.z', '--role', 'king'], env)).code).toBe(2);
  });

  it("grants a verification as the operator's attestation, with its validity or none, and lists it", async () => {
    const env = testEnv();
    const user = ['--password', 'correct horse battery', '--first-name', 'Sam', '--last-name', 'Smith'];
    expect((await runVetted(['users', 'create', '--email', 'sam@example.com', ...user], env)).code).toBe(0);
    const dated = await runVetted(
      [
        'verifications',
        'grant',
        '--email',
        'sam@example.com',
        '--community',
        'student',
        '--subgroup',
        'University Student',
        '--expires',
        '2030-06-30',
        '--json',
      ],
      env,
    );
    expect(dated.code, dated.stderr).toBe(0);
    expect(json(dated)).toMatchObject({
      community: 'student',
      status: 'verified',
      expires_at: '2030-06-30T00:00:00.000Z',
    });
    const never = await runVetted(
      [
        'verifications',
        'grant',
        '--email',
        'sam@example.com',
        '--community',
        'teacher',
        '--subgroup',
        'Professor',
        '--expires',
        'never',
        '--json',
      ],
      env,
    );
    expect(never.code, never.stderr).toBe(0);
    expect(json(never)).toMatchObject({ community: 'teacher', subgroups: ['Professor'], expires_at: null });
    const listed = await runVetted(['verifications', 'list', '--email', 'sam@example.com', '--json'], env);
    expect(
      (json(listed) as { community: string; status: string }[]).map((item) => item.community).sort(),
    ).toEqual(['student', 'teacher']);
    const wrong = await runVetted(
      [
        'verifications',
        'grant',
        '--email',
        'sam@example.com',
        '--community',
        'military',
        '--subgroup',
        'Pirate',
      ],
      env,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('is not a subgroup of military');
    expect(
      (
        await runVetted(
          [
            'verifications',
            'grant',
            '--email',
            'sam@example.com',
            '--community',
            'military',
            '--subgroup',
            'Veteran',
            '--expires',
            'soon',
          ],
          env,
        )
      ).code,
    ).toBe(2);
  });
});
