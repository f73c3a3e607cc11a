import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { loadConfig, type Config } from '../../src/config/load.ts';
import { loadMasterKey } from '../../src/keys/master-key.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { createServices } from '../../src/services.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startServer } from '../../src/server.ts';
import type { CheckedUpload } from '../../src/verification/evidence/upload-check.ts';
import { testEnv } from '../helpers/env.ts';
import {
  attributes,
  codeFlow,
  freePort,
  registerApp,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';

/** The real server in this process with a manual clock that starts at the real time (for oidc-provider). */
export async function startPassbackServer(overrides: Record<string, string> = {}) {
  const port = await freePort();
  const env = testEnv({
    VETTED_PORT: String(port),
    VETTED_BASE_URL: `http://127.0.0.1:${port}`,
    ...overrides,
  });
  const config = loadConfig(env);
  const clock = createManualClock(new Date());
  const running = await startServer(config, { clock, logger: createLogger('silent') });
  const server: TestServer = { ...running, config, env, logs: [], logText: () => '' };
  return { server, clock };
}

/** An image as a checked upload (any size: the upload minimum is not what these tests are about). */
export async function imageUpload(
  width: number,
  height: number,
  format: 'jpeg' | 'png' = 'jpeg',
  channels: 3 | 4 = 3,
): Promise<CheckedUpload> {
  const pixels = Buffer.alloc(width * height * channels, 180);
  if (channels === 4) for (let index = 3; index < pixels.length; index += 8) pixels[index] = 40;
  const image = sharp(pixels, { raw: { width, height, channels } });
  const bytes = await (format === 'jpeg' ? image.jpeg() : image.png()).toBuffer();
  return {
    contentType: format === 'jpeg' ? 'image/jpeg' : 'image/png',
    bytes,
    width,
    height,
    contentHash: createHash('sha256').update(randomBytes(16)).digest('hex'),
  };
}

/** A verified military verification of `userId` with these document sides, approved. */
export async function verifiedDocument(
  server: TestServer,
  userId: string,
  sides: { front?: CheckedUpload; back?: CheckedUpload },
) {
  const { verification, documents } = server.services;
  const started = await verification.start({
    userId,
    community: 'military',
    method: 'document',
    subgroups: ['Veteran'],
  });
  const stored = [];
  for (const side of ['front', 'back'] as const) {
    const upload = sides[side];
    if (upload === undefined) continue;
    stored.push(
      await documents.store({ verificationId: started.id, userId, documentType: 'dd214', side, upload }),
    );
  }
  await verification.submitEvidence(started.id, { kind: 'document', details: { documents: stored.length } });
  const approved = await verification.approve(started.id, {
    subgroups: ['Veteran'],
    actor: { type: 'operator' },
  });
  return { verification: approved, documents: stored };
}

/** An application with document passback enabled and an API token. */
export async function passbackApp(server: TestServer, input: { passback?: boolean } = {}) {
  const app = await registerApp(server, { scopes: ['military', 'student'] });
  if (input.passback !== false) {
    await server.services.applications.setFeatures(
      app.clientId,
      { documentPassback: true },
      { type: 'operator' },
    );
  }
  const { token } = await server.services.documentPassback.provisionApiToken(app.clientId, {
    type: 'operator',
  });
  return { app, apiToken: token };
}

/** The value of `document_tokens` in one attributes call, or undefined when it is absent. */
export async function documentTokens(server: TestServer, accessToken: string) {
  const response = await attributes(server, accessToken);
  if (response.status !== 200) throw new Error(`attributes: ${response.status} ${response.text}`);
  const entries = response.json?.attributes as { handle: string; name: string; value: unknown }[];
  const entry = entries.find((item) => item.handle === 'document_tokens');
  return entry as
    { handle: string; name: string; value: { front: string | null; back: string | null } } | undefined;
}

export async function accessTokenFor(server: TestServer, app: TestApp, user: TestUser): Promise<string> {
  const { token } = await codeFlow(server, app, user, { scope: 'openid military' });
  if (token.status !== 200) throw new Error(`token: ${token.status}`);
  return String(token.body.access_token);
}

/** A user with a verified document, an application with passback, and fresh document tokens. */
export async function passbackFixture(
  server: TestServer,
  sides: { front?: CheckedUpload; back?: CheckedUpload },
  app?: { app: TestApp; apiToken: string },
) {
  const partner = app ?? (await passbackApp(server));
  const user = await registerUser(server);
  const verified = await verifiedDocument(server, user.id, sides);
  const accessToken = await accessTokenFor(server, partner.app, user);
  const tokens = await documentTokens(server, accessToken);
  return { ...partner, user, verified, accessToken, tokens: tokens?.value };
}

/** Fetches a document image through the API. */
export async function fetchDocument(
  server: TestServer,
  documentToken: string,
  options: { apiToken?: string; size?: string; method?: 'GET' | 'POST'; bearer?: boolean } = {},
) {
  const url = new URL(`/api/public/v3/documents/${encodeURIComponent(documentToken)}`, server.config.baseUrl);
  const headers: Record<string, string> = { Accept: 'application/json, image/*' };
  if (options.apiToken !== undefined) {
    if (options.bearer === true) headers.Authorization = `Bearer ${options.apiToken}`;
    else url.searchParams.set('token', options.apiToken);
  }
  if (options.size !== undefined) url.searchParams.set('size', options.size);
  const response = await fetch(url, { method: options.method ?? 'POST', headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').includes('json')
    ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)
    : undefined;
  return { status: response.status, headers: response.headers, bytes, json };
}

export async function refreshToken(
  server: TestServer,
  apiToken: string,
  documentToken: string,
  form = false,
) {
  const response = await fetch(new URL('/api/public/v3/document_tokens/refresh', server.config.baseUrl), {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${apiToken}`,
      'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      Accept: 'application/json',
    },
    body: form
      ? new URLSearchParams({ document_token: documentToken }).toString()
      : JSON.stringify({ document_token: documentToken }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * For running processes (a benchmark, several instances): services of this process on the same database and
 * master key write a partner with passback and an API token, and a user whose verified document is `front`;
 * the OAuth flow that yields the document tokens goes to the process at `config.baseUrl`. Close `services`
 * and `database` when done.
 */
export async function passbackThroughRunningServer(config: Config, front: CheckedUpload) {
  const database = await openDatabase(config.database);
  const services = createServices({
    config,
    database,
    clock: systemClock,
    ids: randomIds,
    logger: createLogger('silent'),
    masterKey: await loadMasterKey(config.masterKey),
  });
  const server = { config, services } as unknown as TestServer;
  const { app, apiToken } = await passbackApp(server);
  const user = await registerUser(server);
  const { documents } = await verifiedDocument(server, user.id, { front });
  const tokens = await documentTokens(server, await accessTokenFor(server, app, user));
  return {
    services,
    database,
    apiToken,
    documentId: documents[0]?.id ?? '',
    front: tokens?.value.front ?? '',
  };
}
