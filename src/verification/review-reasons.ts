/** Why a reviewer refuses a document or sends it back: stable codes, with the words the user reads. */
export const reviewReasons = [
  { code: 'illegible', label: 'The document cannot be read clearly' },
  { code: 'wrong_document', label: 'This is not one of the documents we accept' },
  { code: 'name_mismatch', label: 'The name on the document does not match your account' },
  { code: 'document_expired', label: 'The document has expired' },
  { code: 'not_a_member', label: 'The document does not show the status you chose' },
  { code: 'incomplete', label: 'Part of the document is missing or covered' },
  { code: 'suspected_fraud', label: 'The document appears altered or to belong to someone else' },
  { code: 'other', label: 'Another reason (see the note)' },
] as const;

export type ReviewReasonCode = (typeof reviewReasons)[number]['code'];

export function isReviewReason(code: string): code is ReviewReasonCode {
  return reviewReasons.some((reason) => reason.code === code);
}

export function reasonLabel(code: string | null): string | undefined {
  return reviewReasons.find((reason) => reason.code === code)?.label;
}
