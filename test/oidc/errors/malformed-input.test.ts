import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { basicAuth, codeFlow, registerApp, registerUser, startOidcServer } from '../../helpers/oidc.ts';

interface Probe {
  method: 'GET' | 'POST';
  path: string;
  /** Raw query string (not re-encoded, so invalid encodings reach the server as they are). */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Pages for people answer in HTML, APIs in JSON. */
  kind: 'html' | 'json';
}

/** Query strings that are wrong in every way a partner (or an attacker) can be wrong. */
function malformedQueries(clientId: string, redirectUri: string): string[] {
  const base = `client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}`;
  const long = 'a'.repeat(6000);
  return [
    '',
    'client_id=',
    `client_id=${long}`,
    `${base}&response_type=code&scope=military&state=${long}`,
    `${base}&response_type=code&scope=${long}`,
    `${base}&response_type=code&scope=military&scope=student`,
    `${base}&response_type=code&response_type=token&scope=military`,
    `client_id=${clientId}&client_id=${clientId}&response_type=code&scope=military`,
    `${base}&response_type=code&scope=military&redirect_uri=https://evil.example/`,
    `${base}&response_type=%00&scope=military`,
    `${base}&response_type=code&scope=milit%00ary`,
    `${base}&response_type=code&scope=military%0d%0aSet-Cookie:%20x=y`,
    `${base}&response_type=code&scope=%E2%80%AEmilitary&state=%F0%9F%A6%84`,
    `${base}&response_type=code&scope=military&state=%ZZ%E0%A4%A`,
    `${base}&response_type=code&scope=military&nonce=${long}&eid=%01`,
    `${base}&response_type=code&scope=military&code_challenge=x&code_challenge_method=plain`,
    `${base}&response_type=code&scope=military&code_challenge=${long}&code_challenge_method=S256`,
    `${base}&response_type=code&scope=military&prompt=none%20login&max_age=-1`,
    `${base}&response_type=code&scope=military&request=not.a.jwt`,
    `${base}&response_type=code&scope=military&request_uri=urn:ietf:params:oauth:request_uri:nope`,
    `${base}&response_type=code&scope=military&claims={not json`,
    `${base}&response_type=code&scope=military&response_mode=form_post&response_mode=query`,
    `${base}&response_type=token&scope=military&vetted_response_type=token`,
    `${base}&response_type=code&scope=military&id_token_hint=a.b.c&ui_locales=${long}`,
    `${base}&response_type=code&scope=military&op=${encodeURIComponent('<script>')}`,
    `client_id[]=x&redirect_uri[a]=b&scope[]=military`,
    `access_token=&callback=`,
    `access_token=${long}&callback=fn`,
    `access_token=a&access_token=b&callback=a&callback=b`,
    `callback=${encodeURIComponent('alert(1)//')}&access_token=x`,
    `token=${long}&token_type_hint=${long}`,
    `post_logout_redirect_uri=${encodeURIComponent(redirectUri)}&id_token_hint=garbage`,
    `${base}&post_logout_redirect_uri=javascript:alert(1)&state=${long}`,
  ];
}

function malformedBodies(clientId: string, clientSecret: string): { body: string; type: string }[] {
  const form = 'application/x-www-form-urlencoded';
  const auth = `client_id=${clientId}&client_secret=${encodeURIComponent(clientSecret)}`;
  return [
    { body: '', type: form },
    { body: '{"grant_type":', type: 'application/json' },
    { body: '{"grant_type":"authorization_code","code":"x"}', type: 'application/json' },
    { body: '[1,2,3]', type: 'application/json' },
    { body: 'grant_type=authorization_code', type: 'text/plain' },
    {
      body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      type: 'multipart/form-data; boundary=x',
    },
    { body: `${auth}&grant_type=authorization_code&code=${'c'.repeat(5000)}`, type: form },
    { body: `${auth}&grant_type=authorization_code&grant_type=refresh_token`, type: form },
    { body: `${auth}&grant_type=refresh_token&refresh_token=%00%01`, type: form },
    { body: `${auth}&grant_type=refresh_token&refresh_token=x&scope=wizard%20military`, type: form },
    { body: `${auth}&grant_type=authorization_code&code=x&code_verifier=${'v'.repeat(300)}`, type: form },
    { body: `${auth}&token=${'t'.repeat(5000)}&token_type_hint=refresh_token`, type: form },
    { body: `${auth}&token=a&token=b`, type: form },
    { body: `client_id[]=a&client_secret[x]=b&grant_type=authorization_code`, type: form },
    { body: `grant_type=authorization_code&code=%ZZ&client_id=%E0%A4%A`, type: form },
    { body: `_csrf=x&email=${'e'.repeat(5000)}&password=%00&decision=allow`, type: form },
    { body: 'x'.repeat(70_000), type: form },
  ];
}

const badAuthorizations = [
  'Basic !!!',
  `Basic ${Buffer.from('no-colon').toString('base64')}`,
  `Basic ${Buffer.from('%ZZ:%E0').toString('base64')}`,
  'Bearer',
  'Bearer a b',
  `Bearer ${'x'.repeat(8000)}`,
  'DPoP x',
  'Negotiate abc',
];

describe('no 500 on malformed input', () => {
  let server: TestServer;
  const probes: Probe[] = [];

  beforeAll(async () => {
    server = await startOidcServer();
    const app = await registerApp(server);
    const { token } = await codeFlow(server, app, await registerUser(server));
    const accessToken = String(token.body.access_token);
    const queries = malformedQueries(app.clientId, app.redirectUri);
    const pages = ['/oauth/authorize', '/oauth/logout', '/interaction/x', '/oauth/authorize/x'];
    const apis = [
      '/oauth/token',
      '/oauth/revoke',
      '/oauth/introspect',
      '/oauth/par',
      '/api/public/v3/userinfo',
      '/api/public/v3/attributes.json',
      '/api/public/v2/attributes.json',
    ];
    for (const query of queries) {
      for (const path of pages) probes.push({ method: 'GET', path, query, kind: 'html' });
      for (const path of apis) probes.push({ method: 'GET', path, query, kind: 'json' });
    }
    const postTargets: Probe[] = [
      ...['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/par', '/api/public/v3/userinfo'].map(
        (path): Probe => ({ method: 'POST', path, kind: 'json' }),
      ),
      ...['/oauth/authorize', '/oauth/logout/confirm', '/interaction/x/login', '/interaction/x/consent'].map(
        (path): Probe => ({ method: 'POST', path, kind: 'html' }),
      ),
    ];
    for (const target of postTargets) {
      for (const { body, type } of malformedBodies(app.clientId, app.clientSecret)) {
        probes.push({ ...target, body, headers: { 'Content-Type': type } });
      }
    }
    for (const authorization of [...badAuthorizations, basicAuth(app.clientId, 'wrong')]) {
      for (const path of apis) {
        probes.push({ method: 'GET', path, headers: { Authorization: authorization }, kind: 'json' });
        probes.push({
          method: 'POST',
          path,
          headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=authorization_code&code=x&token=y',
          kind: 'json',
        });
      }
    }
    for (const path of ['/api/public/v3/attributes.json', '/api/public/v3/userinfo']) {
      for (const dpop of ['', 'garbage', 'a.b.c', `${'x'.repeat(4000)}.y.z`, 'eyJhbGciOiJub25lIn0.e30.']) {
        probes.push({
          method: 'GET',
          path,
          headers: { Authorization: `DPoP ${accessToken}`, DPoP: dpop },
          kind: 'json',
        });
      }
    }
  });
  afterAll(() => server.stop());

  it('answers every malformed request below 500, as HTML on pages and JSON on APIs', async () => {
    expect(probes.length).toBeGreaterThan(400);
    const failures: string[] = [];
    const send = async (probe: Probe) => {
      const url = `${server.config.baseUrl}${probe.path}${probe.query === undefined ? '' : `?${probe.query}`}`;
      const accept = probe.kind === 'html' ? 'text/html' : 'application/json';
      const response = await fetch(url, {
        method: probe.method,
        headers: { Accept: accept, ...probe.headers },
        body: probe.body,
        redirect: 'manual',
      });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      const label = `${probe.method} ${url.slice(0, 160)} ${probe.body?.slice(0, 60) ?? ''} → ${response.status} ${type}`;
      if (response.status >= 500) failures.push(`${label}: ${text.slice(0, 200)}`);
      else if (response.status >= 400 && text !== '') {
        const expected = probe.kind === 'html' ? /^text\/html/ : /^application\/json/;
        if (!expected.test(type)) failures.push(`${label}: unexpected content type`);
        if (probe.kind === 'html' && !text.includes('vetted.css'))
          failures.push(`${label}: LOOK ${text.slice(0, 300)}`);
        if (probe.kind === 'json') {
          try {
            const body = JSON.parse(text) as { error?: unknown };
            if (typeof body.error !== 'string') failures.push(`${label}: no error code`);
          } catch {
            failures.push(`${label}: not JSON`);
          }
        }
      }
    };
    for (let index = 0; index < probes.length; index += 16) {
      await Promise.all(probes.slice(index, index + 16).map(send));
    }
    expect(failures).toEqual([]);
    const serverErrors = server.logs.filter((line) => line.level === 50);
    expect(serverErrors).toEqual([]);
  });
});
