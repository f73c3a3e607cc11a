import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  isCompleted,
  markCompleted,
  shopSession,
  takePendingState,
  type Notice,
  type Outcome,
  type ShopSession,
} from './session-state.ts';
import { describeFailure, type VettedClient } from './verification.ts';
import { messagePage } from './views.ts';

/** How long after opening /idme-compatible a callback without state is accepted. */
export const STATELESS_WINDOW_MS = 10 * 60 * 1000;

export interface CallbackDeps {
  redirectUri: string;
  vetted: VettedClient;
  now: () => number;
  logError: (message: string, error: unknown) => void;
  /** Renders the shop page (the callback answers with it, so the popup flow can hand its URL over). */
  renderShop: (req: Request, res: Response) => void;
}

/**
 * The redirect URI. A state already handled in this session (the popup's opener replaying the popup's URL, a
 * reload, the back button) goes home without a second exchange; an unknown state is refused.
 */
export function handleCallback(deps: CallbackDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const shop = shopSession(req.session);
    // The public callback URL with the query Vetted sent: openid-client takes the redirect_uri from it.
    const current = new URL(deps.redirectUri);
    current.search = new URL(req.originalUrl, 'http://callback.invalid').search;
    const params = current.searchParams;
    const state = params.get('state');
    const key = state ?? codeKey(params.get('code'));

    if (isCompleted(shop, key)) return res.redirect(303, '/');
    if (!(state === null ? takeStatelessWindow(shop, deps.now()) : takePendingState(shop, state))) {
      res.status(400).type('html');
      res.send(
        messagePage(
          'Link expired',
          'This verification link has expired or was already used — try again from the shop.',
        ),
      );
      return;
    }

    const error = params.get('error');
    const outcome = error === null ? await exchange(deps, shop, current, state) : errorNotice(error);
    shop.notice = outcome.notice;
    markCompleted(shop, key, outcome.outcome);
    deps.renderShop(req, res);
  };
}

/** What a stateless callback is remembered by (a hash: the session need not hold the code itself). */
function codeKey(code: string | null): string {
  const digest = createHash('sha256')
    .update(code ?? '')
    .digest('base64url');
  return `code:${digest}`;
}

function takeStatelessWindow(shop: ShopSession, now: number): boolean {
  const visited = shop.idmePageVisitedAt;
  delete shop.idmePageVisitedAt;
  return visited !== undefined && now - visited >= 0 && now - visited <= STATELESS_WINDOW_MS;
}

function errorNotice(error: string): { notice: Notice; outcome: Outcome } {
  if (error === 'access_denied') {
    return {
      notice: { tone: 'info', text: 'No problem — you can verify any time to get the discount.' },
      outcome: 'denied',
    };
  }
  return {
    notice: { tone: 'error', text: `Vetted could not finish the verification (${error}). Please try again.` },
    outcome: 'error',
  };
}

async function exchange(
  deps: CallbackDeps,
  shop: ShopSession,
  current: URL,
  state: string | null,
): Promise<{ notice: Notice | undefined; outcome: Outcome }> {
  try {
    const result = await deps.vetted.verify(current, state);
    if (!result.verified) {
      return {
        notice: {
          tone: 'info',
          text: 'Vetted could not confirm military or first responder status for this account, so the discount is not applied.',
        },
        outcome: 'not_verified',
      };
    }
    shop.verification = {
      group: result.group,
      subgroups: result.subgroups,
      verifiedAt: new Date(deps.now()).toISOString(),
    };
    return { notice: undefined, outcome: 'verified' };
  } catch (error) {
    deps.logError('verification with Vetted failed', error);
    return {
      notice: {
        tone: 'error',
        text: `Something went wrong while checking with Vetted (${describeFailure(error)}). Please try again.`,
      },
      outcome: 'error',
    };
  }
}
