/** Paths that carry a secret in a segment, and what the access log writes instead. */
const SECRET_SEGMENTS: [RegExp, string][] = [
  [/^\/api\/public\/v3\/documents\/[^/]+$/, '/api/public/v3/documents/:document_token'],
  [/^\/developer\/invitations\/[^/]+$/, '/developer/invitations/:token'],
  // Case and a trailing slash too: the router serves those variants of this path (issue 13, point 3).
  [/^\/account\/test-invitations\/[^/]+\/?$/i, '/account/test-invitations/:token'],
];

/** The path as the access log may keep it: document tokens and invitation tokens never reach a log file. */
export function loggedPath(path: string): string {
  return SECRET_SEGMENTS.find(([pattern]) => pattern.test(path))?.[1] ?? path;
}
