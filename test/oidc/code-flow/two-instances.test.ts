import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_REASON, postgresDatabase, postgresUrl } from '../../helpers/databases.ts';
import { randomMasterKey } from '../../helpers/env.ts';
import {
  authorize,
  authorizeUrl,
  Browser,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  tokenRequest,
} from '../../helpers/oidc.ts';
import type { TestServer } from '../../helpers/server.ts';

const describePostgres = postgresUrl ? describe : describe.skip;

describePostgres(
  `a code flow across two instances on one PostgreSQL${postgresUrl ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  () => {
    const database = postgresDatabase(postgresUrl ?? '');
    let first: TestServer;
    let second: TestServer;

    beforeAll(async () => {
      const shared = { VETTED_DATABASE_URL: await database.create(), VETTED_MASTER_KEY: randomMasterKey() };
      first = await startOidcServer(shared);
      second = await startOidcServer(shared);
    });
    afterAll(async () => {
      await first.stop();
      await second.stop();
      await database.dropAll();
    });

    it('signs in on one instance, exchanges and refreshes on the other, reads attributes on the first', async () => {
      const app = await registerApp(first);
      const user = await registerUser(second, { verify: [['military', 'Retiree']] });
      const journey = await authorize(
        new Browser(),
        first,
        authorizeUrl(first, {
          client_id: app.clientId,
          redirect_uri: app.redirectUri,
          response_type: 'code',
          scope: 'military',
          eid: 'X-1',
        }),
        { user },
      );
      expect(journey.shown).toEqual(['sign-in', 'consent']);
      const token = await tokenRequest(second, {
        grant_type: 'authorization_code',
        code: responseParams(journey.callback).code ?? '',
        redirect_uri: app.redirectUri,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      });
      expect(token.status).toBe(200);
      const refreshed = await tokenRequest(second, {
        grant_type: 'refresh_token',
        refresh_token: String(token.body.refresh_token),
        client_id: app.clientId,
        client_secret: app.clientSecret,
      });
      expect(refreshed.status).toBe(200);
      const response = await fetch(new URL('/api/public/v3/attributes.json', first.config.baseUrl), {
        headers: { Authorization: `Bearer ${String(refreshed.body.access_token)}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        attributes: { handle: string; value: unknown }[];
        status: unknown;
      };
      expect(body.status).toEqual([{ group: 'military', subgroups: ['Retiree'], verified: true }]);
      expect(body.attributes.find((attribute) => attribute.handle === 'eid')?.value).toBe('X-1');
    });
  },
);
