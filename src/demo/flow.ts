import type { Context } from 'koa';
import { createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../keys/secret-box.ts';

const COOKIE = 'vetted_test_flow';
const LIFETIME_MS = 10 * 60_000;
const SEAL_CONTEXT = 'test-flow';

/**
 * A sign-in started on Vetted for its own callback page (/demo/callback): the demo's, or the developer
 * console's "Test this app". Everything the callback needs to check the answer and exchange the code is kept
 * in the browser that started it, sealed (AES-256-GCM with a server key, see keys/secret-box.ts), for 10
 * minutes: nothing is stored on the server, so any instance can finish what another started.
 */
export interface TestFlow {
  kind: 'demo' | 'console';
  clientId: string;
  clientType: 'public' | 'confidential';
  redirectUri: string;
  scope: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The console's test: the developer who started it (the callback answers only them), and where to return. */
  userId?: string;
  returnTo?: string;
  expiresAt: number;
}

export interface FlowStore {
  start(
    ctx: Context,
    input: Omit<TestFlow, 'state' | 'nonce' | 'codeVerifier' | 'expiresAt'>,
    authorizeUrl: string,
  ): string;
  read(ctx: Context): TestFlow | undefined;
  clear(ctx: Context): void;
}

export function createFlowStore(deps: { box: SecretBox; secure: boolean; now: () => number }): FlowStore {
  const options = (expires: Date) => ({
    httpOnly: true,
    // Lax: the callback is reached by a top-level redirect from the authorization.
    sameSite: 'lax' as const,
    secure: deps.secure,
    path: '/demo',
    expires,
    overwrite: true,
  });
  return {
    /** Makes state, nonce and a PKCE verifier, keeps them, and returns the authorization URL to send to. */
    start(ctx, input, authorizeUrl) {
      const flow: TestFlow = {
        ...input,
        state: randomBytes(16).toString('base64url'),
        nonce: randomBytes(16).toString('base64url'),
        codeVerifier: randomBytes(32).toString('base64url'),
        expiresAt: deps.now() + LIFETIME_MS,
      };
      if (deps.secure) ctx.cookies.secure = true;
      ctx.cookies.set(
        COOKIE,
        deps.box.seal(JSON.stringify(flow), SEAL_CONTEXT),
        options(new Date(flow.expiresAt)),
      );
      const params = new URLSearchParams({
        client_id: flow.clientId,
        redirect_uri: flow.redirectUri,
        response_type: 'code',
        scope: flow.scope,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: createHash('sha256').update(flow.codeVerifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      return `${authorizeUrl}?${params.toString()}`;
    },

    /** The flow this browser started, unless it expired or was tampered with. */
    read(ctx) {
      const sealed = ctx.cookies.get(COOKIE);
      if (sealed === undefined || sealed === '') return undefined;
      try {
        const flow = JSON.parse(deps.box.open(sealed, SEAL_CONTEXT).toString('utf8')) as TestFlow;
        return flow.expiresAt > deps.now() ? flow : undefined;
      } catch {
        return undefined;
      }
    },

    clear(ctx) {
      if (deps.secure) ctx.cookies.secure = true;
      ctx.cookies.set(COOKIE, '', options(new Date(0)));
    },
  };
}
