import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.ts';
import { registerUser } from '../helpers/oidc.ts';
import {
  accessTokenFor,
  documentTokens,
  fetchDocument,
  imageUpload,
  passbackApp,
  passbackFixture,
  refreshToken,
  startPassbackServer,
  verifiedDocument,
} from './support.ts';

const DAY_MS = 86_400_000;

describe('document passback API', () => {
  let server: TestServer;
  let clock: Awaited<ReturnType<typeof startPassbackServer>>['clock'];
  let partner: Awaited<ReturnType<typeof passbackApp>>;

  beforeAll(async () => {
    ({ server, clock } = await startPassbackServer());
    partner = await passbackApp(server);
  });
  afterAll(() => server.stop());

  /** Runs `check` `ms` later, then puts the clock back to real time (oidc-provider's tokens use real time). */
  async function later<T>(ms: number, check: () => Promise<T>): Promise<T> {
    clock.set(new Date(Date.now() + ms));
    try {
      return await check();
    } finally {
      clock.set(new Date());
    }
  }

  describe('sizes: fit inside the box, keep the aspect ratio, never enlarge', () => {
    const cases = [
      { name: 'the seed example', image: [500, 400], size: '300x200', expected: [250, 200] },
      { name: 'a tall image', image: [400, 1000], size: '300x300', expected: [120, 300] },
      { name: 'a wide image', image: [1000, 400], size: '300x300', expected: [300, 120] },
      { name: 'a square image in a tall box', image: [500, 500], size: '100x200', expected: [100, 100] },
      { name: 'an image smaller than the box', image: [300, 200], size: '1000x1000', expected: [300, 200] },
      { name: 'a 1-pixel result', image: [4000, 20], size: '16x16', expected: [16, 1] },
      { name: 'the bounds themselves', image: [5000, 40], size: '4096x16', expected: [2000, 16] },
    ] as const;

    it.each(cases)('$name at size=$size (JPEG)', async (item) => {
      const upload = await imageUpload(item.image[0], item.image[1]);
      const { tokens } = await passbackFixture(server, { front: upload }, partner);
      const response = await fetchDocument(server, tokens!.front!, {
        apiToken: partner.apiToken,
        size: item.size,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const metadata = await sharp(response.bytes).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', ...item.expected]);
      if (item.expected[0] === item.image[0]) expect(response.bytes.equals(upload.bytes)).toBe(true);
    });

    it('keeps a PNG a PNG, with its alpha channel', async () => {
      const { tokens } = await passbackFixture(
        server,
        { front: await imageUpload(600, 400, 'png', 4) },
        partner,
      );
      const response = await fetchDocument(server, tokens!.front!, {
        apiToken: partner.apiToken,
        size: '300x300',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const metadata = await sharp(response.bytes).metadata();
      expect([metadata.format, metadata.width, metadata.height, metadata.hasAlpha]).toEqual([
        'png',
        300,
        200,
        true,
      ]);
    });

    it('returns the original resolution without size, by GET and Bearer too', async () => {
      const upload = await imageUpload(640, 480);
      const { tokens } = await passbackFixture(server, { front: upload }, partner);
      const response = await fetchDocument(server, tokens!.front!, {
        apiToken: partner.apiToken,
        method: 'GET',
        bearer: true,
      });
      expect(response.status).toBe(200);
      expect(response.bytes.equals(upload.bytes)).toBe(true);
    });

    it.each([
      '300',
      '0x10',
      'abcx10',
      '5000x10',
      '300x200x1',
      '15x100',
      '100x4097',
      ' 300x200',
      '-300x200',
      '',
    ])('refuses size=%j with a 400 naming the bounds', async (size) => {
      const { tokens } = await passbackFixture(server, { front: await imageUpload(500, 400) }, partner);
      const response = await fetchDocument(server, tokens!.front!, { apiToken: partner.apiToken, size });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ error: 'passback.invalid_size', request_id: expect.any(String) });
      expect(String(response.json?.message)).toMatch(/16 to 4096/);
    });
  });

  describe('document tokens in the attributes', () => {
    it('adds front and back tokens, new on every call; a missing side is null', async () => {
      const both = await passbackFixture(
        server,
        { front: await imageUpload(300, 200), back: await imageUpload(300, 200) },
        partner,
      );
      expect(both.tokens).toEqual({
        front: expect.stringMatching(/^vdt_/),
        back: expect.stringMatching(/^vdt_/),
      });
      const again = await documentTokens(server, both.accessToken);
      expect(again).toEqual({
        handle: 'document_tokens',
        name: 'Document Passback Tokens',
        value: expect.any(Object),
      });
      expect(again?.value.front).not.toBe(both.tokens?.front);
      expect(again?.value.back).not.toBe(both.tokens?.back);
      for (const token of [both.tokens!.front!, again!.value.front!, again!.value.back!]) {
        expect(
          (await fetchDocument(server, token, { apiToken: partner.apiToken, size: '16x16' })).status,
        ).toBeLessThan(500);
      }
      const frontOnly = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      expect(frontOnly.tokens).toEqual({ front: expect.any(String), back: null });
    });

    it('adds none for a user without a verified document, or an application without passback or API token', async () => {
      const user = await registerUser(server, { verify: [['military', 'Veteran']] });
      expect(await documentTokens(server, await accessTokenFor(server, partner.app, user))).toBeUndefined();

      const withDocument = await registerUser(server);
      await verifiedDocument(server, withDocument.id, { front: await imageUpload(300, 200) });
      const plain = await passbackApp(server, { passback: false });
      expect(
        await documentTokens(server, await accessTokenFor(server, plain.app, withDocument)),
      ).toBeUndefined();
      const noToken = await passbackApp(server);
      await server.services.documentPassback.revokeApiToken(noToken.app.clientId, { type: 'operator' });
      expect(
        await documentTokens(server, await accessTokenFor(server, noToken.app, withDocument)),
      ).toBeUndefined();
    });

    it('stores only hashes of the tokens', async () => {
      const { tokens, apiToken } = await passbackFixture(server, { front: await imageUpload(300, 200) });
      const file = (server.config.database as { file: string }).file;
      const sqlite = new Sqlite(file, { readonly: true });
      try {
        const rows = JSON.stringify([
          sqlite.prepare('SELECT * FROM document_tokens').all(),
          sqlite.prepare('SELECT * FROM passback_api_tokens').all(),
        ]);
        expect(rows).not.toContain(tokens!.front!.slice(4));
        expect(rows).not.toContain(apiToken.slice(4));
      } finally {
        sqlite.close();
      }
    });
  });

  describe('errors', () => {
    it('answers 401 without or with a wrong API token, also after rotation and revocation', async () => {
      const own = await passbackApp(server);
      const { tokens } = await passbackFixture(server, { front: await imageUpload(300, 200) }, own);
      const token = tokens!.front!;
      const missing = await fetchDocument(server, token);
      expect([missing.status, missing.json?.error]).toEqual([401, 'passback.api_token_required']);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await fetchDocument(server, token, { apiToken: 'vdp_nope' })).status).toBe(401);
      const rotated = await server.services.documentPassback.provisionApiToken(own.app.clientId, {
        type: 'operator',
      });
      expect((await fetchDocument(server, token, { apiToken: own.apiToken })).status).toBe(401);
      expect((await fetchDocument(server, token, { apiToken: rotated.token })).status).toBe(200);
      await server.services.documentPassback.revokeApiToken(own.app.clientId, { type: 'operator' });
      expect((await fetchDocument(server, token, { apiToken: rotated.token })).status).toBe(401);
      expect(await server.services.documentPassback.apiTokenStatus(own.app.clientId)).toBeUndefined();
    });

    it('answers 403 when passback is not enabled for the application', async () => {
      const own = await passbackApp(server);
      const { tokens } = await passbackFixture(server, { front: await imageUpload(300, 200) }, own);
      await server.services.applications.setFeatures(
        own.app.clientId,
        { documentPassback: false },
        { type: 'operator' },
      );
      const response = await fetchDocument(server, tokens!.front!, { apiToken: own.apiToken });
      expect([response.status, response.json?.error]).toEqual([403, 'passback.not_enabled']);
    });

    it('answers the same 404 for unknown, expired and other applications’ tokens', async () => {
      const { tokens } = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      const other = await passbackApp(server);
      const answers = [
        await fetchDocument(server, 'vdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { apiToken: partner.apiToken }),
        await fetchDocument(server, 'garbage', { apiToken: partner.apiToken }),
        await fetchDocument(server, tokens!.front!, { apiToken: other.apiToken }),
        await later(DAY_MS + 1000, () =>
          fetchDocument(server, tokens!.front!, { apiToken: partner.apiToken }),
        ),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.json).toMatchObject({
          error: 'passback.document_token_not_found',
          message: 'The document token is unknown or has expired.',
        });
      }
      // Just before the end of its day it still works.
      expect(
        (
          await later(DAY_MS - 60_000, () =>
            fetchDocument(server, tokens!.front!, { apiToken: partner.apiToken }),
          )
        ).status,
      ).toBe(200);
    });

    it('answers 410 for an image purged by retention, 404 once the verification is deleted', async () => {
      const purged = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      await server.services.verification.revoke(purged.verified.verification.id, {
        actor: { type: 'operator' },
      });
      expect(await server.services.documentPassback.purgeDue()).toBeGreaterThanOrEqual(1);
      const gone = await fetchDocument(server, purged.tokens!.front!, { apiToken: partner.apiToken });
      expect([gone.status, gone.json?.error]).toEqual([410, 'passback.document_purged']);

      const deleted = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      await server.services.verification.remove(deleted.verified.verification.id);
      expect(
        (await fetchDocument(server, deleted.tokens!.front!, { apiToken: partner.apiToken })).status,
      ).toBe(404);
      expect((await refreshToken(server, partner.apiToken, deleted.tokens!.front!)).status).toBe(404);
    });
  });

  describe('rate limit: 2 requests a minute per document', () => {
    it('refuses the third within 60 s with Retry-After, across the document’s tokens, then allows again', async () => {
      const fixture = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      const start = Date.now();
      clock.set(new Date(start));
      expect(
        (await fetchDocument(server, fixture.tokens!.front!, { apiToken: partner.apiToken })).status,
      ).toBe(200);
      clock.set(new Date(start + 20_000));
      const second = (await documentTokens(server, fixture.accessToken))!.value.front!;
      expect((await fetchDocument(server, second, { apiToken: partner.apiToken })).status).toBe(200);
      clock.set(new Date(start + 45_000));
      const third = await fetchDocument(server, second, { apiToken: partner.apiToken, size: '100x100' });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('15');
      expect(third.json).toMatchObject({ error: 'passback.rate_limited', request_id: expect.any(String) });
      clock.set(new Date(start + 60_000));
      expect(
        (await fetchDocument(server, fixture.tokens!.front!, { apiToken: partner.apiToken })).status,
      ).toBe(200);
      clock.set(new Date());
    });
  });

  describe('refresh', () => {
    it('exchanges a token (also an expired one) for a new one of the same side; the old one stops working', async () => {
      const { tokens } = await passbackFixture(
        server,
        { front: await imageUpload(300, 200), back: await imageUpload(200, 300) },
        partner,
      );
      const refreshed = await later(3 * DAY_MS, () => refreshToken(server, partner.apiToken, tokens!.back!));
      expect(refreshed.status).toBe(200);
      expect(refreshed.json).toEqual({
        document_token: expect.stringMatching(/^vdt_/),
        side: 'back',
        expires_at: expect.any(String),
      });
      const image = await fetchDocument(server, String(refreshed.json.document_token), {
        apiToken: partner.apiToken,
      });
      expect(image.status).toBe(200);
      expect((await sharp(image.bytes).metadata()).height).toBe(300);
      expect((await refreshToken(server, partner.apiToken, tokens!.back!)).status).toBe(404);
      // A form body works too; past the maximum age (90 days) a token cannot be refreshed.
      expect((await refreshToken(server, partner.apiToken, tokens!.front!, true)).status).toBe(200);
      const old = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      expect(
        (await later(91 * DAY_MS, () => refreshToken(server, partner.apiToken, old.tokens!.front!))).status,
      ).toBe(404);
    });

    it('is refused once the user revoked the grant, and so is the image', async () => {
      const fixture = await passbackFixture(
        server,
        { front: await imageUpload(300, 200), back: await imageUpload(300, 200) },
        partner,
      );
      await server.services.consents.revoke(fixture.user.id, partner.app.clientId, {
        type: 'user',
        id: fixture.user.id,
      });
      expect((await refreshToken(server, partner.apiToken, fixture.tokens!.front!)).status).toBe(404);
      expect(
        (await fetchDocument(server, fixture.tokens!.back!, { apiToken: partner.apiToken })).status,
      ).toBe(404);
    });

    it('needs the API token and a document token', async () => {
      const { tokens } = await passbackFixture(server, { front: await imageUpload(300, 200) }, partner);
      expect((await refreshToken(server, 'vdp_wrong', tokens!.front!)).status).toBe(401);
      const missing = await refreshToken(server, partner.apiToken, '');
      expect([missing.status, missing.json.error]).toEqual([400, 'passback.document_token_required']);
    });
  });

  describe('the access trail and encryption at rest', () => {
    it('records every access, allowed or refused, for the user and in the audit log, without token values', async () => {
      const fixture = await passbackFixture(server, { front: await imageUpload(300, 200) });
      const token = fixture.tokens!.front!;
      const start = Date.now();
      clock.set(new Date(start));
      await fetchDocument(server, token, { apiToken: fixture.apiToken, size: '100x100' });
      clock.set(new Date(start + 1));
      await fetchDocument(server, token, { apiToken: 'vdp_invalid' });
      clock.set(new Date(start + 2));
      await fetchDocument(server, token, { apiToken: fixture.apiToken, size: '5x5' });
      clock.set(new Date());
      const trail = await server.services.documentPassback.accessesForUser(fixture.user.id, {
        limit: 10,
        offset: 0,
      });
      expect(trail.total).toBe(3);
      expect(
        trail.items.map((item) => [item.outcome, item.side, item.size, item.clientId, item.applicationName]),
      ).toEqual([
        ['invalid_size', 'front', '5x5', fixture.app.clientId, 'Partner Shop'],
        ['api_token_invalid', 'front', null, fixture.app.clientId, 'Partner Shop'],
        ['served', 'front', '100x100', fixture.app.clientId, 'Partner Shop'],
      ]);
      const audit = await server.services.audit.list({ limit: 1000 });
      const mine = audit.filter(
        (row) => row.event === 'document.passback_accessed' && row.subjectId === fixture.user.id,
      );
      expect(mine).toHaveLength(3);
      expect(mine[0]).toMatchObject({
        ip: expect.any(String),
        data: expect.objectContaining({ outcome: 'invalid_size' }),
      });
      const text = JSON.stringify(audit);
      expect(text).not.toContain(token);
      expect(text).not.toContain(fixture.apiToken);
      expect(audit.some((row) => row.event === 'application.passback_token_provisioned')).toBe(true);
    });

    it('keeps the image encrypted at rest: the stored blob is not a decodable image', async () => {
      const upload = await imageUpload(300, 200);
      const { verified } = await passbackFixture(server, { front: upload }, partner);
      const blob = await readFile(join(server.config.dataDir, 'blobs', verified.documents[0]!.id));
      expect(blob.includes(upload.bytes.subarray(0, 64))).toBe(false);
      await expect(sharp(blob).metadata()).rejects.toThrow();
    });
  });
});

describe('document passback retention', () => {
  it('purges images N days after the decision (VETTED_DOCUMENT_RETENTION_DAYS); their tokens answer 410', async () => {
    const { server, clock } = await startPassbackServer({ VETTED_DOCUMENT_RETENTION_DAYS: '30' });
    try {
      const fixture = await passbackFixture(server, { front: await imageUpload(300, 200) });
      expect(await server.services.documentPassback.purgeDue(new Date(Date.now() + 29 * DAY_MS))).toBe(0);
      expect(await server.services.documentPassback.purgeDue(new Date(Date.now() + 30 * DAY_MS + 1000))).toBe(
        1,
      );
      clock.set(new Date());
      const gone = await fetchDocument(server, fixture.tokens!.front!, { apiToken: fixture.apiToken });
      expect(gone.status).toBe(410);
      const document = await server.services.documents.findById(fixture.verified.documents[0]!.id);
      expect(document?.purgedAt).not.toBeNull();
    } finally {
      await server.stop();
    }
  });
});
