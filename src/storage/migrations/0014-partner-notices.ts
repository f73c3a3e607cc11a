import { sql, type Kysely } from 'kysely';

/**
 * Partners are told (issue 14): notices on an application's console pages until a member dismisses them,
 * and a flag for the applications whose requested communities wait for an administrator (the admin
 * overview lists them; JSON columns cannot be queried portably).
 */
export const partnerNotices = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('partner_notices')
      .addColumn('id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('client_id', 'text', (col) => col.notNull())
      // `communities.decided`, `production.approved`, `production.declined`
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('title', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      // The administrator's note, as written
      .addColumn('note', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('dismissed_at', 'bigint')
      .addColumn('dismissed_by', 'text')
      .execute();
    await db.schema
      .createIndex('partner_notices_client')
      .on('partner_notices')
      .columns(['client_id', 'created_at'])
      .execute();
    await db.schema
      .alterTable('applications')
      .addColumn('communities_waiting', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('applications_communities_waiting')
      .on('applications')
      .columns(['communities_waiting', 'updated_at'])
      .execute();
    const rows = await sql<{ id: string; requested_scopes: string; allowed_scopes: string }>`
      SELECT id, requested_scopes, allowed_scopes FROM applications`.execute(db);
    for (const row of rows.rows) {
      const allowed = new Set(JSON.parse(row.allowed_scopes) as string[]);
      const waiting = (JSON.parse(row.requested_scopes) as string[]).some((scope) => !allowed.has(scope));
      if (waiting)
        await sql`UPDATE applications SET communities_waiting = 1 WHERE id = ${row.id}`.execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('applications_communities_waiting').execute();
    await db.schema.alterTable('applications').dropColumn('communities_waiting').execute();
    await db.schema.dropTable('partner_notices').execute();
  },
};
