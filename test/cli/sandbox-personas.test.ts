import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PERSONA_PASSWORD } from '../../src/cli/sandbox.ts';
import { testEnv } from '../helpers/env.ts';
import {
  authorize,
  authorizeUrl,
  Browser,
  csrfToken,
  formAction,
  freePort,
  responseParams,
  tokenRequest,
} from '../helpers/oidc.ts';
import { runVetted, startVettedProcess, stopProcess, type VettedProcess } from '../helpers/process.ts';

interface PersonaJson {
  email: string;
  password: string | null;
  community: string;
  outcome: string;
  description: string;
  uuid: string;
  created: boolean;
}

const json = (result: { stdout: string }): unknown => JSON.parse(result.stdout);

describe('vetted sandbox personas', () => {
  it('creates four personas per community, and the same accounts when run again', async () => {
    const env = testEnv();
    const communities = json(await runVetted(['communities', 'list', '--json'], env)) as { handle: string }[];
    const first = await runVetted(['sandbox', 'personas', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const created = json(first) as PersonaJson[];
    expect(created).toHaveLength(communities.length * 4);
    expect(created.slice(0, 4)).toEqual(
      ['pass', 'review', 'reject', 'expired'].map((outcome) => ({
        email: `military.${outcome}@sandbox.vetted.test`,
        password: SANDBOX_PERSONA_PASSWORD,
        community: 'military',
        outcome,
        description: expect.any(String),
        uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
        created: true,
      })),
    );
    expect(new Set(created.map((persona) => persona.email)).size).toBe(created.length);

    const second = await runVetted(['sandbox', 'personas', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    expect(json(second) as PersonaJson[]).toEqual(created.map((persona) => ({ ...persona, created: false })));

    const human = await runVetted(['sandbox', 'personas', '--community', 'student'], env);
    expect(human.stdout).toMatch(/^EMAIL +PASSWORD +COMMUNITY +OUTCOME +NEW +DESCRIPTION\n/);
    expect(human.stdout).toMatch(
      new RegExp(
        `student\\.review@sandbox\\.vetted\\.test +${SANDBOX_PERSONA_PASSWORD} +student +review +no +`,
      ),
    );
    expect(human.stdout).toContain('0 created, 4 already there.');
  });

  it('takes another password for new personas and says when existing ones keep theirs', async () => {
    const env = testEnv();
    const own = await runVetted(
      ['sandbox', 'personas', '--community', 'teacher', '--password', 'teacher-test-pw', '--json'],
      env,
    );
    expect((json(own) as PersonaJson[]).map((persona) => persona.password)).toEqual(
      Array.from({ length: 4 }, () => 'teacher-test-pw'),
    );
    const other = await runVetted(['sandbox', 'personas', '--community', 'teacher', '--json'], env);
    expect(other.code, other.stderr).toBe(0);
    expect((json(other) as PersonaJson[]).map((persona) => [persona.password, persona.created])).toEqual(
      Array.from({ length: 4 }, () => [null, false]),
    );
    expect(other.stderr).toBe(
      'vetted: warning: 4 personas existed already with another password, which they keep\n',
    );

    const short = await runVetted(['sandbox', 'personas', '--password', 'short'], env);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('vetted: the password must be 8 to 256 characters long\n');
    const unknown = await runVetted(['sandbox', 'personas', '--community', 'pirates', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
  });
});

describe('sandbox personas against the running server', () => {
  let env: Record<string, string | undefined>;
  let server: VettedProcess & { url: string };
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = testEnv({ VETTED_PORT: String(port), VETTED_BASE_URL: baseUrl, VETTED_LOG_LEVEL: 'info' });
    server = await startVettedProcess(env);
    const personas = await runVetted(['sandbox', 'personas', '--community', 'military'], env);
    expect(personas.code, personas.stderr).toBe(0);
  });
  afterAll(() => stopProcess(server));

  async function createApp(sandbox: boolean) {
    const created = await runVetted(
      [
        'apps',
        'create',
        '--name',
        sandbox ? 'Sandbox Shop' : 'Live Shop',
        '--redirect-uri',
        'https://shop.example/cb',
        '--scopes',
        'military',
        ...(sandbox ? ['--sandbox'] : []),
        '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    return json(created) as { client_id: string; client_secret: string };
  }

  /** Signs the persona in, continues as the test persona on the verify step, and returns the partner's view. */
  async function signInAs(outcome: string, app: { client_id: string; client_secret: string }) {
    const target = { config: { baseUrl } };
    const browser = new Browser();
    const user = {
      id: '',
      email: `military.${outcome}@sandbox.vetted.test`,
      password: SANDBOX_PERSONA_PASSWORD,
    };
    const url = authorizeUrl(target, {
      client_id: app.client_id,
      redirect_uri: 'https://shop.example/cb',
      response_type: 'code',
      scope: 'military',
    });
    const atVerify = await authorize(browser, target, url, { user, verify: 'stop' });
    expect(atVerify.shown).toEqual(['sign-in']);
    const sandboxAction = formAction(atVerify.page, '/verify/sandbox');
    if (sandboxAction === undefined) return { offered: false as const, page: atVerify.page };
    const continued = await browser.request(new URL(sandboxAction, baseUrl), {
      form: { _csrf: csrfToken(atVerify.page) },
    });
    const location = continued.headers.get('location');
    if (location === null) return { offered: true as const, page: await continued.text() };
    const journey = await authorize(browser, target, new URL(location, baseUrl), { user });
    const token = await tokenRequest(target, {
      grant_type: 'authorization_code',
      code: responseParams(journey.callback).code ?? '',
      redirect_uri: 'https://shop.example/cb',
      client_id: app.client_id,
      client_secret: app.client_secret,
    });
    expect(token.status).toBe(200);
    const attributes = await fetch(`${baseUrl}/api/public/v3/attributes.json`, {
      headers: { Authorization: `Bearer ${String(token.body.access_token)}` },
    });
    return {
      offered: true as const,
      shown: journey.shown,
      status: ((await attributes.json()) as { status: unknown }).status,
    };
  }

  // First: a persona verified in a sandbox application is verified for every application afterwards.
  it('offers no sandbox outcome in a production application', async () => {
    const result = await signInAs('pass', await createApp(false));
    expect(result.offered).toBe(false);
  });

  it('gives each persona its fixed outcome in a sandbox application', async () => {
    const app = await createApp(true);
    expect(await signInAs('pass', app)).toEqual({
      offered: true,
      shown: ['consent'],
      status: [{ group: 'military', subgroups: ['Service Member'], verified: true }],
    });
    // Rejected, and verified with an expiry already past: the partner sees verified:false.
    for (const outcome of ['reject', 'expired']) {
      expect(await signInAs(outcome, app)).toMatchObject({
        offered: true,
        status: [{ group: 'military', subgroups: [], verified: false }],
      });
    }
    const review = await signInAs('review', app);
    expect(review).toMatchObject({ offered: true });
    expect('page' in review ? review.page : '').toContain('reviewing your document');
  });
});
