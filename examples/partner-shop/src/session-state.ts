import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Session } from 'express-session';

/** What the shop remembers about a verified visitor: enough to keep the discount across reloads. */
export interface Verification {
  group: string;
  subgroups: string[];
  verifiedAt: string;
}

export type Outcome = 'verified' | 'not_verified' | 'denied' | 'error';

export interface Notice {
  tone: 'info' | 'error';
  text: string;
}

export interface ShopSession {
  csrfToken: string;
  /** States of the buttons rendered lately, newest last: one per page render, several so two tabs work. */
  pendingStates: string[];
  /** Callbacks already handled (by state, or by code for a stateless one), so a replay is not exchanged twice. */
  completed: { key: string; outcome: Outcome }[];
  verification?: Verification;
  notice?: Notice;
  /** When this session last opened /idme-compatible, whose widget sends no state (ms since the epoch). */
  idmePageVisitedAt?: number;
}

declare module 'express-session' {
  interface SessionData {
    shop: ShopSession;
  }
}

const KEEP_PENDING = 5;
const KEEP_COMPLETED = 5;

export function shopSession(session: Session & { shop?: ShopSession }): ShopSession {
  session.shop ??= { csrfToken: randomBytes(32).toString('base64url'), pendingStates: [], completed: [] };
  return session.shop;
}

export function addPendingState(shop: ShopSession, state: string): void {
  shop.pendingStates = [...shop.pendingStates, state].slice(-KEEP_PENDING);
}

/** Removes `state` from the pending states; true when it was there. */
export function takePendingState(shop: ShopSession, state: string): boolean {
  const index = shop.pendingStates.indexOf(state);
  if (index < 0) return false;
  shop.pendingStates.splice(index, 1);
  return true;
}

export function isCompleted(shop: ShopSession, key: string): boolean {
  return shop.completed.some((entry) => entry.key === key);
}

export function markCompleted(shop: ShopSession, key: string, outcome: Outcome): void {
  shop.completed = [...shop.completed, { key, outcome }].slice(-KEEP_COMPLETED);
}

export function csrfMatches(shop: ShopSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(shop.csrfToken);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
