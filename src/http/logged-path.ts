/** Paths that carry a secret in a segment, and what the access log writes instead. */
const SECRET_SEGMENTS: [RegExp, string][] = [
  [/^\/api\/public\/v3\/documents\/[^/]+$/, '/api/public/v3/documents/:document_token'],
  [/^\/developer\/invitations\/[^/]+$/, '/developer/invitations/:token'],
];

/** The path as the access log may keep it: document tokens and invitation tokens never reach a log file. */
export function loggedPath(path: string): string {
  return SECRET_SEGMENTS.find(([pattern]) => pattern.test(path))?.[1] ?? path;
}
