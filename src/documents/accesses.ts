import { shownName, type Application } from '../partners/application.ts';
import type { AccessRepository } from './access-repository.ts';

export interface AccessItem {
  at: Date;
  /** The application that asked (or, when its API token was not valid, the one the token was given to). */
  clientId: string;
  applicationName: string;
  side: string;
  /** The `size` asked for (`300x200`); null for the original. */
  size: string | null;
  /** `served`, or why it was refused: `rate_limited`, `expired_token`, `api_token_invalid`, … */
  outcome: string;
}

const MAX_PAGE = 200;

/** A user's document accesses with the names users know the applications by, newest first. */
export async function listAccessesForUser(
  deps: {
    accesses: AccessRepository;
    applications: { findByClientId(clientId: string): Promise<Application | undefined> };
  },
  userId: string,
  page: { limit: number; offset: number },
): Promise<{ items: AccessItem[]; total: number }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  const { items, total } = await deps.accesses.listForUser(userId, { limit, offset });
  const names = new Map<string, string>();
  for (const clientId of new Set(items.map((item) => item.clientId ?? item.tokenClientId ?? ''))) {
    const application = clientId === '' ? undefined : await deps.applications.findByClientId(clientId);
    names.set(
      clientId,
      application === undefined ? 'An application that no longer exists' : shownName(application),
    );
  }
  return {
    total,
    items: items.map((item) => {
      const clientId = item.clientId ?? item.tokenClientId ?? '';
      return {
        at: item.at,
        clientId,
        applicationName: names.get(clientId) ?? '',
        side: item.side ?? '',
        size: item.size,
        outcome: item.outcome,
      };
    }),
  };
}
