import type { AttributeGrant } from './attribute-service.ts';
import type { V3Payload } from './payloads.ts';

/** The v3 attribute that carries document passback tokens (SPEC §7, ID.me's handle and name). */
export const DOCUMENT_TOKENS_ATTRIBUTE = {
  handle: 'document_tokens',
  name: 'Document Passback Tokens',
} as const;

/** New document tokens for one attributes call, or undefined when the application gets none. */
export type DocumentTokenIssuer = (input: {
  clientId: string;
  accountId: string;
  grantId: string;
}) => Promise<{ front: string | null; back: string | null } | undefined>;

/**
 * The payload with `document_tokens` last, new on every call; unchanged when the application gets none
 * (passback not enabled, no API token, no verified document) or the token names no grant.
 */
export async function withDocumentTokens(
  payload: V3Payload,
  grant: AttributeGrant,
  issue: DocumentTokenIssuer,
): Promise<V3Payload> {
  if (grant.grantId === undefined) return payload;
  const tokens = await issue({
    clientId: grant.clientId,
    accountId: grant.accountId,
    grantId: grant.grantId,
  });
  if (tokens === undefined) return payload;
  return {
    ...payload,
    attributes: [
      ...payload.attributes,
      { ...DOCUMENT_TOKENS_ATTRIBUTE, value: { front: tokens.front, back: tokens.back } },
    ],
  };
}
