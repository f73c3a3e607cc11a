import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.ts';
import type { RosterEntriesTable, RostersTable } from '../../storage/tables/verifications.ts';
import { verificationErrors } from '../errors.ts';
import { normalizeName } from './names.ts';
import type { RosterEntryInput } from './roster-csv.ts';

/** SQLite's and PostgreSQL's codes for a foreign key violation. */
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

/** Rows per INSERT: 7 parameters each, well under SQLite's and PostgreSQL's limits on parameters. */
const BATCH = 500;

export interface Roster {
  id: string;
  community: string;
  organization: string;
  entryCount: number;
  createdBy: string | null;
  createdAt: Date;
}

/** A roster entry found for a community, with its roster's organization. */
export interface RosterEntry {
  id: string;
  rosterId: string;
  organization: string;
  emailNormalized: string | null;
  memberId: string | null;
  /** normalizeName's form (names.ts) */
  firstNameNormalized: string;
  lastNameNormalized: string;
  subgroup: string;
}

export interface NewRoster {
  id: string;
  community: string;
  organization: string;
  createdBy: string | null;
  createdAt: Date;
  /** Validated (roster-csv.ts); emails already lower-cased. Names are normalized here. */
  entries: readonly RosterEntryInput[];
}

export function createRosterRepository(db: Kysely<Schema>) {
  /** Entries of rosters of `community` matching `column`, most recent roster first. */
  function findBy(community: string, column: 'email_normalized' | 'member_id', value: string) {
    return db
      .selectFrom('roster_entries')
      .innerJoin('rosters', 'rosters.id', 'roster_entries.roster_id')
      .selectAll('roster_entries')
      .select(['rosters.organization', 'rosters.created_at'])
      .where('rosters.community', '=', community)
      .where(`roster_entries.${column}`, '=', value)
      .orderBy('rosters.created_at', 'desc')
      .orderBy('roster_entries.id')
      .execute()
      .then((rows) => rows.map(toEntry));
  }

  return {
    /** Stores a roster and all its entries, or nothing (one transaction). */
    async insertRoster(roster: NewRoster): Promise<void> {
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('rosters')
            .values({
              id: roster.id,
              community: roster.community,
              organization: roster.organization,
              entry_count: roster.entries.length,
              created_by: roster.createdBy,
              created_at: roster.createdAt.getTime(),
            })
            .execute();
          for (let start = 0; start < roster.entries.length; start += BATCH) {
            const batch = roster.entries.slice(start, start + BATCH);
            await trx
              .insertInto('roster_entries')
              .values(batch.map((entry, index) => toEntryRow(roster.id, start + index, entry)))
              .execute();
          }
        });
      } catch (error) {
        if (FOREIGN_KEY_VIOLATIONS.has((error as { code?: string }).code ?? '')) {
          throw verificationErrors.unknownCommunity(roster.community);
        }
        throw error;
      }
    },

    async findRoster(id: string): Promise<Roster | undefined> {
      const row = await db.selectFrom('rosters').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRoster(row);
    },

    /** Rosters, newest first; only of `community` when given. */
    async listRosters(community?: string): Promise<Roster[]> {
      let query = db.selectFrom('rosters').selectAll().orderBy('created_at', 'desc').orderBy('id');
      if (community !== undefined) query = query.where('community', '=', community);
      return (await query.execute()).map(toRoster);
    },

    /** Deletes a roster and its entries; false when there was none. */
    async deleteRoster(id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('roster_entries').where('roster_id', '=', id).execute();
        const result = await trx.deleteFrom('rosters').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      });
    },

    /** Entries with this (lower-cased) email on rosters of `community`, most recent roster first. */
    findByEmail(community: string, emailNormalized: string): Promise<RosterEntry[]> {
      return findBy(community, 'email_normalized', emailNormalized);
    },

    /** Entries with this member id on rosters of `community`, most recent roster first. */
    findByMemberId(community: string, memberId: string): Promise<RosterEntry[]> {
      return findBy(community, 'member_id', memberId);
    },
  };
}

export type RosterRepository = ReturnType<typeof createRosterRepository>;

function toEntryRow(
  rosterId: string,
  index: number,
  entry: RosterEntryInput,
): Selectable<RosterEntriesTable> {
  return {
    // Unique within the roster, and the roster id is unique: no id generator needed for 100,000 rows.
    id: `${rosterId}:${index}`,
    roster_id: rosterId,
    email_normalized: entry.email,
    member_id: entry.memberId,
    first_name_normalized: normalizeName(entry.firstName),
    last_name_normalized: normalizeName(entry.lastName),
    subgroup: entry.subgroup,
  };
}

function toEntry(row: Selectable<RosterEntriesTable> & { organization: string }): RosterEntry {
  return {
    id: row.id,
    rosterId: row.roster_id,
    organization: row.organization,
    emailNormalized: row.email_normalized,
    memberId: row.member_id,
    firstNameNormalized: row.first_name_normalized,
    lastNameNormalized: row.last_name_normalized,
    subgroup: row.subgroup,
  };
}

function toRoster(row: Selectable<RostersTable>): Roster {
  return {
    id: row.id,
    community: row.community,
    organization: row.organization,
    entryCount: row.entry_count,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  };
}
