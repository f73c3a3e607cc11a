import { setTimeout as delay } from 'node:timers/promises';
import {
  checkRegistryEndpoint,
  expandTemplate,
  type Placeholder,
  type RegistryConfig,
} from './registry-config.ts';
import { interpretAnswer } from './registry-response.ts';
import type { SourceRequest, SourceResult, VerificationSource } from './source.ts';

export type { RegistryConfig, RegistryMapping } from './registry-config.ts';

export interface HttpRegistryDeps {
  fetch?: typeof fetch;
  /** Waits between attempts; injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/** Bytes of an answer Vetted reads at most: a registry's verdict on one person is small. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
const BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/** One attempt's end: a result, or a reason to try again (network error, timeout, 5xx, 429). */
type Attempt = { result: SourceResult } | { retry: string };

/**
 * A registry with a JSON API, asked with GET at the URL template filled with the person's details (each
 * URL-encoded). Each attempt has `timeoutMs`; network errors, timeouts, 5xx and 429 are tried again up to
 * `retries` times with an exponential backoff. 404 is `not_found`; any other failure is `unavailable`,
 * never `verified`. The auth header is sent to the registry only: it is in no result, reason or log.
 */
export function createHttpRegistrySource(
  config: RegistryConfig,
  deps: HttpRegistryDeps = {},
): VerificationSource {
  const fetchAnswer = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  const { placeholders, header } = checkRegistryEndpoint(config.urlTemplate, config.authHeader);
  const unavailable = (reason: string): SourceResult => ({ outcome: 'unavailable', reason });

  async function attempt(url: string): Promise<Attempt> {
    const headers = new Headers({ accept: 'application/json' });
    if (header !== undefined) headers.set(header.name, header.value);
    try {
      // Redirects are not followed: the auth header goes to the configured registry and nowhere else.
      const response = await fetchAnswer(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      if (response.status >= 200 && response.status < 300) {
        const text = await readText(response);
        if (text === undefined)
          return { result: unavailable(`The answer is larger than ${MAX_ANSWER_BYTES} bytes.`) };
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return { result: unavailable('The answer is not JSON.') };
        }
        return { result: interpretAnswer(json, config.mapping, config.community, config.id) };
      }
      await response.body?.cancel();
      if (response.status === 404)
        return { result: { outcome: 'not_found', reason: 'The registry has no such member.' } };
      if (response.status === 429 || response.status >= 500)
        return { retry: `The registry answered ${response.status}.` };
      return { result: unavailable(`The registry answered ${response.status}.`) };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        return { retry: `The registry did not answer within ${config.timeoutMs} ms.` };
      }
      return { retry: 'The registry could not be reached.' };
    }
  }

  return {
    kind: 'registry',
    id: config.id,
    name: config.name,
    async verify(request: SourceRequest): Promise<SourceResult> {
      const { person } = request;
      const values: Record<Placeholder, string> = {
        member_id: request.memberId?.trim() ?? '',
        email: person.email.trim(),
        first_name: person.firstName.trim(),
        last_name: person.lastName.trim(),
      };
      if (placeholders.has('member_id') && values.member_id === '') {
        return { outcome: 'not_found', reason: 'The registry needs a member id.' };
      }
      // Asking about an address the user has not proven would verify whoever owns it.
      if (placeholders.has('email') && !person.emailVerified) {
        return { outcome: 'not_found', reason: 'The email address is not confirmed.' };
      }
      if ([...placeholders].some((name) => values[name] === '')) {
        return { outcome: 'not_found', reason: 'The registry needs details this person has not given.' };
      }
      // A whole value of `.` or `..` would be a dot segment: the URL parser would walk the path up (an encoded
      // %2E is a dot segment too), so what a user types could choose another endpoint of the registry.
      if ([...placeholders].some((name) => /^\.{1,2}$/.test(values[name]))) {
        return { outcome: 'not_found', reason: 'The registry has no record for these details.' };
      }
      const url = expandTemplate(config.urlTemplate, values);
      let reason = '';
      for (let tries = 0; tries <= config.retries; tries += 1) {
        if (tries > 0) await sleep(Math.min(BACKOFF_MS * 2 ** (tries - 1), MAX_BACKOFF_MS));
        const outcome = await attempt(url);
        if ('result' in outcome) return outcome.result;
        reason = outcome.retry;
      }
      const attempts = config.retries + 1;
      return unavailable(`${reason} (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`);
    },
  };
}

/** The body as UTF-8 text, or undefined when it exceeds MAX_ANSWER_BYTES (reading stops there). */
async function readText(response: Response): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Typed ReadableStream<any> by @types/node; fetch's body streams are bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  // Invalid UTF-8 becomes U+FFFD, and JSON.parse then decides.
  return new TextDecoder().decode(Buffer.concat(chunks));
}
