import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { ApplicationsTable } from '../storage/tables/oidc.ts';
import { communitiesWaiting, grantTypesFor, type Application } from './application.ts';

const json = (value: unknown) => JSON.stringify(value);
// Columns written by this repository from typed values; read back as the same types.
const parse = (text: string): never => JSON.parse(text) as never;
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function toApplication(row: Selectable<ApplicationsTable>): Application {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    redirectUris: parse(row.redirect_uris),
    postLogoutRedirectUris: parse(row.post_logout_redirect_uris),
    allowedScopes: parse(row.allowed_scopes),
    responseTypes: parse(row.response_types),
    clientType: row.client_type as Application['clientType'],
    mode: row.mode as Application['mode'],
    status: row.status as Application['status'],
    idTokenSignedResponseAlg: row.id_token_signed_response_alg as Application['idTokenSignedResponseAlg'],
    userinfoSignedResponseAlg: row.userinfo_signed_response_alg as Application['userinfoSignedResponseAlg'],
    accessTokenTtl: row.access_token_ttl,
    refreshTokenTtl: row.refresh_token_ttl,
    codeTtl: row.code_ttl,
    singleUseAccessTokens: row.single_use_access_tokens === 1,
    releasedAttributes: parse(row.released_attributes),
    logoUrl: row.logo_url,
    organizationId: row.organization_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    privacyPolicyUrl: row.privacy_policy_url,
    termsUrl: row.terms_url,
    primaryColor: row.primary_color,
    logoBlobKey: row.logo_blob_key,
    requestedScopes: parse(row.requested_scopes),
    documentPassback: row.document_passback === 1,
    displayName: row.display_name,
    implicitFlow: row.implicit_flow === 1,
    firstAuthorizedAt: date(row.first_authorized_at),
  };
}

/** Every column but the first authorization, which only `markAuthorized` writes. */
function toRow(app: Application): Omit<Insertable<ApplicationsTable>, 'first_authorized_at'> {
  return {
    id: app.id,
    client_id: app.clientId,
    name: app.name,
    redirect_uris: json(app.redirectUris),
    post_logout_redirect_uris: json(app.postLogoutRedirectUris),
    allowed_scopes: json(app.allowedScopes),
    response_types: json(app.responseTypes),
    grant_types: json(grantTypesFor(app.responseTypes)),
    client_type: app.clientType,
    mode: app.mode,
    status: app.status,
    id_token_signed_response_alg: app.idTokenSignedResponseAlg,
    userinfo_signed_response_alg: app.userinfoSignedResponseAlg,
    access_token_ttl: app.accessTokenTtl,
    refresh_token_ttl: app.refreshTokenTtl,
    code_ttl: app.codeTtl,
    single_use_access_tokens: app.singleUseAccessTokens ? 1 : 0,
    released_attributes: json(app.releasedAttributes),
    logo_url: app.logoUrl,
    organization_id: app.organizationId,
    created_at: app.createdAt.getTime(),
    updated_at: app.updatedAt.getTime(),
    privacy_policy_url: app.privacyPolicyUrl,
    terms_url: app.termsUrl,
    primary_color: app.primaryColor,
    logo_blob_key: app.logoBlobKey,
    requested_scopes: json(app.requestedScopes),
    communities_waiting: communitiesWaiting(app).length > 0 ? 1 : 0,
    document_passback: app.documentPassback ? 1 : 0,
    display_name: app.displayName,
    implicit_flow: app.implicitFlow ? 1 : 0,
  };
}

export interface SecretSummary {
  id: string;
  createdAt: Date;
  /** null: until rotated */
  expiresAt: Date | null;
}

export interface ApplicationSearch {
  /** Matches the name, display name or client_id (case-insensitive substring). */
  query?: string;
  organizationId?: string;
  limit: number;
  offset: number;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createApplicationRepository(db: Kysely<Schema>) {
  return {
    async insert(app: Application, secret: { id: string; hash: string } | undefined) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('applications').values(toRow(app)).execute();
        if (secret !== undefined) {
          await trx
            .insertInto('application_secrets')
            .values({
              id: secret.id,
              application_id: app.id,
              secret_hash: secret.hash,
              created_at: app.createdAt.getTime(),
              expires_at: null,
            })
            .execute();
        }
      });
    },

    /**
     * Writes every setting of the application if it still has the `updatedAt` it was read with; false when
     * someone else changed it in between (or it is gone).
     */
    async save(app: Application, readAt: Date): Promise<boolean> {
      const { id, client_id: _clientId, created_at: _createdAt, ...settings } = toRow(app);
      const result = await db
        .updateTable('applications')
        .set(settings)
        .where('id', '=', id)
        .where('updated_at', '=', readAt.getTime())
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async findByClientId(clientId: string): Promise<Application | undefined> {
      const row = await db
        .selectFrom('applications')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row === undefined ? undefined : toApplication(row);
    },

    /** A page of applications, newest first, and how many match in all. */
    /** Applications whose requested communities wait for an administrator, longest waiting first. */
    async listWaitingForCommunities(limit: number): Promise<{ items: Application[]; total: number }> {
      const waiting = db.selectFrom('applications').where('communities_waiting', '=', 1);
      const [rows, count] = await Promise.all([
        waiting.selectAll().orderBy('updated_at', 'asc').orderBy('id').limit(limit).execute(),
        waiting.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toApplication), total: Number(count.total) };
    },

    async search(filter: ApplicationSearch): Promise<{ items: Application[]; total: number }> {
      let query = db.selectFrom('applications');
      if (filter.organizationId !== undefined) {
        query = query.where('organization_id', '=', filter.organizationId);
      }
      const text = filter.query?.trim() ?? '';
      if (text !== '') {
        const pattern = likePattern(text);
        // ESCAPE: SQLite has no default escape character, so `\%` would not mean a literal `%` there.
        query = query.where((eb) =>
          eb.or(
            (['name', 'display_name', 'client_id'] as const).map(
              (column) => sql<boolean>`lower(${eb.ref(column)}) LIKE ${pattern} ESCAPE '\\'`,
            ),
          ),
        );
      }
      const [rows, count] = await Promise.all([
        query
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        query
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toApplication), total: Number(count.total) };
    },

    /** Sets the status of an application; false when there is no such application. */
    async updateStatus(clientId: string, status: Application['status'], at: number): Promise<boolean> {
      const result = await db
        .updateTable('applications')
        .set({ status, updated_at: at })
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Records the first successful token response; true when this call was the first. */
    async markAuthorized(clientId: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('applications')
        .set({ first_authorized_at: at })
        .where('client_id', '=', clientId)
        .where('first_authorized_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Deletes the application; secrets, test users and production requests go with it (foreign keys). */
    async delete(applicationId: string): Promise<boolean> {
      const result = await db.deleteFrom('applications').where('id', '=', applicationId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** Hashes of the secrets that are still valid at `now`. */
    async liveSecretHashes(applicationId: string, now: number): Promise<string[]> {
      const rows = await db
        .selectFrom('application_secrets')
        .select('secret_hash')
        .where('application_id', '=', applicationId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .execute();
      return rows.map((row) => row.secret_hash);
    },

    /** The live secrets (never their hashes): the current one first. */
    async liveSecrets(applicationId: string, now: number): Promise<SecretSummary[]> {
      const rows = await db
        .selectFrom('application_secrets')
        .select(['id', 'created_at', 'expires_at'])
        .where('application_id', '=', applicationId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .execute();
      // The current secret (no expiry) first, then the one overlapping.
      const order = (expiresAt: number | null) => expiresAt ?? Number.MAX_SAFE_INTEGER;
      return rows
        .sort((a, b) => order(b.expires_at) - order(a.expires_at) || b.created_at - a.created_at)
        .map((row) => ({ id: row.id, createdAt: new Date(row.created_at), expiresAt: date(row.expires_at) }));
    },

    /**
     * Rotation in one transaction: the current secret lives until `overlapUntil`, a secret already
     * overlapping expires now (so at most two are ever live), and the new one is valid until rotated.
     */
    async rotateSecret(
      applicationId: string,
      secret: { id: string; hash: string },
      now: number,
      overlapUntil: number,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('application_secrets')
          .set({ expires_at: now })
          .where('application_id', '=', applicationId)
          .where('expires_at', 'is not', null)
          .where('expires_at', '>', now)
          .execute();
        await trx
          .updateTable('application_secrets')
          .set({ expires_at: Math.max(now, overlapUntil) })
          .where('application_id', '=', applicationId)
          .where('expires_at', 'is', null)
          .execute();
        await trx
          .insertInto('application_secrets')
          .values({
            id: secret.id,
            application_id: applicationId,
            secret_hash: secret.hash,
            created_at: now,
            expires_at: null,
          })
          .execute();
      });
    },

    /** Forgets secrets that expired more than `before` (the sweeper). */
    async deleteExpiredSecrets(before: number): Promise<number> {
      const result = await db
        .deleteFrom('application_secrets')
        .where('expires_at', 'is not', null)
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type ApplicationRepository = ReturnType<typeof createApplicationRepository>;
