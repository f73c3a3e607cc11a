import type { Clock } from '../../lib/clock.ts';
import type { Community } from '../types.ts';
import { checkSubgroups, type SourceRequest, type SourceResult, type VerificationSource } from './source.ts';

/**
 * Deterministic outcomes for partners' sandbox applications. A persona is a user whose `test_persona` is
 * `<community>:<outcome>`; for its own community the outcome is always the same, for anything else (another
 * community, a real user) the sandbox has no record.
 */
export const sandboxOutcomes = ['pass', 'review', 'reject', 'expired'] as const;
export type SandboxOutcome = (typeof sandboxOutcomes)[number];

const DAY_MS = 86_400_000;

/** The password of the ready-made personas (docs/verification.md): sandbox accounts, published on purpose. */
export const SANDBOX_PERSONA_PASSWORD = 'vetted-sandbox-persona';

const descriptions: Record<SandboxOutcome, string> = {
  pass: 'Verified at once',
  review: 'Goes to manual review',
  reject: 'Rejected',
  expired: 'Verified, but the verification has expired',
};

export interface SandboxPersona {
  community: string;
  outcome: SandboxOutcome;
  /** The users.test_persona value, e.g. `military:pass` */
  persona: string;
  /** e.g. `military.pass@sandbox.vetted.test` */
  email: string;
  firstName: string;
  /** e.g. `Pass Military` */
  lastName: string;
  description: string;
}

/** A `test_persona` value read as community and outcome; undefined when it is not one. */
export function parsePersona(
  value: string | null,
): { community: string; outcome: SandboxOutcome } | undefined {
  if (value === null) return undefined;
  const separator = value.lastIndexOf(':');
  const community = value.slice(0, separator);
  const outcome = sandboxOutcomes.find((candidate) => candidate === value.slice(separator + 1));
  return separator <= 0 || outcome === undefined ? undefined : { community, outcome };
}

export function createSandboxSource(clock: Clock): VerificationSource {
  return {
    kind: 'sandbox',
    id: 'sandbox',
    name: 'Sandbox personas',
    verify(request: SourceRequest): Promise<SourceResult> {
      return Promise.resolve(answer(request, clock));
    },
  };
}

function answer({ person, community }: SourceRequest, clock: Clock): SourceResult {
  const persona = parsePersona(person.testPersona);
  if (persona === undefined)
    return { outcome: 'not_found', reason: 'Only sandbox personas verify in the sandbox.' };
  if (persona.community !== community.handle) {
    return {
      outcome: 'not_found',
      reason: `This persona is for ${persona.community}, not ${community.handle}.`,
    };
  }
  const reference = `sandbox:${persona.community}:${persona.outcome}`;
  const subgroups = community.subgroups.slice(0, 1);
  switch (persona.outcome) {
    case 'pass':
      return checkSubgroups(community, { outcome: 'verified', subgroups, reference });
    case 'review':
      return { outcome: 'needs_review', reference };
    case 'reject':
      return { outcome: 'rejected', reason: 'The sandbox persona is always rejected.', reference };
    case 'expired': {
      const expiresAt = new Date(clock.now().getTime() - DAY_MS);
      return checkSubgroups(community, { outcome: 'verified', subgroups, expiresAt, reference });
    }
  }
}

/** Every persona of `communities`, four per community (one per outcome), in order. */
export function sandboxPersonas(communities: readonly Community[]): SandboxPersona[] {
  return communities.flatMap((community) =>
    sandboxOutcomes.map((outcome) => ({
      community: community.handle,
      outcome,
      persona: `${community.handle}:${outcome}`,
      // Handles are scope names (letters, digits, `_`): valid in an email's local part as they are.
      email: `${community.handle}.${outcome}@sandbox.vetted.test`,
      firstName: 'Test',
      lastName: `${outcome.charAt(0).toUpperCase()}${outcome.slice(1)} ${community.name}`,
      description: descriptions[outcome],
    })),
  );
}
