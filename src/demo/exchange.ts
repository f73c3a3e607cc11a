import type { TestFlow } from './flow.ts';

/** One HTTP exchange as the callback page shows it: secrets masked, tokens shortened. */
export interface ShownCall {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
  /** undefined when no answer came (the server could not be reached). */
  status?: number;
  responseBody?: string;
  failure?: string;
}

const TIMEOUT_MS = 10_000;

/** A token shortened so that the page shows which one it is without handing it out whole. */
export function shorten(value: string): string {
  return value.length <= 16 ? '…' : `${value.slice(0, 8)}…${value.slice(-4)}`;
}

const TOKEN_FIELDS = new Set(['access_token', 'refresh_token', 'id_token']);

function pretty(text: string, maskTokens: boolean): { text: string; json: unknown } {
  try {
    const json: unknown = JSON.parse(text);
    const replacer = (key: string, value: unknown) =>
      maskTokens && TOKEN_FIELDS.has(key) && typeof value === 'string' ? shorten(value) : value;
    return { text: JSON.stringify(json, replacer, 2), json };
  } catch {
    return { text, json: undefined };
  }
}

async function send(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  shown: ShownCall,
  maskTokens: boolean,
): Promise<unknown> {
  try {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = pretty(await response.text(), maskTokens);
    shown.status = response.status;
    shown.responseBody = body.text;
    return body.json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    shown.failure = `No answer from ${url} (${reason}). Vetted calls itself at its public address (VETTED_BASE_URL): is that where this server answers?`;
    return undefined;
  }
}

const stringField = (json: unknown, name: string): string | undefined => {
  const value = (json as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Exchanges the code at the token endpoint with a real HTTP request to Vetted's public address, exactly as a
 * partner's server would: PKCE's verifier always, the client secret (HTTP Basic) for a confidential client.
 */
export async function exchangeCode(input: {
  baseUrl: string;
  flow: TestFlow;
  code: string;
  clientSecret?: string;
}): Promise<{ call: ShownCall; accessToken?: string; error?: string; errorDescription?: string }> {
  const url = `${input.baseUrl}/oauth/token`;
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.flow.redirectUri,
    code_verifier: input.flow.codeVerifier,
  });
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const shownHeaders: [string, string][] = Object.entries(headers);
  if (input.clientSecret === undefined) {
    form.set('client_id', input.flow.clientId);
  } else {
    const credentials = `${encodeURIComponent(input.flow.clientId)}:${encodeURIComponent(input.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    shownHeaders.push(['Authorization', `Basic base64(${input.flow.clientId}:<client secret, not shown>)`]);
  }
  const body = form.toString();
  const call: ShownCall = { method: 'POST', url, headers: shownHeaders, body };
  const json = await send(url, { method: 'POST', headers, body }, call, true);
  const accessToken = stringField(json, 'access_token');
  const error = stringField(json, 'error');
  const errorDescription = stringField(json, 'error_description');
  return {
    call,
    ...(accessToken === undefined ? {} : { accessToken }),
    ...(error === undefined ? {} : { error }),
    ...(errorDescription === undefined ? {} : { errorDescription }),
  };
}

/** Reads the attributes with the access token, as a partner does next. */
export async function fetchAttributes(input: {
  baseUrl: string;
  accessToken: string;
}): Promise<{ call: ShownCall; payload: unknown }> {
  const url = `${input.baseUrl}/api/public/v3/attributes.json`;
  const call: ShownCall = {
    method: 'GET',
    url,
    headers: [
      ['Authorization', `Bearer ${shorten(input.accessToken)}`],
      ['Accept', 'application/json'],
    ],
  };
  const payload = await send(
    url,
    { method: 'GET', headers: { Authorization: `Bearer ${input.accessToken}`, Accept: 'application/json' } },
    call,
    false,
  );
  return { call, payload };
}
