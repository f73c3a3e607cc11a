/**
 * Paths that carry a secret in a segment, and what the access log writes instead. Matched against the path
 * as a lenient router would see it (decoded, case-folded, dot segments resolved, slashes collapsed), so that
 * no variant of such a path (`/API/…`, a trailing slash, `%2F`, `/static/../…`) is logged with its secret,
 * even though the router (strict and case-sensitive, app.ts) answers 404 to all but the exact path.
 */
const SECRET_PREFIXES: [string, string][] = [
  ['/api/public/v3/documents/', '/api/public/v3/documents/:document_token'],
  ['/developer/invitations/', '/developer/invitations/:token'],
  ['/account/test-invitations/', '/account/test-invitations/:token'],
];

/** Vetted's own secrets are recognisable by their prefix wherever they appear in a path. */
const SECRET_SEGMENT = /^(vdt|vdp|vtd)_/i;

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The path decoded, case-folded, with `.` and `..` resolved and `/`, `\\` runs collapsed, as `/a/b/c`. */
function resolvedLowerCase(path: string): string {
  const segments: string[] = [];
  for (const segment of decoded(path)
    .toLowerCase()
    .split(/[/\\]+/)) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** The path as the access log may keep it: document tokens, invitation tokens and API keys never reach a log file. */
export function loggedPath(path: string): string {
  const lenient = resolvedLowerCase(path);
  const secret = SECRET_PREFIXES.find(
    ([prefix]) => lenient.startsWith(prefix) && lenient.length > prefix.length,
  );
  if (secret !== undefined) return secret[1];
  if (!path.split('/').some((segment) => SECRET_SEGMENT.test(decoded(segment)))) return path;
  return path
    .split('/')
    .map((segment) => (SECRET_SEGMENT.test(decoded(segment)) ? ':secret' : segment))
    .join('/');
}
