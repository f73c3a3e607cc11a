import { sql, type Insertable, type Kysely } from 'kysely';
import type { AdapterPayload } from 'oidc-provider';
import { prepareQuery } from '../storage/prepared.ts';
import type { Schema } from '../storage/schema.ts';
import type { OidcModelsTable } from '../storage/tables/oidc.ts';

export interface StoredModel {
  payload: AdapterPayload;
  expiresAt: number | null;
  consumedAt: number | null;
}

/** oidc-provider's models (sessions, interactions, codes, tokens, grants) as rows of one table. */
export function createModelRepository(db: Kysely<Schema>) {
  // Every OAuth request reads at least one model: the lookups are prepared once (storage/prepared.ts).
  const lookup = (column: 'id' | 'uid' | 'user_code') =>
    prepareQuery<
      { model: string; value: string },
      { payload: string; expires_at: number | null; consumed_at: number | null }
    >(db, (param) =>
      db
        .selectFrom('oidc_models')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', param('model'))
        .where(column, '=', param('value')),
    );
  const findBy = { id: lookup('id'), uid: lookup('uid'), user_code: lookup('user_code') };
  // Read for every token issued (the eid it carries).
  const grantContext = prepareQuery<{ grantId: string }, { eid: string | null }>(db, (param) =>
    db.selectFrom('grant_contexts').select('eid').where('grant_id', '=', param('grantId')),
  );
  type Row = Omit<Insertable<OidcModelsTable>, 'consumed_at'>;
  const upsertRow = prepareQuery<Row, never>(db, (param) =>
    db
      .insertInto('oidc_models')
      .values({
        model: param('model'),
        id: param('id'),
        payload: param('payload'),
        grant_id: param('grant_id'),
        uid: param('uid'),
        user_code: param('user_code'),
        expires_at: param('expires_at'),
        consumed_at: null,
      })
      .onConflict((conflict) =>
        conflict.columns(['model', 'id']).doUpdateSet((eb) => ({
          payload: eb.ref('excluded.payload'),
          grant_id: eb.ref('excluded.grant_id'),
          uid: eb.ref('excluded.uid'),
          user_code: eb.ref('excluded.user_code'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      ),
  );

  return {
    async upsert(
      model: string,
      id: string,
      payload: AdapterPayload,
      expiresAt: number | null,
    ): Promise<void> {
      await upsertRow({
        model,
        id,
        payload: JSON.stringify(payload),
        grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
        expires_at: expiresAt,
      });
    },

    async find(
      model: string,
      column: 'id' | 'uid' | 'user_code',
      value: string,
    ): Promise<StoredModel | undefined> {
      const [row] = await findBy[column]({ model, value });
      if (row === undefined) return undefined;
      return {
        payload: JSON.parse(row.payload) as AdapterPayload,
        expiresAt: row.expires_at,
        consumedAt: row.consumed_at,
      };
    },

    /** Marks the row consumed once (later calls keep the first time); true for the call that consumed it. */
    async consume(model: string, id: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('oidc_models')
        .set({ consumed_at: at })
        .where('model', '=', model)
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Stores a marker once (e.g. a DPoP proof's jti); false when it was already there. */
    async recordOnce(model: string, id: string, expiresAt: number): Promise<boolean> {
      const result = await db
        .insertInto('oidc_models')
        .values({
          model,
          id,
          payload: '{}',
          grant_id: null,
          uid: null,
          user_code: null,
          expires_at: expiresAt,
          consumed_at: null,
        })
        .onConflict((conflict) => conflict.columns(['model', 'id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async destroy(model: string, id: string): Promise<void> {
      await db.deleteFrom('oidc_models').where('model', '=', model).where('id', '=', id).execute();
    },

    async destroyByGrantId(model: string, grantId: string): Promise<void> {
      await db.deleteFrom('oidc_models').where('model', '=', model).where('grant_id', '=', grantId).execute();
    },

    /** Deletes rows expired at `now` (the adapter already hides them); returns how many. */
    async sweepExpired(now: number): Promise<number> {
      const result = await db.deleteFrom('oidc_models').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async saveGrantContext(grantId: string, eid: string | null, at: number): Promise<void> {
      await db
        .insertInto('grant_contexts')
        .values({ grant_id: grantId, eid, updated_at: at })
        .onConflict((conflict) => conflict.column('grant_id').doUpdateSet({ eid, updated_at: at }))
        .execute();
    },

    async findGrantContext(grantId: string): Promise<{ eid: string | null } | undefined> {
      return (await grantContext({ grantId }))[0];
    },

    async saveConsent(accountId: string, clientId: string, grantId: string, at: number): Promise<void> {
      await db
        .insertInto('consents')
        .values({ account_id: accountId, client_id: clientId, grant_id: grantId, updated_at: at })
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'client_id']).doUpdateSet({ grant_id: grantId, updated_at: at }),
        )
        .execute();
    },

    /** The applications an account consented to, with the grant of each, most recent first. */
    async listConsents(
      accountId: string,
    ): Promise<{ clientId: string; grantId: string; updatedAt: number }[]> {
      const rows = await db
        .selectFrom('consents')
        .select(['client_id', 'grant_id', 'updated_at'])
        .where('account_id', '=', accountId)
        .orderBy('updated_at', 'desc')
        .execute();
      return rows.map((row) => ({
        clientId: row.client_id,
        grantId: row.grant_id,
        updatedAt: row.updated_at,
      }));
    },

    /** Every consent given to one application (its grants), for deleting the application. */
    async listClientConsents(clientId: string): Promise<{ accountId: string; grantId: string }[]> {
      const rows = await db
        .selectFrom('consents')
        .select(['account_id', 'grant_id'])
        .where('client_id', '=', clientId)
        .execute();
      return rows.map((row) => ({ accountId: row.account_id, grantId: row.grant_id }));
    },

    /**
     * Deletes everything of oidc-provider naming the account (sessions, interactions, grants, codes, tokens:
     * their payloads carry `"accountId":"<id>"`), and its consents; returns how many models there were.
     */
    async destroyAllForAccount(accountId: string): Promise<number> {
      const pattern = `%${JSON.stringify({ accountId })
        .slice(1, -1)
        .replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      return db.transaction().execute(async (trx) => {
        const grants = await trx
          .selectFrom('consents')
          .select('grant_id')
          .where('account_id', '=', accountId)
          .execute();
        const grantIds = grants.map((row) => row.grant_id);
        let deleted = 0;
        if (grantIds.length > 0) {
          await trx.deleteFrom('grant_contexts').where('grant_id', 'in', grantIds).execute();
          const byGrant = await trx
            .deleteFrom('oidc_models')
            .where('grant_id', 'in', grantIds)
            .executeTakeFirst();
          deleted += Number(byGrant.numDeletedRows);
        }
        const named = await trx
          .deleteFrom('oidc_models')
          .where(sql<boolean>`payload LIKE ${pattern} ESCAPE '\\'`)
          .executeTakeFirst();
        await trx.deleteFrom('consents').where('account_id', '=', accountId).execute();
        return deleted + Number(named.numDeletedRows);
      });
    },

    async deleteConsent(accountId: string, clientId: string): Promise<void> {
      await db
        .deleteFrom('consents')
        .where('account_id', '=', accountId)
        .where('client_id', '=', clientId)
        .execute();
    },

    async findConsent(accountId: string, clientId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('consents')
        .select('grant_id')
        .where('account_id', '=', accountId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row?.grant_id;
    },
  };
}

export type ModelRepository = ReturnType<typeof createModelRepository>;
