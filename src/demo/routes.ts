import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { currentUser, type AccountSessionDeps } from '../account/session.ts';
import { formBody } from '../http/form-body.ts';
import { secretsEqual } from '../lib/constant-time.ts';
import { DEMO_CLIENT_ID, testCallbackUrl } from '../partners/demo-shop.ts';
import type { Services } from '../services.ts';
import { exchangeCode, fetchAttributes } from './exchange.ts';
import type { FlowStore, TestFlow } from './flow.ts';
import {
  renderCallbackProblem,
  renderCallbackResult,
  renderDemo,
  renderSecretForm,
  type CallbackResult,
} from './views.ts';

export interface DemoDeps extends AccountSessionDeps {
  services: Services;
  flows: FlowStore;
}

const CALLBACK = '/demo/callback';

/** What an error on the authorization response means, for someone trying Vetted out. */
const authorizationErrors: Record<string, string> = {
  access_denied:
    'The sign-in was refused: the person chose Deny on the consent page, or the account is not a test user of this sandbox application. Nothing was shared.',
  invalid_scope: 'The application asked for a community it is not enabled for.',
  login_required: 'Nobody was signed in, and the request asked not to show the sign-in page.',
};

/** What a token endpoint error means here. */
const tokenErrors: Record<string, string> = {
  invalid_grant:
    'The code could not be exchanged: it has expired (codes live 5 minutes), was already used, or belongs to another sign-in. Start again.',
  invalid_client: 'The client secret is not right for this application.',
};

/** The v3 payload's `status` entries (SPEC §4): which communities read verified. */
function verifiedStatus(payload: unknown): { group: string; verified: boolean }[] {
  const status: unknown = (payload as { status?: unknown } | null | undefined)?.status;
  if (!Array.isArray(status)) return [];
  return status.flatMap((item: unknown) => {
    const entry = item as { group?: unknown; verified?: unknown } | null;
    return typeof entry?.group === 'string'
      ? [{ group: entry.group, verified: entry.verified === true }]
      : [];
  });
}

const query = (ctx: Context, name: string) => (typeof ctx.query[name] === 'string' ? ctx.query[name] : '');
const form = (ctx: Context, name: string) => {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/**
 * The development demo (/demo, the Demo Shop) and Vetted's own test callback (/demo/callback), where the
 * demo and the developer console's "Test this app" end: it checks the state, exchanges the code with a real
 * HTTP request to the token endpoint, and reads the attributes, showing each request and response. In
 * production only the console's tests reach the callback; everything else is a 404.
 */
export function demoRoutes(router: Router, deps: DemoDeps, csrf: Middleware): void {
  const { config } = deps.services;
  const csrfToken = (ctx: Context) => (ctx.state as { csrfToken: string }).csrfToken;
  const backOf = (flow: TestFlow | undefined) =>
    flow?.kind === 'console' && flow.returnTo !== undefined
      ? { href: flow.returnTo, label: 'Back to the production checklist' }
      : { href: '/demo', label: 'Try another sign-in' };

  function show(ctx: Context, status: number, body: string): void {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  }
  function problem(
    ctx: Context,
    status: number,
    flow: TestFlow | undefined,
    title: string,
    explanation: string,
  ) {
    show(ctx, status, renderCallbackProblem({ title, explanation, back: backOf(flow) }));
  }

  async function demoPage(ctx: Context, status = 200, error?: string, asked?: string) {
    const app = await deps.services.applications.findByClientId(DEMO_CLIENT_ID);
    if (app === undefined) {
      return problem(
        ctx,
        404,
        undefined,
        'There is no Demo Shop',
        'The Demo Shop is made at start-up in development when the database has no application at all. Register your own with `npx vetted apps create` and test it from the developer console.',
      );
    }
    const communities = (await deps.services.communities.list()).filter((community) =>
      app.allowedScopes.includes(community.handle),
    );
    const wanted = asked ?? query(ctx, 'community');
    const chosen = communities.find((community) => community.handle === wanted) ?? communities[0];
    const personas = (await deps.services.testUsers.readyPersonas(DEMO_CLIENT_ID)).filter(
      (persona) => persona.community === chosen?.handle,
    );
    const names = new Map(communities.map((community) => [community.handle, community.name]));
    show(
      ctx,
      status,
      renderDemo({
        personas: personas.map((persona) => ({
          email: persona.email,
          password: persona.password,
          community: names.get(persona.community) ?? persona.community,
          description: persona.description,
        })),
        communities: communities.map((community) => ({ handle: community.handle, name: community.name })),
        chosen: chosen?.handle ?? '',
        startAction: '/demo/start',
        csrfToken: csrfToken(ctx),
        ...(error === undefined ? {} : { error }),
      }),
    );
  }

  if (config.demo) {
    router.get('/demo', csrf, (ctx) => demoPage(ctx));
    router.post('/demo/start', formBody(), csrf, async (ctx) => {
      const app = await deps.services.applications.findByClientId(DEMO_CLIENT_ID);
      const community = form(ctx, 'community');
      if (app === undefined || !app.allowedScopes.includes(community)) {
        return demoPage(ctx, 400, 'Choose one of the communities in the list.', community);
      }
      const start = deps.flows.start(
        ctx,
        {
          kind: 'demo',
          clientId: app.clientId,
          clientType: app.clientType,
          redirectUri: testCallbackUrl(config.baseUrl),
          scope: `openid profile email ${community}`,
        },
        `${config.baseUrl}/oauth/authorize`,
      );
      ctx.redirect(start);
      ctx.status = 303;
    });
  }

  /** The flow this browser started and may finish here, or an answer saying why not (undefined). */
  async function ownFlow(ctx: Context): Promise<TestFlow | undefined> {
    const flow = deps.flows.read(ctx);
    if (flow === undefined || (flow.kind === 'demo' && !config.demo)) {
      if (!config.demo) {
        ctx.status = 404;
        return undefined;
      }
      problem(
        ctx,
        400,
        undefined,
        'No sign-in was started here',
        'This page finishes a sign-in started from /demo or from the developer console in this browser within the last 10 minutes. Start one again.',
      );
      return undefined;
    }
    if (flow.kind === 'console' && (await currentUser(ctx, deps))?.id !== flow.userId) {
      problem(
        ctx,
        403,
        flow,
        'Sign in to the developer console',
        'This test was started by a developer of the application: sign in to the developer console as them to see its result.',
      );
      return undefined;
    }
    return flow;
  }

  function stateMatches(ctx: Context, flow: TestFlow, given: string): boolean {
    if (secretsEqual(given, flow.state)) return true;
    problem(
      ctx,
      400,
      flow,
      'The state does not match',
      'The answer carries a state this browser did not send, so it may not be the answer to its own sign-in (a forged or replayed link). The code was not exchanged.',
    );
    return false;
  }

  async function finish(ctx: Context, flow: TestFlow, code: string, clientSecret?: string) {
    const token = await exchangeCode({
      baseUrl: config.baseUrl,
      flow,
      code,
      ...(clientSecret === undefined ? {} : { clientSecret }),
    });
    if (token.error === 'invalid_client' && clientSecret !== undefined) {
      return show(ctx, 400, secretForm(ctx, flow, code, tokenErrors.invalid_client));
    }
    deps.flows.clear(ctx);
    const result: CallbackResult = { code, token: token.call, verified: [], back: backOf(flow) };
    if (token.accessToken === undefined) {
      const explained = token.error === undefined ? undefined : tokenErrors[token.error];
      result.problem =
        explained ??
        token.errorDescription ??
        token.call.failure ??
        'The token endpoint did not issue a token.';
      return show(ctx, 200, renderCallbackResult(result));
    }
    const attributes = await fetchAttributes({ baseUrl: config.baseUrl, accessToken: token.accessToken });
    result.attributes = attributes.call;
    result.verified = verifiedStatus(attributes.payload);
    show(ctx, 200, renderCallbackResult(result));
  }

  function secretForm(ctx: Context, flow: TestFlow, code: string, error?: string): string {
    return renderSecretForm({
      clientId: flow.clientId,
      code,
      state: flow.state,
      action: CALLBACK,
      csrfToken: csrfToken(ctx),
      ...(error === undefined ? {} : { error }),
    });
  }

  router.get(CALLBACK, csrf, async (ctx) => {
    const flow = await ownFlow(ctx);
    if (flow === undefined || !stateMatches(ctx, flow, query(ctx, 'state'))) return;
    const error = query(ctx, 'error');
    if (error !== '') {
      deps.flows.clear(ctx);
      const description = query(ctx, 'error_description');
      return problem(
        ctx,
        200,
        flow,
        error === 'access_denied' ? 'Access denied' : 'The sign-in did not complete',
        `${authorizationErrors[error] ?? description} (error=${error})`,
      );
    }
    const code = query(ctx, 'code');
    if (code === '')
      return problem(ctx, 400, flow, 'No code', 'The answer carries neither a code nor an error.');
    if (flow.clientType === 'confidential') return show(ctx, 200, secretForm(ctx, flow, code));
    await finish(ctx, flow, code);
  });

  router.post(CALLBACK, formBody(), csrf, async (ctx) => {
    const flow = await ownFlow(ctx);
    if (flow === undefined || !stateMatches(ctx, flow, form(ctx, 'state'))) return;
    const code = form(ctx, 'code');
    const secret = form(ctx, 'client_secret');
    if (code === '') return problem(ctx, 400, flow, 'No code', 'The form carries no code: start again.');
    if (flow.clientType !== 'confidential') return finish(ctx, flow, code);
    if (secret === '') return show(ctx, 400, secretForm(ctx, flow, code, 'Paste the client secret.'));
    await finish(ctx, flow, code, secret);
  });
}
