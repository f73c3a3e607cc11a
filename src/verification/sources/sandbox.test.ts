import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createManualClock } from '../../lib/clock.ts';
import type { Community } from '../types.ts';
import { military, person, responder, student } from './fixtures.test-support.ts';
import { createSandboxSource, parsePersona, sandboxPersonas } from './sandbox.ts';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('sandbox source', () => {
  const source = createSandboxSource(createManualClock(NOW));
  const ask = (testPersona: string | null, community: Community = military) =>
    source.verify({ person: { ...person, testPersona }, community });

  it('passes a pass persona with the community’s first subgroup', async () => {
    expect(source).toMatchObject({ kind: 'sandbox', id: 'sandbox' });
    expect(await ask('military:pass')).toEqual({
      outcome: 'verified',
      subgroups: ['Service Member'],
      reference: 'sandbox:military:pass',
    });
    expect(await ask('first_responder:pass', responder)).toMatchObject({ subgroups: ['Police'] });
  });

  it('sends a review persona to manual review', async () => {
    expect(await ask('military:review')).toEqual({
      outcome: 'needs_review',
      reference: 'sandbox:military:review',
    });
  });

  it('rejects a reject persona', async () => {
    expect(await ask('student:reject', student)).toEqual({
      outcome: 'rejected',
      reason: expect.any(String),
      reference: 'sandbox:student:reject',
    });
  });

  it('verifies an expired persona with an expiry one day in the past', async () => {
    expect(await ask('military:expired')).toEqual({
      outcome: 'verified',
      subgroups: ['Service Member'],
      expiresAt: new Date('2026-02-28T12:00:00Z'),
      reference: 'sandbox:military:expired',
    });
  });

  it('has no record of personas of other communities, real users or malformed personas', async () => {
    for (const persona of ['student:pass', null, 'military', 'military:maybe', ':pass', 'military:pass:x']) {
      expect(await ask(persona)).toEqual({ outcome: 'not_found', reason: expect.any(String) });
    }
  });

  it('is unavailable for a community without subgroups', async () => {
    expect(await ask('empty:pass', { ...military, handle: 'empty', subgroups: [] })).toMatchObject({
      outcome: 'unavailable',
    });
  });

  it('reads personas', () => {
    expect(parsePersona('first_responder:review')).toEqual({
      community: 'first_responder',
      outcome: 'review',
    });
    expect(parsePersona('first_responder')).toBeUndefined();
  });
});

describe('sandboxPersonas', () => {
  const personas = sandboxPersonas([military, responder]);

  it('lists every community × outcome', () => {
    expect(personas.map((persona) => persona.persona)).toEqual([
      'military:pass',
      'military:review',
      'military:reject',
      'military:expired',
      'first_responder:pass',
      'first_responder:review',
      'first_responder:reject',
      'first_responder:expired',
    ]);
    expect(personas[0]).toEqual({
      community: 'military',
      outcome: 'pass',
      persona: 'military:pass',
      email: 'military.pass@sandbox.vetted.test',
      firstName: 'Test',
      lastName: 'Pass Military',
      description: 'Verified at once',
    });
    expect(personas.slice(4).map(({ lastName, description }) => [lastName, description])).toEqual([
      ['Pass First Responder', 'Verified at once'],
      ['Review First Responder', 'Goes to manual review'],
      ['Reject First Responder', 'Rejected'],
      ['Expired First Responder', 'Verified, but the verification has expired'],
    ]);
  });

  it('gives every persona a valid, distinct email address that parsePersona reads back', () => {
    for (const persona of personas) {
      expect(z.email().safeParse(persona.email).success, persona.email).toBe(true);
      expect(parsePersona(persona.persona)).toEqual({
        community: persona.community,
        outcome: persona.outcome,
      });
    }
    expect(personas[4]?.email).toBe('first_responder.pass@sandbox.vetted.test');
    expect(new Set(personas.map((persona) => persona.email)).size).toBe(personas.length);
    expect(sandboxPersonas([])).toEqual([]);
  });
});
