import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { OrganizationInvitationsTable } from '../storage/tables/partners.ts';
import type { Invitation } from './invitations.ts';
import type { Member, Membership, Organization, OrganizationRole } from './organizations.ts';

/** A change of membership that must leave the organization at least one owner. */
export type MemberChange = { role: OrganizationRole } | 'remove';
export type MemberChangeResult = 'changed' | 'not_member' | 'last_owner';

export interface OrganizationSearch {
  /** Matches the name (case-insensitive substring) or the id (exactly); empty: every organization. */
  query?: string;
  limit: number;
  offset: number;
}

/** A case-insensitive substring pattern with `%`, `_` and `\` taken literally (used with `ESCAPE '\'`). */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** Thrown inside a transaction to roll it back; never leaves the repository. */
class Rollback extends Error {}

const toOrganization = (row: Selectable<Schema['organizations']>): Organization => ({
  id: row.id,
  name: row.name,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const toInvitation = (row: Selectable<OrganizationInvitationsTable>): Invitation => ({
  id: row.id,
  organizationId: row.organization_id,
  email: row.email_normalized,
  role: row.role as OrganizationRole,
  invitedBy: row.invited_by,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  acceptedAt: row.accepted_at === null ? null : new Date(row.accepted_at),
});

const toMember = (row: {
  user_id: string;
  role: string;
  created_at: number;
  email: string;
  first_name: string;
  last_name: string;
}): Member => ({
  userId: row.user_id,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  role: row.role as OrganizationRole,
  since: new Date(row.created_at),
});

/**
 * Membership changes lock the organization's row first (an UPDATE), so that two concurrent changes of one
 * organization are serialized on PostgreSQL too and the owner count read afterwards is the true one.
 */
async function lockOrganization(trx: Transaction<Schema>, organizationId: string, at: number) {
  await trx.updateTable('organizations').set({ updated_at: at }).where('id', '=', organizationId).execute();
}

async function ownerCount(trx: Transaction<Schema>, organizationId: string): Promise<number> {
  const row = await trx
    .selectFrom('organization_members')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function createOrganizationRepository(db: Kysely<Schema>) {
  const membersOf = (organizationId: string) =>
    db
      .selectFrom('organization_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'm.role', 'm.created_at', 'u.email', 'u.first_name', 'u.last_name'])
      .where('m.organization_id', '=', organizationId);

  return {
    async insert(organization: Organization, ownerUserId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('organizations')
          .values({
            id: organization.id,
            name: organization.name,
            created_at: organization.createdAt.getTime(),
            updated_at: organization.updatedAt.getTime(),
          })
          .execute();
        await trx
          .insertInto('organization_members')
          .values({
            organization_id: organization.id,
            user_id: ownerUserId,
            role: 'owner',
            created_at: organization.createdAt.getTime(),
          })
          .execute();
      });
    },

    async find(id: string): Promise<Organization | undefined> {
      const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toOrganization(row);
    },

    /** Organizations by name, a page at a time, with the number matching. */
    async search(filter: OrganizationSearch): Promise<{ items: Organization[]; total: number }> {
      let query = db.selectFrom('organizations');
      const text = filter.query?.trim() ?? '';
      if (text !== '') {
        const pattern = containsPattern(text);
        query = query.where((eb) =>
          eb.or([sql<boolean>`lower(name) like ${pattern} escape '\\'`, eb('id', '=', text)]),
        );
      }
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
        query
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toOrganization), total: Number(count.total) };
    },

    async listForUser(userId: string): Promise<Membership[]> {
      const rows = await db
        .selectFrom('organization_members as m')
        .innerJoin('organizations as o', 'o.id', 'm.organization_id')
        .selectAll('o')
        .select(['m.role', 'm.created_at as since'])
        .where('m.user_id', '=', userId)
        .orderBy('o.name')
        .orderBy('o.id')
        .execute();
      return rows.map((row) => ({
        organization: toOrganization(row),
        role: row.role as OrganizationRole,
        since: new Date(row.since),
      }));
    },

    async listMembers(organizationId: string): Promise<Member[]> {
      const rows = await membersOf(organizationId).orderBy('m.created_at').orderBy('m.user_id').execute();
      return rows.map(toMember);
    },

    async findMember(organizationId: string, userId: string): Promise<Member | undefined> {
      const row = await membersOf(organizationId).where('m.user_id', '=', userId).executeTakeFirst();
      return row === undefined ? undefined : toMember(row);
    },

    /** Whether a member's account has this email address (normalized, as users.email_normalized). */
    async hasMemberWithEmail(organizationId: string, emailNormalized: string): Promise<boolean> {
      const row = await db
        .selectFrom('organization_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select('m.user_id')
        .where('m.organization_id', '=', organizationId)
        .where('u.email_normalized', '=', emailNormalized)
        .executeTakeFirst();
      return row !== undefined;
    },

    async findRole(organizationId: string, userId: string): Promise<OrganizationRole | undefined> {
      const row = await db
        .selectFrom('organization_members')
        .select('role')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.role as OrganizationRole | undefined;
    },

    /** Changes a member's role or removes the member, unless that would leave no owner. */
    async changeMember(
      organizationId: string,
      userId: string,
      change: MemberChange,
      at: number,
    ): Promise<MemberChangeResult> {
      try {
        return await db.transaction().execute(async (trx) => {
          await lockOrganization(trx, organizationId, at);
          const result =
            change === 'remove'
              ? await trx
                  .deleteFrom('organization_members')
                  .where('organization_id', '=', organizationId)
                  .where('user_id', '=', userId)
                  .executeTakeFirst()
              : await trx
                  .updateTable('organization_members')
                  .set({ role: change.role })
                  .where('organization_id', '=', organizationId)
                  .where('user_id', '=', userId)
                  .executeTakeFirst();
          const count = 'numDeletedRows' in result ? result.numDeletedRows : result.numUpdatedRows;
          if (Number(count) === 0) return 'not_member';
          if ((await ownerCount(trx, organizationId)) === 0) throw new Rollback();
          return 'changed';
        });
      } catch (error) {
        if (error instanceof Rollback) return 'last_owner';
        throw error;
      }
    },

    async insertInvitation(invitation: Invitation, tokenHash: string): Promise<void> {
      await db
        .insertInto('organization_invitations')
        .values({
          id: invitation.id,
          organization_id: invitation.organizationId,
          email_normalized: invitation.email,
          role: invitation.role,
          token_hash: tokenHash,
          invited_by: invitation.invitedBy,
          created_at: invitation.createdAt.getTime(),
          expires_at: invitation.expiresAt.getTime(),
          accepted_at: null,
        })
        .execute();
    },

    async listInvitations(organizationId: string): Promise<Invitation[]> {
      const rows = await db
        .selectFrom('organization_invitations')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toInvitation);
    },

    async findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
      const row = await db
        .selectFrom('organization_invitations')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toInvitation(row);
    },

    /** Deletes an invitation not yet accepted; false when the organization has no such invitation. */
    async deletePendingInvitation(organizationId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('organization_invitations')
        .where('id', '=', id)
        .where('organization_id', '=', organizationId)
        .where('accepted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /**
     * Consumes a live invitation and makes `userId` a member with the role `decide` picks from the current
     * one (undefined: no member yet), in one transaction. Undefined when the invitation was not live.
     */
    async consumeInvitation(
      invitation: Invitation,
      userId: string,
      at: number,
      decide: (current: OrganizationRole | undefined) => OrganizationRole,
    ): Promise<{ previous: OrganizationRole | undefined; role: OrganizationRole } | undefined> {
      return db.transaction().execute(async (trx) => {
        const consumed = await trx
          .updateTable('organization_invitations')
          .set({ accepted_at: at })
          .where('id', '=', invitation.id)
          .where('accepted_at', 'is', null)
          .where('expires_at', '>', at)
          .executeTakeFirst();
        if (Number(consumed.numUpdatedRows) !== 1) return undefined;
        await lockOrganization(trx, invitation.organizationId, at);
        const row = await trx
          .selectFrom('organization_members')
          .select('role')
          .where('organization_id', '=', invitation.organizationId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        const previous = row?.role as OrganizationRole | undefined;
        const role = decide(previous);
        if (previous === undefined) {
          await trx
            .insertInto('organization_members')
            .values({ organization_id: invitation.organizationId, user_id: userId, role, created_at: at })
            .execute();
        } else if (role !== previous) {
          await trx
            .updateTable('organization_members')
            .set({ role })
            .where('organization_id', '=', invitation.organizationId)
            .where('user_id', '=', userId)
            .execute();
        }
        return { previous, role };
      });
    },
  };
}

export type OrganizationRepository = ReturnType<typeof createOrganizationRepository>;
