import { afterAll, afterEach, expect, it } from 'vitest';
import { setupLimits } from '../../src/accounts/first-run-setup.ts';
import { Browser, csrfToken, registerUser, startOidcServer } from '../helpers/oidc.ts';
import { describeEachDatabase, type TestDatabase } from '../helpers/databases.ts';
import type { TestServer } from '../helpers/server.ts';

/** The setup code this server printed in its start-up log (the JSON line and its human text). */
function setupCodeOf(server: TestServer): string | undefined {
  const line = server.logs.find((entry) => typeof entry.setupCode === 'string');
  if (line === undefined) return undefined;
  const code = String(line.setupCode);
  expect(String(line.msg)).toContain(`open ${server.config.baseUrl}/setup and enter the code ${code}`);
  return code;
}

const person = (email: string) => ({
  email,
  first_name: 'Ada',
  last_name: 'Admin',
  password: 'correct horse battery',
});

/** First-run setup (issue 14): the first administrator, with the one-time code from the start-up log. */
describeEachDatabase('first-run setup', (database: TestDatabase) => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });
  afterAll(() => database.dropAll());
  async function start(overrides: Record<string, string | undefined> = {}): Promise<TestServer> {
    const server = await startOidcServer({ VETTED_DATABASE_URL: await database.create(), ...overrides });
    servers.push(server);
    return server;
  }
  const url = (server: TestServer, path: string) => new URL(path, server.config.baseUrl);

  async function openForm(server: TestServer, browser = new Browser()) {
    const response = await browser.request(url(server, '/setup'));
    expect(response.status).toBe(200);
    const page = await response.text();
    return { browser, page, token: csrfToken(page) };
  }

  it('prints a code (log and banner) that creates the administrator, signs in, opens /admin, once', async () => {
    const server = await start();
    const code = setupCodeOf(server);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(server.banner.at(-1)).toContain(`${server.config.baseUrl}/setup and enter the code ${code}`);
    expect(server.banner.at(-1)).toContain('vetted admin create');

    const { browser, page, token } = await openForm(server);
    for (const label of ['Setup code', 'Email', 'Password']) expect(page).toContain(`>${label}</label>`);
    expect(page).toContain('Create the first administrator</button>');
    expect(page).toContain('vetted admin create');

    // Bad input: the code is not spent.
    const weak = await browser.request(url(server, '/setup'), {
      form: { _csrf: token, setup_code: code ?? '', ...person('ada@example.com'), password: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('at least 8 characters');

    // Typed in lower case without dashes, as people do.
    const done = await browser.request(url(server, '/setup'), {
      form: {
        _csrf: token,
        setup_code: (code ?? '').replaceAll('-', ' ').toLowerCase(),
        ...person('ada@example.com'),
      },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin');
    const admin = await browser.request(url(server, '/admin'));
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('ada@example.com');

    const user = await server.services.accounts.findByEmail('ada@example.com');
    expect(user?.emailVerified).toBe(true);
    expect(await server.services.roles.rolesOf(user?.id ?? '')).toEqual(['admin']);
    const audited = await server.services.audit.list({ limit: 20 });
    expect(audited.map((row) => row.event)).toContain('setup.completed');

    // Reused: setup is over, the page says so with a 404, the home page no longer offers it.
    const again = await openFormAfterDone(server, code ?? '');
    expect(again.status).toBe(404);
    expect(again.body).toContain('Setup is done');
    const home = await (await fetch(url(server, '/'))).text();
    expect(home).not.toContain('href="/setup"');
    expect(await server.services.accounts.findByEmail('eve@example.com')).toBeUndefined();
  });

  async function openFormAfterDone(server: TestServer, code: string) {
    const browser = new Browser();
    const shown = await browser.request(url(server, '/setup'));
    expect(shown.status).toBe(404);
    const page = await shown.text();
    expect(page).toContain('Setup is done');
    // A token from another page of the site: the CSRF check passes, setup refuses.
    const signIn = await (await browser.request(url(server, '/account/sign-in'))).text();
    const posted = await browser.request(url(server, '/setup'), {
      form: { _csrf: csrfToken(signIn), setup_code: code, ...person('eve@example.com') },
    });
    return { status: posted.status, body: await posted.text() };
  }

  it('refuses a form without its CSRF token, and the code still works afterwards', async () => {
    const server = await start();
    const code = setupCodeOf(server) ?? '';
    const { browser } = await openForm(server);
    const forged = await browser.request(url(server, '/setup'), {
      form: { setup_code: code, ...person('ada@example.com') },
    });
    expect(forged.status).toBe(403);
    expect(await server.services.accounts.findByEmail('ada@example.com')).toBeUndefined();
    expect(await server.services.firstRunSetup.isOpen()).toBe(true);
  });

  it('refuses wrong codes and counts them: past the limit even the right code waits', async () => {
    const server = await start();
    const code = setupCodeOf(server) ?? '';
    const { browser, token } = await openForm(server);
    for (let attempt = 1; attempt <= setupLimits.network.limit; attempt += 1) {
      const wrong = await browser.request(url(server, '/setup'), {
        form: { _csrf: token, setup_code: 'AAAA-BBBB-CCCC', ...person('ada@example.com') },
      });
      expect(wrong.status).toBe(403);
      const page = await wrong.text();
      expect(page).toContain('That setup code is not right');
      expect(page).toContain('value="ada@example.com"');
    }
    const blocked = await browser.request(url(server, '/setup'), {
      form: { _csrf: token, setup_code: code, ...person('ada@example.com') },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await server.services.accounts.findByEmail('ada@example.com')).toBeUndefined();
  });

  it('consumes a code once when two setups race with it', async () => {
    const server = await start();
    const code = setupCodeOf(server) ?? '';
    // Side by side in one process, both pass every check before either consumes: only the UPDATE decides.
    const outcomes = await Promise.allSettled(
      ['one@example.com', 'two@example.com'].map((email) =>
        server.services.firstRunSetup.complete(
          { code, email, firstName: 'Ada', lastName: 'Admin', password: 'correct horse battery' },
          { ip: '192.0.2.1' },
        ),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((refused?.reason as { code?: string }).code).toBe('setup.code_invalid');
    const created = await Promise.all(
      ['one@example.com', 'two@example.com'].map((email) => server.services.accounts.findByEmail(email)),
    );
    expect(created.filter((user) => user !== undefined)).toHaveLength(1);
  });

  it('accepts any instance’s printed code, and prints none once an administrator exists', async () => {
    const first = await start();
    const shared = {
      VETTED_DATABASE_URL: first.env.VETTED_DATABASE_URL,
      VETTED_MASTER_KEY: first.env.VETTED_MASTER_KEY,
    };
    const second = await start(shared);
    const firstCode = setupCodeOf(first) ?? '';
    const secondCode = setupCodeOf(second) ?? '';
    expect(firstCode).not.toBe(secondCode);

    // The first instance's log line works on the second instance.
    const { browser, token } = await openForm(second);
    const done = await browser.request(url(second, '/setup'), {
      form: { _csrf: token, setup_code: firstCode, ...person('ada@example.com') },
    });
    expect(done.status).toBe(303);
    // The other code is gone with it.
    expect((await openFormAfterDone(first, secondCode)).status).toBe(404);

    const third = await start(shared);
    expect(setupCodeOf(third)).toBeUndefined();
    expect(third.banner.join('\n')).not.toContain('First-run setup');
  });

  it('is closed when the administrator was made with the CLI’s domain call, and says so', async () => {
    const server = await start();
    const staff = await registerUser(server);
    await server.services.roles.grant(staff.id, 'admin', { type: 'operator' });
    expect((await openFormAfterDone(server, setupCodeOf(server) ?? '')).status).toBe(404);
  });
});
