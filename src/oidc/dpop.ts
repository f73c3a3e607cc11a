import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import type { ModelRepository } from './model-repository.ts';

const PROOF_LIFETIME_SECONDS = 300;
/** The DPoP proof algorithms accepted here and by oidc-provider (configuration.ts). */
export const DPOP_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'PS256'] as const;

/**
 * Verifies a DPoP proof (RFC 9449 §4.3) presented with a DPoP-bound access token at a resource endpoint and
 * returns the thumbprint of its key, or undefined when the proof is not acceptable. Each proof's `jti` is
 * accepted once.
 */
export async function verifyDpopProof(input: {
  proof: string | undefined;
  method: string;
  /** The request URLs the proof may name (without query and fragment): the public one and the one received. */
  urls: string[];
  accessToken: string;
  now: number;
  models: ModelRepository;
}): Promise<string | undefined> {
  if (input.proof === undefined || input.proof === '' || input.proof.includes(',')) return undefined;
  try {
    const { payload, protectedHeader } = await jwtVerify(input.proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...DPOP_ALGORITHMS],
      currentDate: new Date(input.now),
    });
    const ath = createHash('sha256').update(input.accessToken).digest('base64url');
    const iat = typeof payload.iat === 'number' ? payload.iat * 1000 : Number.NaN;
    if (
      payload.htm !== input.method ||
      typeof payload.htu !== 'string' ||
      // RFC 9449 §4.2: htu is the URI without query and fragment; a proof naming either is refused.
      /[?#]/.test(payload.htu) ||
      !input.urls.includes(payload.htu) ||
      payload.ath !== ath ||
      typeof payload.jti !== 'string' ||
      !(Math.abs(input.now - iat) <= PROOF_LIFETIME_SECONDS * 1000) ||
      protectedHeader.jwk === undefined
    ) {
      return undefined;
    }
    const fresh = await input.models.recordOnce(
      'DPoPProof',
      payload.jti,
      input.now + 2 * PROOF_LIFETIME_SECONDS * 1000,
    );
    return fresh ? await calculateJwkThumbprint(protectedHeader.jwk) : undefined;
  } catch {
    return undefined;
  }
}
