import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import {
  attributes,
  codeFlow,
  registerApp,
  registerUser,
  startOidcServer,
  type TestApp,
  type TestUser,
} from '../../helpers/oidc.ts';

const V2 = '/api/public/v2/attributes.json';

describe('attributes API: payloads, typed values, verification status, JSONP', () => {
  let server: TestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOidcServer();
    app = await registerApp(server, {
      scopes: ['military', 'alumni'],
      releasedAttributes: ['age', 'alumni_school_name', 'alumni_graduation_date', 'alumni_graduated'],
    });
  });
  afterAll(() => server.stop());

  async function tokenFor(user: TestUser, scope = 'military'): Promise<string> {
    const { token } = await codeFlow(server, app, user, { scope });
    expect(token.status).toBe(200);
    return String(token.body.access_token);
  }

  /** The user's age today from a birth date, as the partner should compute it. */
  function ageOf(birthDate: string): number {
    const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
    const now = new Date();
    const hadBirthday =
      now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
    return now.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
  }

  it('releases typed values: age as an integer, community attributes as booleans and dates', async () => {
    const user = await registerUser(server, { birthDate: '1985-03-14', verify: [['military', 'Retiree']] });
    await server.services.verification.attest({
      userId: user.id,
      community: 'alumni',
      subgroups: ['Alumni'],
      method: 'operator',
      attributes: {
        alumni_school_name: 'State University',
        alumni_graduation_date: '2007-05-20',
        alumni_graduated: true,
      },
    });
    const response = await attributes(server, await tokenFor(user, 'military alumni'));
    expect(response.status).toBe(200);
    const values = Object.fromEntries(
      (response.json?.attributes as { handle: string; value: unknown }[]).map((entry) => [
        entry.handle,
        entry.value,
      ]),
    );
    expect(values).toEqual({
      fname: 'Sean',
      lname: 'Moen',
      email: user.email,
      uuid: user.id,
      zip: '44058-1478',
      age: ageOf('1985-03-14'),
      alumni_school_name: 'State University',
      alumni_graduation_date: '2007-05-20',
      alumni_graduated: true,
    });
    expect(response.text).toMatch(/"value":\d+\}/);
    expect(response.text).toContain('"value":true');
    expect(response.json?.status).toEqual([
      { group: 'military', subgroups: ['Retiree'], verified: true },
      { group: 'alumni', subgroups: ['Alumni'], verified: true },
    ]);
  });

  it('leaves age out when the user has no birth date, and never sends null', async () => {
    const user = await registerUser(server, { verify: [['military', 'Veteran']] });
    const response = await attributes(server, await tokenFor(user));
    const handles = (response.json?.attributes as { handle: string }[]).map((entry) => entry.handle);
    expect(handles).toEqual(['fname', 'lname', 'email', 'uuid', 'zip']);
    expect(response.text).not.toContain('null');
  });

  it('reports an unverified user as verified: false with no subgroups (v3 and v2)', async () => {
    const user = await registerUser(server);
    const token = await tokenFor(user);
    const v3 = await attributes(server, token);
    expect(v3.json?.status).toEqual([{ group: 'military', subgroups: [], verified: false }]);
    const v2 = await attributes(server, token, { path: V2 });
    expect(v2.json).toMatchObject({ id: user.id, verified: false, affiliation: null, group: 'military' });
  });

  it('does not report an expired verification as verified', async () => {
    const user = await registerUser(server);
    const token = await tokenFor(user);
    await server.services.verification.attest({
      userId: user.id,
      community: 'military',
      subgroups: ['Service Member'],
      method: 'operator',
      expiresAt: new Date(Date.now() - 86_400_000),
    });
    const v3 = await attributes(server, token);
    expect(v3.json?.status).toEqual([{ group: 'military', subgroups: [], verified: false }]);
    expect((await attributes(server, token, { path: V2 })).json?.verified).toBe(false);
    await server.services.verification.attest({
      userId: user.id,
      community: 'military',
      subgroups: ['Veteran'],
      method: 'operator',
    });
    expect((await attributes(server, token)).json?.status).toEqual([
      { group: 'military', subgroups: ['Veteran'], verified: true },
    ]);
  });

  describe('JSONP', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenFor(await registerUser(server, { verify: [['military', 'Veteran']] }));
    });

    it('wraps the payload in the callback, as JavaScript that cannot be sniffed as anything else', async () => {
      for (const path of [undefined, V2]) {
        const response = await attributes(server, token, {
          query: { callback: 'fn' },
          ...(path ? { path } : {}),
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        // Loaded by a <script> on the partner's page: a same-origin resource policy would block it.
        expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
        const match = /^\/\*\*\/fn\((.*)\);$/s.exec(response.text);
        expect(match).not.toBeNull();
        const plain = await attributes(server, token, path ? { path } : {});
        expect(JSON.parse(match![1]!)).toEqual(plain.json);
      }
    });

    it('accepts dotted identifier paths such as jQuery’s', async () => {
      const response = await attributes(server, token, { query: { callback: 'jQuery1_2.cb$' } });
      expect(response.text.startsWith('/**/jQuery1_2.cb$(')).toBe(true);
    });

    it('refuses a callback that is not a plain identifier → 400, without running any script', async () => {
      for (const callback of ['alert(1)//', 'a;b', '', '1abc', 'a b', 'a.', '<script>', 'x'.repeat(200)]) {
        const response = await attributes(server, token, { query: { callback } });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.json?.error).toBe('attributes.invalid_callback');
        expect(response.text).not.toContain('Sean');
      }
    });
  });
});
