import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { military, person } from './fixtures.test-support.ts';
import { createHttpRegistrySource, type RegistryConfig } from './http-registry.ts';
import type { SourcePerson } from './source.ts';

const TOKEN = 'Bearer registry-secret-7f3a';

/** A small registry: GET /members/<id>, answering from `members`; `behaviour` scripts failures. */
const members: Record<string, unknown> = {
  'A-1': { data: { status: 'active', rank: 'vet', until: '2027-01-31T00:00:00Z', record: 991 } },
  'A-2': { data: { status: 'Inactive', rank: 'vet', record: 992 } },
  'A-3': { data: { status: 'active', rank: 'astronaut', record: 993 } },
  'A-4': { data: { status: 'active', record: 994 } },
  'A-5': { data: { status: 'active', rank: 'vet', until: 'next year', record: 995 } },
  'A-6': { data: { state: 'active' } },
  'x/y?z=1 #': { data: { status: 'active', rank: 'active duty', record: 996 } },
};
let behaviour: 'normal' | 'flaky' | 'silent' | 'malformed' | 'huge' | 'redirect' = 'normal';
const requests: { url: string; authorization: string | undefined }[] = [];

function handle(request: IncomingMessage, response: ServerResponse): void {
  requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
  if (behaviour === 'silent') return;
  if (behaviour === 'flaky' && requests.length === 1) return void response.writeHead(503).end('busy');
  if (request.headers.authorization !== TOKEN)
    return void response.writeHead(401).end('{"error":"unauthorized"}');
  if (behaviour === 'malformed') return void response.writeHead(200).end('{"data": {"status": "act');
  if (behaviour === 'huge') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"pad":"');
    const chunk = 'x'.repeat(64 * 1024);
    for (let index = 0; index < 20; index += 1) response.write(chunk);
    return void response.end('"}');
  }
  if (behaviour === 'redirect')
    return void response.writeHead(302, { location: 'http://example.invalid/' }).end();
  const match = /^\/members\/([^/?]+)\?last=([^&]*)$/u.exec(request.url ?? '');
  const member = match?.[1] === undefined ? undefined : members[decodeURIComponent(match[1])];
  if (member === undefined) return void response.writeHead(404).end('{"error":"not found"}');
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(member));
}

describe('HTTP registry source (a real registry on loopback)', () => {
  let server: Server;
  let base: string;
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    behaviour = 'normal';
    requests.length = 0;
    waits.length = 0;
  });

  const config = (overrides: Partial<RegistryConfig> = {}): RegistryConfig => ({
    id: 'dod',
    name: 'Defense registry',
    community: military,
    urlTemplate: `${base}/members/{member_id}?last={last_name}`,
    authHeader: `Authorization: ${TOKEN}`,
    mapping: {
      verifiedPath: 'data.status',
      verifiedValues: ['active', true],
      subgroupPath: 'data.rank',
      subgroupMap: { vet: 'Veteran', 'active duty': 'Service Member', retired: 'Retiree' },
      expiresAtPath: 'data.until',
      referencePath: 'data.record',
    },
    timeoutMs: 2_000,
    retries: 2,
    ...overrides,
  });
  const ask = (
    memberId: string | undefined,
    overrides: Partial<RegistryConfig> = {},
    who: Partial<SourcePerson> = {},
  ) =>
    createHttpRegistrySource(config(overrides), { sleep }).verify({
      person: { ...person, lastName: "O'Neil Smith", ...who },
      community: military,
      ...(memberId === undefined ? {} : { memberId }),
    });

  it('verifies an active member with the mapped subgroup, expiry and reference, sending the auth header', async () => {
    expect(await ask('A-1')).toEqual({
      outcome: 'verified',
      subgroups: ['Veteran'],
      expiresAt: new Date('2027-01-31T00:00:00Z'),
      reference: 'registry:dod:991',
    });
    expect(requests).toEqual([{ url: '/members/A-1?last=O%27Neil%20Smith', authorization: TOKEN }]);
  });

  it('is unavailable when the registry refuses Vetted (401 without the header), and never shows the header', async () => {
    const result = await ask('A-1', { authHeader: null });
    expect(result).toEqual({ outcome: 'unavailable', reason: 'The registry answered 401.' });
    expect(requests).toEqual([{ url: expect.any(String), authorization: undefined }]);
    const everything = JSON.stringify([
      await ask('A-1', { authHeader: 'Authorization: Bearer wrong' }),
      await ask('A-2'),
    ]);
    expect(everything).not.toContain('registry-secret');
    expect(everything).not.toContain('Bearer');
  });

  it('is not_found for an unknown member (404) and rejected for an inactive one', async () => {
    expect(await ask('Z-9')).toEqual({ outcome: 'not_found', reason: expect.any(String) });
    expect(await ask('A-2')).toEqual({
      outcome: 'rejected',
      reason: 'The registry says "Inactive".',
      reference: 'registry:dod:992',
    });
    expect(requests).toHaveLength(2);
  });

  it('is not_found without calling when the template needs a member id that was not given', async () => {
    expect(await ask(undefined)).toEqual({ outcome: 'not_found', reason: 'The registry needs a member id.' });
    expect(await ask('  ')).toMatchObject({ outcome: 'not_found' });
    const byEmail = { urlTemplate: `${base}/members/{email}?last=x` };
    expect(await ask(undefined, byEmail, { emailVerified: false })).toMatchObject({ outcome: 'not_found' });
    expect(requests).toEqual([]);
  });

  it('tries again after a 503, with a backoff', async () => {
    behaviour = 'flaky';
    expect(await ask('A-1')).toMatchObject({ outcome: 'verified', subgroups: ['Veteran'] });
    expect(requests.map((request) => request.url)).toEqual([expect.any(String), expect.any(String)]);
    expect(waits).toEqual([100]);
  });

  it('is unavailable after the timeout when the registry never answers', async () => {
    behaviour = 'silent';
    const started = Date.now();
    const result = await ask('A-1', { timeoutMs: 200, retries: 1 });
    expect(result).toEqual({
      outcome: 'unavailable',
      reason: 'The registry did not answer within 200 ms. (2 attempts)',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(requests).toHaveLength(2);
  });

  it('is unavailable when the registry cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await ask('A-1', {
      urlTemplate: `http://127.0.0.1:${port}/members/{member_id}`,
      retries: 1,
    });
    expect(result).toEqual({
      outcome: 'unavailable',
      reason: 'The registry could not be reached. (2 attempts)',
    });
  });

  it.each([
    ['malformed', 'The answer is not JSON.'],
    ['huge', 'The answer is larger than 1048576 bytes.'],
    ['redirect', 'The registry answered 302.'],
  ] as const)('is unavailable for a %s answer', async (kind, reason) => {
    behaviour = kind;
    expect(await ask('A-1')).toEqual({ outcome: 'unavailable', reason });
    expect(requests).toHaveLength(1);
  });

  it('is unavailable when the answer lacks the mapped fields or has unusable values', async () => {
    expect(await ask('A-6')).toEqual({
      outcome: 'unavailable',
      reason: "The registry's answer has no usable data.status.",
    });
    expect(await ask('A-4')).toEqual({
      outcome: 'unavailable',
      reason: "The registry's answer has no data.rank.",
    });
    expect(await ask('A-5')).toEqual({
      outcome: 'unavailable',
      reason: "The registry's data.until is not a date.",
    });
  });

  it('never verifies with a subgroup the community does not have', async () => {
    expect(await ask('A-3')).toEqual({
      outcome: 'unavailable',
      reason: 'The source named "astronaut", which is not a subgroup of military.',
    });
    const mappedAway = { ...config().mapping, subgroupMap: { vet: 'Reservist' } };
    expect(await ask('A-1', { mapping: mappedAway })).toMatchObject({ outcome: 'unavailable' });
  });

  it('URL-encodes placeholders: a member id with / and ? arrives as one path segment', async () => {
    expect(await ask('x/y?z=1 #')).toEqual({
      outcome: 'verified',
      subgroups: ['Service Member'],
      reference: 'registry:dod:996',
    });
    expect(requests[0]?.url).toBe('/members/x%2Fy%3Fz%3D1%20%23?last=O%27Neil%20Smith');
  });

  it('never lets a value walk the path: a member id or name of . or .. is not asked at all', async () => {
    for (const memberId of ['..', '.']) {
      expect(await ask(memberId)).toMatchObject({ outcome: 'not_found' });
    }
    expect(await ask('A-1', {}, { lastName: '..' })).toMatchObject({ outcome: 'not_found' });
    expect(requests).toEqual([]);
  });

  it('refuses templates that are not http(s) or put a placeholder in the host', () => {
    for (const urlTemplate of [
      'ftp://registry.example/{member_id}',
      'https://{member_id}/x',
      '/members/{member_id}',
    ]) {
      expect(() => createHttpRegistrySource(config({ urlTemplate }))).toThrow(
        expect.objectContaining({ code: 'verification.registry_invalid' }),
      );
    }
    expect(() => createHttpRegistrySource(config({ urlTemplate: `${base}/{unknown}` }))).toThrow(
      /unknown placeholder/,
    );
    expect(() => createHttpRegistrySource(config({ authHeader: 'no colon' }))).toThrow(/Name: value/);
  });
});
