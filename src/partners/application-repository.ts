import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import type { ApplicationsTable } from '../storage/tables/oidc.ts';
import type { Application } from './application.ts';

const json = (value: unknown) => JSON.stringify(value);
// Columns written by this repository from typed values; read back as the same types.
const parse = (text: string): never => JSON.parse(text) as never;

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
  };
}

export function createApplicationRepository(db: Kysely<Schema>) {
  return {
    async insert(
      app: Application,
      grantTypes: string[],
      secretHash: { id: string; hash: string } | undefined,
    ) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('applications')
          .values({
            id: app.id,
            client_id: app.clientId,
            name: app.name,
            redirect_uris: json(app.redirectUris),
            post_logout_redirect_uris: json(app.postLogoutRedirectUris),
            allowed_scopes: json(app.allowedScopes),
            response_types: json(app.responseTypes),
            grant_types: json(grantTypes),
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
            document_passback: app.documentPassback ? 1 : 0,
          })
          .execute();
        if (secretHash !== undefined) {
          await trx
            .insertInto('application_secrets')
            .values({
              id: secretHash.id,
              application_id: app.id,
              secret_hash: secretHash.hash,
              created_at: app.createdAt.getTime(),
              expires_at: null,
            })
            .execute();
        }
      });
    },

    async findByClientId(clientId: string): Promise<Application | undefined> {
      const row = await db
        .selectFrom('applications')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row === undefined ? undefined : toApplication(row);
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
  };
}

export type ApplicationRepository = ReturnType<typeof createApplicationRepository>;
