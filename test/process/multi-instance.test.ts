import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_REASON, postgresDatabase, postgresUrl } from '../helpers/databases.ts';
import { randomMasterKey, testEnv } from '../helpers/env.ts';
import { runVetted, startVettedProcess, stopProcess, type VettedProcess } from '../helpers/process.ts';

async function kidsServedBy(running: { url: string }): Promise<string[]> {
  const response = await fetch(`${running.url}/oidc/.well-known/jwks`);
  const { keys } = (await response.json()) as { keys: { kid: string }[] };
  return keys.map((key) => key.kid).sort();
}

async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const describePostgres = postgresUrl ? describe : describe.skip;

describePostgres(
  `several instances on one PostgreSQL${postgresUrl ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  () => {
    const database = postgresDatabase(postgresUrl ?? '');
    const processes: VettedProcess[] = [];

    afterAll(async () => {
      for (const running of processes) await stopProcess(running);
      await database.dropAll();
    });

    it('share signing keys, and a rotation made with the CLI is served by every instance', async () => {
      const env = testEnv({
        VETTED_LOG_LEVEL: 'info',
        VETTED_DATABASE_URL: await database.create(),
        VETTED_MASTER_KEY: randomMasterKey(),
        VETTED_KEY_CACHE_SECONDS: '1',
      });
      const first = await startVettedProcess({ ...env, VETTED_DATA_DIR: testEnv().VETTED_DATA_DIR });
      processes.push(first);
      const second = await startVettedProcess({ ...env, VETTED_DATA_DIR: testEnv().VETTED_DATA_DIR });
      processes.push(second);

      const initial = await kidsServedBy(first);
      expect(initial).toHaveLength(2);
      expect(await kidsServedBy(second)).toEqual(initial);

      const rotation = await runVetted(['keys', 'rotate', '--alg', 'RS256', '--json'], env);
      expect(rotation.code, rotation.stderr).toBe(0);
      const [rotated] = JSON.parse(rotation.stdout) as { kid: string; status: string }[];
      expect(rotated?.status).toBe('active');

      for (const instance of [first, second]) {
        const served = await eventually(
          () => kidsServedBy(instance),
          (kids) => kids.includes(rotated!.kid),
        );
        expect(served).toEqual([...initial, rotated!.kid].sort());
      }

      const listed = await runVetted(['keys', 'list', '--json'], env);
      const keys = JSON.parse(listed.stdout) as { kid: string; alg: string; status: string }[];
      expect(keys.filter((key) => key.alg === 'RS256').map((key) => key.status)).toEqual([
        'verifying',
        'active',
      ]);
    });
  },
);
