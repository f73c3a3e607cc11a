import type { Kysely } from 'kysely';
import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { Schema } from '../storage/schema.ts';

/** Roles that open Vetted's own staff areas. An administrator may do everything a reviewer may. */
export const staffRoles = ['admin', 'reviewer'] as const;
export type StaffRole = (typeof staffRoles)[number];

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

export function createRoleService(deps: { db: Kysely<Schema>; audit: AuditService; clock: Clock }) {
  const { db, audit, clock } = deps;

  async function rolesOf(userId: string): Promise<StaffRole[]> {
    const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    return rows.map((row) => row.role).filter(isStaffRole);
  }

  return {
    rolesOf,

    /** Whether any account holds the admin role (first-run setup is open while none does). */
    async anyAdministrator(): Promise<boolean> {
      const row = await db
        .selectFrom('user_roles')
        .select('user_id')
        .where('role', '=', 'admin')
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Whether the user may act as `role`: administrators hold every role. */
    async hasRole(userId: string, role: StaffRole): Promise<boolean> {
      const roles = await rolesOf(userId);
      return roles.includes(role) || roles.includes('admin');
    },

    async grant(userId: string, role: StaffRole, actor: Actor): Promise<void> {
      const result = await db
        .insertInto('user_roles')
        .values({ user_id: userId, role, created_at: clock.now().getTime() })
        .onConflict((conflict) => conflict.columns(['user_id', 'role']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) {
        await audit.record('user.role_granted', {
          actor,
          subject: { type: 'user', id: userId },
          data: { role },
        });
      }
    },

    async revoke(userId: string, role: StaffRole, actor: Actor): Promise<void> {
      const result = await db
        .deleteFrom('user_roles')
        .where('user_id', '=', userId)
        .where('role', '=', role)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 1) {
        await audit.record('user.role_revoked', {
          actor,
          subject: { type: 'user', id: userId },
          data: { role },
        });
      }
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
