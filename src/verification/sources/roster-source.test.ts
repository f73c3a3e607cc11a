import { beforeAll, expect, it } from 'vitest';
import {
  describeEachDatabase,
  migratedDatabases,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { createManualClock } from '../../lib/clock.ts';
import { randomIds } from '../../lib/ids.ts';
import type { Community } from '../types.ts';
import { military, person, student } from './fixtures.test-support.ts';
import { importRoster } from './roster-import.ts';
import { createRosterRepository } from './roster-repository.ts';
import { createRosterSource } from './roster-source.ts';
import type { SourcePerson, VerificationSource } from './source.ts';

describeEachDatabase('roster source', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  let source: VerificationSource;
  let rosterId: string;

  beforeAll(async () => {
    const database = await databases.fresh();
    const repository = createRosterRepository(database.db);
    source = createRosterSource(repository);
    const deps = { repository, ids: randomIds, clock: createManualClock() };
    ({ rosterId } = await importRoster(deps, {
      community: military,
      organization: 'Fort Example',
      csv: [
        'email,member_id,first_name,last_name,subgroup',
        'sam.smith@example.com,,Sam,Smith,Veteran',
        ',SN 42/7,Zoë,Le Blanc-Ñúñez,Service Member',
      ].join('\n'),
      createdBy: null,
    }));
  });

  const ask = (overrides: Partial<SourcePerson>, memberId?: string, community: Community = military) =>
    source.verify({
      person: { ...person, ...overrides },
      community,
      ...(memberId === undefined ? {} : { memberId }),
    });

  it('verifies a confirmed email on a roster of the community', async () => {
    expect(source).toMatchObject({ kind: 'roster', id: 'roster' });
    expect(await ask({ email: 'Sam.Smith@EXAMPLE.com' })).toEqual({
      outcome: 'verified',
      subgroups: ['Veteran'],
      reference: `roster:${rosterId}`,
    });
  });

  it('never matches an unconfirmed email', async () => {
    expect(await ask({ emailVerified: false })).toEqual({ outcome: 'not_found', reason: expect.any(String) });
  });

  it('only looks at rosters of the community asked about', async () => {
    expect(await ask({}, undefined, student)).toMatchObject({ outcome: 'not_found' });
  });

  it('verifies a member id listed under the same names, spelled loosely', async () => {
    const result = await ask(
      { email: 'zoe@example.com', firstName: 'ZOE', lastName: 'le blanc nunez' },
      ' SN 42/7 ',
    );
    expect(result).toEqual({
      outcome: 'verified',
      subgroups: ['Service Member'],
      reference: `roster:${rosterId}`,
    });
  });

  it('answers a member id under other names exactly like an unknown id', async () => {
    const wrongNames = await ask({ email: 'x@example.com', firstName: 'Zoë', lastName: 'Smith' }, 'SN 42/7');
    const unknownId = await ask(
      { email: 'x@example.com', firstName: 'Zoë', lastName: 'Le Blanc-Ñúñez' },
      'SN 43',
    );
    expect(wrongNames).toEqual({ outcome: 'not_found', reason: expect.any(String) });
    expect(unknownId).toEqual(wrongNames);
  });

  it('is unavailable when the roster names a subgroup the community no longer has', async () => {
    const renamed = { ...military, subgroups: ['Service Member', 'Retiree'] };
    expect(await ask({}, undefined, renamed)).toMatchObject({ outcome: 'unavailable' });
  });
});
