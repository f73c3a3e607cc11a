import type { Actor, AuditService, RequestOrigin } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import { toUser, type User } from './account-service.ts';
import { accountErrors } from './errors.ts';
import { normalizeEmail } from './user-input.ts';
import type { UserRepository, UserRow } from './user-repository.ts';

/** A user as administrators see them: with the lock, if any. */
export interface ManagedUser extends User {
  lockedAt: Date | null;
  lockedReason: string | null;
}

export const LOCK_REASON_MAX_LENGTH = 500;
const MAX_PAGE = 100;

export interface AccountAdminDeps {
  users: Pick<UserRepository, 'findById' | 'search' | 'updateLock' | 'deleteById'>;
  /** Ends the user's sessions of Vetted's own pages (web-sessions.ts `destroyForUser`). */
  endWebSessions: (userId: string) => Promise<void>;
  /** The user's consents to applications (oidc/consents.ts): revoking one deletes its grant and tokens. */
  consents: {
    connectedApps(accountId: string): Promise<{ clientId: string }[]>;
    revoke(accountId: string, clientId: string, actor: Actor): Promise<boolean>;
  };
  /**
   * Deletes whatever of oidc-provider still names the account: sessions, interactions, grants, codes,
   * tokens, consents (model-repository.ts `destroyAllForAccount`).
   */
  destroyOidcModels: (accountId: string) => Promise<number>;
  /** The user's verifications; `remove` deletes one with its evidence and document blobs. */
  verifications: {
    listForUser(userId: string): Promise<{ id: string }[]>;
    remove(id: string, context: { actor?: Actor; origin?: RequestOrigin }): Promise<void>;
  };
  /** Any document of the user left after their verifications went (blobs first). */
  deleteDocumentsOfUser: (userId: string) => Promise<void>;
  /** The user's organizations, to keep each with an owner. */
  organizations: {
    listForUser(userId: string): Promise<{ organization: { id: string; name: string }; role: string }[]>;
    members(organizationId: string): Promise<{ userId: string; role: string }[]>;
  };
  audit: AuditService;
  clock: Clock;
}

/**
 * What administrators do to accounts (the administrator console): find them, lock them (no sign-in, every
 * session and grant ended) and delete them with all their data.
 */
export function createAccountAdmin(deps: AccountAdminDeps) {
  const { users, audit, clock } = deps;
  const subject = (id: string) => ({ type: 'user', id });

  async function requireUser(userId: string): Promise<UserRow> {
    const user = await users.findById(userId);
    if (user === undefined) throw accountErrors.userNotFound();
    return user;
  }

  /** Every session and grant of the account ends; returns how many applications lost their access. */
  async function endEverySession(userId: string, actor: Actor): Promise<number> {
    await deps.endWebSessions(userId);
    let revoked = 0;
    for (const app of await deps.consents.connectedApps(userId)) {
      if (await deps.consents.revoke(userId, app.clientId, actor)) revoked += 1;
    }
    await deps.destroyOidcModels(userId);
    return revoked;
  }

  /** The organizations only this user owns: deleting the user would leave them without an owner. */
  async function soleOwnerships(userId: string): Promise<string[]> {
    const names: string[] = [];
    for (const membership of await deps.organizations.listForUser(userId)) {
      if (membership.role !== 'owner') continue;
      const members = await deps.organizations.members(membership.organization.id);
      const others = members.filter((member) => member.role === 'owner' && member.userId !== userId);
      if (others.length === 0) names.push(membership.organization.name);
    }
    return names;
  }

  return {
    /**
     * Users whose email contains `query` (case-insensitively) or whose name does, newest first; every user
     * for an empty query.
     */
    async search(input: {
      query: string;
      limit: number;
      offset: number;
    }): Promise<{ items: ManagedUser[]; total: number }> {
      const query = input.query.trim();
      const { rows, total } = await users.search({
        email: normalizeEmail(query),
        name: query.toLowerCase(),
        limit: Math.max(1, Math.min(MAX_PAGE, Math.floor(input.limit))),
        offset: Math.max(0, Math.floor(input.offset)),
      });
      return { items: rows.map(toManagedUser), total };
    },

    async find(userId: string): Promise<ManagedUser | undefined> {
      const row = await users.findById(userId);
      return row === undefined ? undefined : toManagedUser(row);
    },

    /** Whether the account is locked (or gone): such an account must not stay signed in anywhere. */
    async isLocked(userId: string): Promise<boolean> {
      const row = await users.findById(userId);
      return row === undefined || row.lockedAt != null;
    },

    /**
     * Locks the account: it cannot sign in (account-service.ts refuses it after the password check), its
     * sessions of Vetted's pages end, and every grant, code and token of it is deleted. Locking a locked
     * account replaces the reason and ends anything started since.
     */
    async lock(
      userId: string,
      reason: string,
      actor: Actor,
      origin: RequestOrigin = {},
    ): Promise<ManagedUser> {
      const text = reason.trim();
      if (text === '')
        throw accountErrors.invalidInput({ reason: 'Give the reason for locking the account.' });
      if (text.length > LOCK_REASON_MAX_LENGTH) {
        throw accountErrors.invalidInput({
          reason: `Keep the reason under ${LOCK_REASON_MAX_LENGTH} characters.`,
        });
      }
      await requireUser(userId);
      const now = clock.now().getTime();
      if (!(await users.updateLock(userId, now, text, now))) throw accountErrors.userNotFound();
      const applications = await endEverySession(userId, actor);
      await audit.record('user.locked', {
        actor,
        subject: subject(userId),
        origin,
        data: { reason: text, applications },
      });
      return toManagedUser(await requireUser(userId));
    },

    /** Lifts an administrator's lock; returns whether the account was locked. */
    async unlock(userId: string, actor: Actor, origin: RequestOrigin = {}): Promise<boolean> {
      const user = await requireUser(userId);
      if (user.lockedAt == null) return false;
      await users.updateLock(userId, null, null, clock.now().getTime());
      await audit.record('user.unlocked', { actor, subject: subject(userId), origin });
      return true;
    },

    /**
     * Deletes the account with all its data: verifications (with their documents' blobs), grants and tokens,
     * sessions, then the row (memberships, roles, test-user links and codes cascade). Refused with
     * `accounts.last_owner` while an organization would be left without an owner.
     */
    async remove(userId: string, actor: Actor, origin: RequestOrigin = {}): Promise<void> {
      await requireUser(userId);
      const owned = await soleOwnerships(userId);
      if (owned.length > 0) throw accountErrors.lastOwner(owned);
      const applications = await endEverySession(userId, actor);
      const verifications = await deps.verifications.listForUser(userId);
      for (const verification of verifications) {
        await deps.verifications.remove(verification.id, { actor, origin });
      }
      await deps.deleteDocumentsOfUser(userId);
      if (!(await users.deleteById(userId))) throw accountErrors.userNotFound();
      // Only counts: the person's data is gone, the audit trail keeps no copy of it.
      await audit.record('user.deleted', {
        actor,
        subject: subject(userId),
        origin,
        data: { verifications: verifications.length, applications },
      });
    },
  };
}

export type AccountAdmin = ReturnType<typeof createAccountAdmin>;

function toManagedUser(row: UserRow): ManagedUser {
  return {
    ...toUser(row),
    lockedAt: row.lockedAt == null ? null : new Date(row.lockedAt),
    lockedReason: row.lockedReason ?? null,
  };
}
