import type { AccountService } from '../accounts/account-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { ApplicationService } from '../partners/application-service.ts';
import type { VerificationService } from '../verification/verification-service.ts';
import { withDocumentTokens, type DocumentTokenIssuer } from './document-tokens.ts';
import { buildV2, buildV3, type V2Payload, type V3Payload } from './payloads.ts';
import type { ReleaseInput } from './release.ts';

/** Who an access token speaks for and what it was granted: what the attributes API needs from OAuth. */
export interface AttributeGrant {
  accountId: string;
  clientId: string;
  /** The OAuth grant the token was issued under: document tokens are bound to it. */
  grantId?: string | undefined;
  scopes: string[];
  eid: string | undefined;
}

/** The attributes API's payloads (SPEC §4) for a valid access token; undefined when the user is gone. */
export function createAttributeService(deps: {
  accounts: AccountService;
  applications: ApplicationService;
  verification: VerificationService;
  clock: Clock;
  /** Document passback: new document tokens for each v3 call (documents/passback-service.ts). */
  documentTokens?: DocumentTokenIssuer;
}) {
  async function releaseInput(grant: AttributeGrant): Promise<ReleaseInput | undefined> {
    const now = deps.clock.now();
    const [user, application] = await Promise.all([
      deps.accounts.findById(grant.accountId),
      deps.applications.findByClientId(grant.clientId),
    ]);
    if (user === undefined || application === undefined) return undefined;
    // Sandbox verifications (test personas) count only for sandbox applications.
    const communities = await deps.verification.standingFor(
      grant.accountId,
      grant.scopes,
      now,
      application.mode,
    );
    return {
      user,
      scopes: grant.scopes,
      communities,
      releasedAttributes: application.releasedAttributes,
      eid: grant.eid ?? null,
      now,
    };
  }

  return {
    async v3(grant: AttributeGrant): Promise<V3Payload | undefined> {
      const input = await releaseInput(grant);
      if (input === undefined) return undefined;
      const payload = buildV3(input);
      return deps.documentTokens === undefined
        ? payload
        : withDocumentTokens(payload, grant, deps.documentTokens);
    },
    async v2(grant: AttributeGrant): Promise<V2Payload | undefined> {
      const input = await releaseInput(grant);
      return input === undefined ? undefined : buildV2(input);
    },
  };
}

export type AttributeService = ReturnType<typeof createAttributeService>;
