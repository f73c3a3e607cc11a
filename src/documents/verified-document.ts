import type { Clock } from '../lib/clock.ts';
import type { StoredDocument } from '../verification/evidence/documents.ts';
import type { Verification, VerificationStatus } from '../verification/types.ts';

export interface VerifiedDocument {
  verification: Verification;
  front: StoredDocument | undefined;
  back: StoredDocument | undefined;
}

export interface VerifiedDocumentDeps {
  verifications: {
    listForUser(
      userId: string,
      now: Date,
    ): Promise<(Verification & { effectiveStatus: VerificationStatus })[]>;
    findById(id: string): Promise<Verification | undefined>;
  };
  documents: { listForVerification(verificationId: string): Promise<StoredDocument[]> };
  clock: Clock;
}

/**
 * "The user's verified document" for an application: the documents of the most recently verified
 * verification that is verified now (not expired or revoked), of a community the grant covers (an
 * application never sees a document proving something it was not granted), not from the sandbox unless the
 * application is a sandbox one, with at least one side whose image is still kept.
 */
export async function findVerifiedDocument(
  deps: VerifiedDocumentDeps,
  userId: string,
  grantedScopes: readonly string[],
  mode: 'sandbox' | 'production',
): Promise<VerifiedDocument | undefined> {
  const scopes = new Set(grantedScopes);
  const candidates = (await deps.verifications.listForUser(userId, deps.clock.now()))
    .filter(
      (verification) =>
        verification.effectiveStatus === 'verified' &&
        scopes.has(verification.community) &&
        (mode === 'sandbox' || verification.method !== 'sandbox'),
    )
    .sort((a, b) => (b.verifiedAt?.getTime() ?? 0) - (a.verifiedAt?.getTime() ?? 0));
  for (const verification of candidates) {
    const kept = (await deps.documents.listForVerification(verification.id)).filter(
      (document) => document.purgedAt === null,
    );
    const front = kept.find((document) => document.side === 'front');
    const back = kept.find((document) => document.side === 'back');
    if (front !== undefined || back !== undefined) return { verification, front, back };
  }
  return undefined;
}

/** Whether a document's verification still makes it "the user's verified document" (verified, unexpired). */
export async function isCurrent(deps: VerifiedDocumentDeps, verificationId: string): Promise<boolean> {
  const verification = await deps.verifications.findById(verificationId);
  if (verification?.status !== 'verified') return false;
  return verification.expiresAt === null || verification.expiresAt.getTime() > deps.clock.now().getTime();
}
