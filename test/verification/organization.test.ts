import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_LIMITS } from '../../src/verification/engine.ts';
import { randomIds } from '../../src/lib/ids.ts';
import { importRoster } from '../../src/verification/sources/roster-import.ts';
import type { Community } from '../../src/verification/types.ts';
import { registerApp, registerUser, startOidcServer, type TestApp } from '../helpers/oidc.ts';
import type { TestServer } from '../helpers/server.ts';
import { auditTrail, pageErrors, pageText, pageTitle, partnerStatus, signIn } from './support.ts';

const CHECK_MESSAGE = 'Check with your organization';

/** A registry outside Vetted: members by id; `/down/…` answers 500 every time. */
function startRegistry(): Promise<{ server: Server; base: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    const url = new URL(request.url ?? '/', 'http://registry');
    if (url.pathname.startsWith('/down/')) return response.writeHead(500).end('{"error":"oops"}');
    if (request.headers['x-api-key'] !== 'registry-key') return response.writeHead(401).end('{}');
    if (url.pathname === '/members/FD-1' && url.searchParams.get('last_name') === 'Moen') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return response.end(
        JSON.stringify({ id: 'REC-77', status: 'active', role: 'fire', until: '2031-06-30T00:00:00Z' }),
      );
    }
    if (url.pathname === '/members/FD-2') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return response.end(JSON.stringify({ id: 'REC-78', status: 'retired', role: 'fire' }));
    }
    return response.writeHead(404).end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

describe('verify step: organizations’ records (rosters and registries)', () => {
  let server: TestServer;
  let app: TestApp;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let rosterId: string;
  const community = async (handle: string): Promise<Community> => {
    const found = await server.services.communities.find(handle);
    if (found === undefined) throw new Error(`no community ${handle}`);
    return found;
  };

  beforeAll(async () => {
    server = await startOidcServer();
    registry = await startRegistry();
    app = await registerApp(server, { scopes: ['military', 'responder', 'teacher'] });
    // Test users are all called Sean Moen (registerUser).
    ({ rosterId } = await importRoster(
      { repository: server.services.rosters, ids: randomIds, clock: server.services.clock },
      {
        community: await community('military'),
        organization: 'Fort Example',
        csv: [
          'member_id,first_name,last_name,subgroup',
          'SN-1001,Sean,Moen,Veteran',
          'SN-2002,Other,Person,Retiree',
        ].join('\n'),
        createdBy: null,
      },
    ));
    await server.services.registries.insert({
      id: 'fire-registry',
      name: 'Fire Department Registry',
      community: await community('responder'),
      urlTemplate: `${registry.base}/members/{member_id}?last_name={last_name}`,
      authHeader: 'X-Api-Key: registry-key',
      mapping: {
        verifiedPath: 'status',
        verifiedValues: ['active'],
        subgroupPath: 'role',
        subgroupMap: { fire: 'Firefighter' },
        referencePath: 'id',
        expiresAtPath: 'until',
      },
      timeoutMs: 2_000,
      retries: 0,
      createdAt: new Date(),
    });
    await server.services.registries.insert({
      id: 'teacher-registry',
      name: 'Teacher Registry',
      community: await community('teacher'),
      urlTemplate: `${registry.base}/down/{member_id}`,
      authHeader: null,
      mapping: { verifiedPath: 'status', verifiedValues: ['active'], defaultSubgroup: 'Teacher' },
      timeoutMs: 2_000,
      retries: 2,
      createdAt: new Date(),
    });
  });
  afterAll(async () => {
    registry.server.closeAllConnections();
    await new Promise((resolve) => registry.server.close(resolve));
    await server.stop();
  });

  it('verifies a member id on the roster under the account’s names, with the roster’s subgroup', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user);
    expect(pageTitle(verify.page)).toBe('Verify your military status');
    expect(pageText(verify.page)).toContain(CHECK_MESSAGE);

    const consent = await journey.submit(verify, '/verify/organization', { memberId: ' SN-1001 ' });
    expect(pageTitle(consent.page)).toBe('Share with Partner Shop');
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: ['Veteran'], verified: true },
    ]);
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({
      status: 'verified',
      method: 'roster',
      sourceReference: `roster:${rosterId}`,
    });
    expect(await auditTrail(server, verification?.id ?? '')).toEqual([
      'verification.started',
      'verification.evidence_submitted',
      'verification.approved',
    ]);
    const evidence = await server.services.verification.listEvidence(verification?.id ?? '');
    expect(evidence.map((item) => item.kind)).toEqual(['roster_match']);
  });

  it('answers an unknown member id, or one listed under other names, with the not-found message', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user);
    for (const memberId of ['SN-9999', 'SN-2002', '']) {
      const answer = await journey.submit(verify, '/verify/organization', { memberId });
      expect(answer.status).toBe(400);
      expect(pageTitle(answer.page)).toBe('Verify your military status');
      expect(pageErrors(answer.page)).toEqual([
        'We could not find you in the records we can check. Check your member number, or choose another way.',
      ]);
    }
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);
  });

  it('stops a user guessing member numbers: after the daily allowance, 429 with Retry-After', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user);
    for (let guess = 0; guess < LOOKUP_LIMITS.perUser.limit; guess++) {
      expect((await journey.submit(verify, '/verify/organization', { memberId: `SN-${guess}` })).status).toBe(
        400,
      );
    }
    // Even the right number: the allowance is spent.
    const refused = await journey.submit(verify, '/verify/organization', { memberId: 'SN-1001' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(pageErrors(refused.page).join(' ')).toContain('You have tried many member numbers.');
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);
  });

  it('verifies through an HTTP registry, sending its key and the person’s details', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user, { scope: 'responder' });
    expect(pageTitle(verify.page)).toBe('Verify your first responder status');
    expect(pageText(verify.page)).toContain(CHECK_MESSAGE);

    const unknown = await journey.submit(verify, '/verify/organization', { memberId: 'FD-404' });
    expect(unknown.status).toBe(400);
    expect(pageErrors(unknown.page).join(' ')).toContain('We could not find you');

    const consent = await journey.submit(unknown, '/verify/organization', { memberId: 'FD-1' });
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'responder', subgroups: ['Firefighter'], verified: true },
    ]);
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({
      status: 'verified',
      method: 'registry',
      sourceReference: 'registry:fire-registry:REC-77',
      expiresAt: new Date('2031-06-30T00:00:00Z'),
    });
    const evidence = await server.services.verification.listEvidence(verification?.id ?? '');
    expect(evidence.map((item) => item.kind)).toEqual(['registry']);
  });

  it('records a registry’s “no” as a rejected attempt, and says so on the page', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user, { scope: 'responder' });
    const answer = await journey.submit(verify, '/verify/organization', { memberId: 'FD-2' });
    expect(answer.status).toBe(400);
    expect(pageErrors(answer.page)).toEqual([
      'Your organization’s records do not show a current membership. Choose another way if you think this is wrong.',
    ]);
    const [verification] = await server.services.verification.listForUser(user.id);
    expect(verification).toMatchObject({
      status: 'rejected',
      method: 'registry',
      reasonCode: 'source_rejected',
    });

    // At the next authorization the choice says the last attempt was not accepted.
    const { step: again } = await signIn(server, app, user, { scope: 'responder' });
    expect(pageText(again.page)).toContain('Your last attempt could not be accepted.');
  });

  it('finds a confirmed email address on a roster without any member id', async () => {
    const user = await registerUser(server);
    await importRoster(
      { repository: server.services.rosters, ids: randomIds, clock: server.services.clock },
      {
        community: await community('military'),
        organization: 'Naval Station Example',
        csv: `email,first_name,last_name,subgroup\n${user.email.toUpperCase()},Someone,Else,Military Spouse\n`,
        createdBy: null,
      },
    );
    const { journey, step: verify } = await signIn(server, app, user);
    const consent = await journey.submit(verify, '/verify/organization', { memberId: '' });
    expect(await partnerStatus(journey, app, consent)).toEqual([
      { group: 'military', subgroups: ['Military Spouse'], verified: true },
    ]);
  });

  it('says it could not check when the registry answers 500 every time, and verifies nothing', async () => {
    const user = await registerUser(server);
    const { journey, step: verify } = await signIn(server, app, user, { scope: 'teacher' });
    expect(pageText(verify.page)).toContain(CHECK_MESSAGE);
    const before = registry.requests.length;

    const answer = await journey.submit(verify, '/verify/organization', { memberId: 'T-1' });
    expect(answer.status).toBe(503);
    expect(pageTitle(answer.page)).toBe('Verify your teacher status');
    expect(pageErrors(answer.page)).toEqual([
      'We could not check your membership right now. Try again later, or choose another way.',
    ]);
    // One attempt and the two retries it is configured with.
    expect(registry.requests.length - before).toBe(3);
    expect(await server.services.verification.listForUser(user.id)).toEqual([]);

    // The user can still go on without it.
    expect(await partnerStatus(journey, app, await journey.submit(answer, '/verify/skip'))).toEqual([
      { group: 'teacher', subgroups: [], verified: false },
    ]);
  });

  it('does not offer the organization check for a community with no roster or registry', async () => {
    const user = await registerUser(server);
    const { step: verify } = await signIn(server, app, user, { scope: 'teacher' });
    expect(pageText(verify.page)).toContain(CHECK_MESSAGE);
    await server.services.registries.updateEnabled('teacher-registry', false);
    try {
      const { step: again } = await signIn(server, app, user, { scope: 'teacher' });
      expect(pageTitle(again.page)).toBe('Verify your teacher status');
      expect(pageText(again.page)).not.toContain(CHECK_MESSAGE);
    } finally {
      await server.services.registries.updateEnabled('teacher-registry', true);
    }
  });
});
