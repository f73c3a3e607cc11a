import { beforeEach, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { createManualClock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { Database } from '../../storage/database.ts';
import { military, student } from './fixtures.test-support.ts';
import { importRoster } from './roster-import.ts';
import { createRosterRepository, type RosterRepository } from './roster-repository.ts';

const HEADER = 'email,member_id,first_name,last_name,subgroup\n';

describeEachDatabase('roster repository and import', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let database: Database;
  let repository: RosterRepository;
  const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
  let counter = 0;
  const ids: IdGenerator = { uuid: () => `roster-${++counter}`, token: () => 'token' };
  const deps = () => ({ repository, ids, clock });

  beforeEach(async () => {
    database = await databases.fresh();
    repository = createRosterRepository(database.db);
  });

  it('imports a roster and finds its members by email and member id, names normalized', async () => {
    const csv = `${HEADER}Sam@Example.com,,Sam,Smith,Veteran\n,M-1,José,O'Brien-Núñez,Retiree\n`;
    const imported = await importRoster(deps(), {
      community: military,
      organization: ' Fort Example ',
      csv,
      createdBy: 'admin-1',
    });
    expect(imported).toEqual({ rosterId: expect.stringMatching(/^roster-/), entries: 2 });
    expect(await repository.listRosters('military')).toEqual([
      {
        id: imported.rosterId,
        community: 'military',
        organization: 'Fort Example',
        entryCount: 2,
        createdBy: 'admin-1',
        createdAt: clock.now(),
      },
    ]);
    expect(await repository.findByEmail('military', 'sam@example.com')).toEqual([
      {
        id: `${imported.rosterId}:0`,
        rosterId: imported.rosterId,
        organization: 'Fort Example',
        emailNormalized: 'sam@example.com',
        memberId: null,
        firstNameNormalized: 'sam',
        lastNameNormalized: 'smith',
        subgroup: 'Veteran',
      },
    ]);
    expect(await repository.findByMemberId('military', 'M-1')).toMatchObject([
      { firstNameNormalized: 'jose', lastNameNormalized: 'o brien nunez', subgroup: 'Retiree' },
    ]);
    // Only rosters of the community asked about.
    expect(await repository.findByEmail('student', 'sam@example.com')).toEqual([]);
    expect(await repository.findByMemberId('military', 'm-1')).toEqual([]);
  });

  it('refuses a file with problems, storing nothing, with every problem in detail', async () => {
    const csv = `${HEADER}a@example.com,,A,B,Veteran\nbad,,C,D,Veteran\n,,E,F,Nope\n,,G,H,Veteran\n,,I,J,Veteran\n`;
    const error = await importRoster(deps(), {
      community: military,
      organization: 'Unit',
      csv,
      createdBy: null,
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({
      code: 'verification.roster_invalid',
      status: 400,
      message: expect.stringMatching(
        /^The roster was not imported \(4 problems\): line 3: .*; line 4: .*; line 5: .*; and 1 more\.$/,
      ),
      detail: { problems: [{ line: 3 }, { line: 4 }, { line: 5 }, { line: 6 }] },
    });
    await expect(
      importRoster(deps(), { community: military, organization: '  ', csv: HEADER, createdBy: null }),
    ).rejects.toMatchObject({ code: 'verification.invalid' });
    expect(await repository.listRosters()).toEqual([]);
  });

  it('stores large rosters in batches, lists newest first and deletes with the entries', async () => {
    const rows = Array.from({ length: 1_234 }, (_, index) => `u${index}@example.com,,U,${index},Veteran\n`);
    const big = await importRoster(deps(), {
      community: military,
      organization: 'Big',
      csv: HEADER + rows.join(''),
      createdBy: null,
    });
    clock.advance(1000);
    const other = await importRoster(deps(), {
      community: student,
      organization: 'College',
      csv: `${HEADER}u7@example.com,,U,7,university student\n`,
      createdBy: null,
    });
    expect((await repository.listRosters()).map((roster) => roster.id)).toEqual([
      other.rosterId,
      big.rosterId,
    ]);
    expect((await repository.listRosters('military')).map((roster) => roster.entryCount)).toEqual([1_234]);
    expect(await repository.findByEmail('military', 'u1233@example.com')).toHaveLength(1);

    expect(await repository.deleteRoster(big.rosterId)).toBe(true);
    expect(await repository.deleteRoster(big.rosterId)).toBe(false);
    expect(await repository.findRoster(big.rosterId)).toBeUndefined();
    expect(await repository.findByEmail('military', 'u7@example.com')).toEqual([]);
    expect(await repository.findByEmail('student', 'u7@example.com')).toMatchObject([
      { subgroup: 'University Student' },
    ]);
    const left = await database.db.selectFrom('roster_entries').select('roster_id').execute();
    expect(left).toEqual([{ roster_id: other.rosterId }]);
  });

  it('translates an unknown community', async () => {
    await expect(
      repository.insertRoster({
        id: 'r-x',
        community: 'astronaut',
        organization: 'NASA',
        createdBy: null,
        createdAt: clock.now(),
        entries: [],
      }),
    ).rejects.toMatchObject({ code: 'verification.unknown_community' });
  });
});
