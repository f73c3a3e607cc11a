import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  authorizeUrl,
  Browser,
  pkcePair,
  registerApp,
  registerUser,
  responseParams,
  startOidcServer,
  tokenRequest,
} from '../../helpers/oidc.ts';
import type { TestServer } from '../../helpers/server.ts';

describe('a native app with a private-use URI scheme (RFC 8252)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startOidcServer();
  });
  afterAll(() => server.stop());

  it('receives the code at com.example.app:/… and redeems it with PKCE and no secret', async () => {
    const app = await registerApp(server, {
      clientType: 'public',
      redirectUris: ['com.example.app:/oauth2redirect'],
    });
    const user = await registerUser(server, { verify: [['student', 'University Student']] });
    const { verifier, challenge } = pkcePair();
    const journey = await authorize(
      new Browser(),
      server,
      authorizeUrl(server, {
        client_id: app.clientId,
        redirect_uri: 'com.example.app:/oauth2redirect',
        response_type: 'code',
        scope: 'student',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'n1',
      }),
      { user },
    );
    expect(journey.callback?.protocol).toBe('com.example.app:');
    const params = responseParams(journey.callback);
    expect(params.state).toBe('n1');
    const token = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: params.code ?? '',
      redirect_uri: 'com.example.app:/oauth2redirect',
      client_id: app.clientId,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('student');
  });
});
