import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcServer } from '../helpers/oidc.ts';
import { httpRequest, rawRequest } from '../helpers/raw-http.ts';
import type { TestServer } from '../helpers/server.ts';

const DOCUMENT_TOKEN = 'vdt_PathVariantSecret0123456789abcd';
const INVITATION_TOKEN = 'InvitationPathVariantSecret_0123456789';

/**
 * One routing rule (issue 13, point 3): paths are strict and case-sensitive, so a trailing slash or a case
 * variant of a route that carries a secret never reaches its handler, and the access log never holds the
 * secret, whatever variant of the path was asked for.
 */
describe('path variants', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());

  /** Sends the path exactly as given (fetch would normalise `//` and `%2F`). */
  async function send(method: string, path: string) {
    const answer = await rawRequest(
      server.config.baseUrl,
      httpRequest(method, path, { Accept: 'application/json', Connection: 'close' }),
      { waitMs: 2000 },
    );
    return answer.status;
  }

  const documentVariants = [
    `/api/public/v3/documents/${DOCUMENT_TOKEN}/`,
    `/api/public/v3/documents/${DOCUMENT_TOKEN}//`,
    `/API/PUBLIC/V3/DOCUMENTS/${DOCUMENT_TOKEN}`,
    `/Api/Public/v3/Documents/${DOCUMENT_TOKEN}/`,
    `/api//public/v3/documents/${DOCUMENT_TOKEN}`,
    `/api/public/v3/documents%2F${DOCUMENT_TOKEN}`,
    `/api/public/v3/documents/${DOCUMENT_TOKEN}/extra`,
  ];
  for (const path of documentVariants) {
    for (const method of ['GET', 'POST']) {
      it(`answers 404 to ${method} ${path} and keeps the token out of the log`, async () => {
        expect(await send(method, path)).toBe(404);
        expect(server.logText()).not.toContain(DOCUMENT_TOKEN);
      });
    }
  }

  const invitationVariants = [
    `/developer/invitations/${INVITATION_TOKEN}/`,
    `/Developer/Invitations/${INVITATION_TOKEN}`,
    `/DEVELOPER/INVITATIONS/${INVITATION_TOKEN}/`,
    `/developer//invitations/${INVITATION_TOKEN}`,
  ];
  for (const path of invitationVariants) {
    for (const method of ['GET', 'POST']) {
      it(`answers 404 to ${method} ${path} and keeps the token out of the log`, async () => {
        expect(await send(method, path)).toBe(404);
        expect(server.logText()).not.toContain(INVITATION_TOKEN);
      });
    }
  }

  it('serves the exact paths, and logs them with the token masked', async () => {
    // No API token: the document API refuses, the invitation page asks the visitor to sign in.
    expect(await send('POST', `/api/public/v3/documents/${DOCUMENT_TOKEN}`)).toBe(401);
    expect(await send('GET', `/developer/invitations/${INVITATION_TOKEN}`)).toBe(302);
    const paths = server.logs.filter((line) => line.msg === 'request').map((line) => line.path);
    expect(paths).toContain('/api/public/v3/documents/:document_token');
    expect(paths).toContain('/developer/invitations/:token');
    expect(server.logText()).not.toContain(DOCUMENT_TOKEN);
    expect(server.logText()).not.toContain(INVITATION_TOKEN);
  });

  it('never logs a query string, where tokens travel too', async () => {
    const secret = 'QueryStringSecret_0123456789';
    for (const path of [
      `/api/public/v3/documents/${DOCUMENT_TOKEN}?token=${secret}`,
      `/api/public/v3/attributes.json?access_token=${secret}`,
      `/oauth/authorize?client_id=${secret}&code_challenge=${secret}`,
      `/developer/invitations/${INVITATION_TOKEN}?next=${secret}`,
      `/nowhere?token=${secret}`,
    ]) {
      await send('GET', path);
    }
    expect(server.logText()).not.toContain(secret);
    expect(server.logText()).not.toContain(DOCUMENT_TOKEN);
  });

  it('applies the same rule to every route, oidc-provider’s included', async () => {
    for (const path of [
      '/healthz/',
      '/HEALTHZ',
      '/account/Sign-In',
      '/oauth/token/',
      '/OAUTH/TOKEN',
      '/.well-known/OpenID-Configuration',
    ]) {
      const method = path.toLowerCase().startsWith('/oauth/token') ? 'POST' : 'GET';
      expect(await send(method, path), `${method} ${path}`).toBe(404);
    }
    expect(await send('GET', '/healthz')).toBe(200);
  });
});
