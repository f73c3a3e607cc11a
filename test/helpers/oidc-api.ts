import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTVerifyResult,
} from 'jose';
import { responseTypes } from '../../src/partners/application.ts';
import type { TestServer } from './server.ts';

/** Every response type an application can be enabled for (a new application gets only `code`). */
export const ALL_RESPONSE_TYPES = responseTypes;

/** What a test reads from any HTTP response: the status, the headers, the raw text and the JSON, if it is. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, otherwise undefined. */
  json: Record<string, unknown> | undefined;
}

export async function readResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  if (/json/.test(response.headers.get('content-type') ?? '')) {
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A request to the server, never following redirects. */
export async function call(
  server: TestServer,
  path: string | URL,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    form?: Record<string, string>;
  } = {},
): Promise<ApiResponse> {
  const headers = { ...init.headers };
  let body = init.body;
  if (init.form !== undefined) {
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const response = await fetch(new URL(path, server.config.baseUrl), {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  });
  return readResponse(response);
}

export function basicAuth(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** The attributes API (v3 unless another path is given), with the token in `Authorization: Bearer`. */
export function attributes(
  server: TestServer,
  accessToken: string | undefined,
  options: { path?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const url = new URL(options.path ?? '/api/public/v3/attributes.json', server.config.baseUrl);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = { ...options.headers };
  if (accessToken !== undefined && !('Authorization' in headers))
    headers.Authorization = `Bearer ${accessToken}`;
  return call(server, url, { headers });
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The server's published JWKS, fetched now. */
export async function publishedJwks(server: TestServer): Promise<{ keys: JWK[] }> {
  const response = await fetch(new URL('/oidc/.well-known/jwks', server.config.baseUrl));
  return (await response.json()) as { keys: JWK[] };
}

/** Verifies a JWT the server signed against its published JWKS and its issuer. */
export async function verifyServerJwt(
  server: TestServer,
  jwt: string,
  audience: string,
): Promise<JWTVerifyResult> {
  return jwtVerify(jwt, createLocalJWKSet(await publishedJwks(server)), {
    issuer: `${server.config.baseUrl}/oidc`,
    audience,
  });
}

/** `base64url(left half of sha256(value))`: an ID token's `at_hash` and `c_hash`. */
export function halfHash(value: string): string {
  const digest = createHash('sha256').update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

/** A DPoP proof (RFC 9449) for one request; `accessToken` adds the `ath` claim. */
export function dpopProof(
  key: DpopKey,
  input: { htm: string; htu: string; accessToken?: string; jti?: string; iat?: number },
): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: input.htm,
    htu: input.htu,
    jti: input.jti ?? randomUUID(),
    iat: input.iat ?? Math.floor(Date.now() / 1000),
  };
  if (input.accessToken !== undefined) {
    claims.ath = createHash('sha256').update(input.accessToken).digest('base64url');
  }
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk })
    .sign(key.privateKey);
}

/** The action and hidden fields of the first form on a page (a form_post response, the logout page). */
export function pageForm(page: string): { action: string | undefined; fields: Record<string, string> } {
  const action = /<form[^>]*\saction="([^"]*)"/.exec(page)?.[1];
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input\b[^>]*>/g)) {
    const tag = match[0];
    const name = /\sname="([^"]*)"/.exec(tag)?.[1];
    const value = /\svalue="([^"]*)"/.exec(tag)?.[1];
    if (name !== undefined) fields[name] = decodeEntities(value ?? '');
  }
  return { action: action === undefined ? undefined : decodeEntities(action), fields };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_all, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_all, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
