import fc from 'fast-check';
import type { RouteEntry } from '../../src/http/route-list.ts';
import type { Fixtures } from './fixtures.ts';
import { bodyFor, hostile } from './bodies.ts';
import type { RawRequest } from './raw-http.ts';

function realOr(values: string[] | undefined) {
  if (values === undefined || values.length === 0) return hostile;
  // Mostly real ids, so that cases get past the lookups into the handlers.
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: hostile });
}

/** A path made from the route pattern: parameters filled, then perhaps a slash, case or traversal variant. */
function pathFor(route: RouteEntry, fixtures: Fixtures, coherent: boolean) {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  const real = (name: string) => {
    const values = fixtures.ids[name];
    return values === undefined || values.length === 0 ? hostile : fc.constantFrom(...values);
  };
  return fc
    .record({
      values: fc.tuple(...names.map((name) => (coherent ? real(name) : realOr(fixtures.ids[name])))),
      variant: coherent
        ? fc.constant('as-is')
        : fc.constantFrom(
            'as-is',
            'as-is',
            'as-is',
            'as-is',
            'as-is',
            'as-is',
            'trailing-slash',
            'double-slash',
            'upper',
            'mixed-case',
            'dot-segment',
            'traversal',
            'encoded-traversal',
            'encoded-slash',
            'backslash',
            'absolute-form',
          ),
    })
    .map(({ values, variant }) => {
      let index = 0;
      const path = route.path.replace(/:(\w+)/g, () => values[index++] ?? '');
      const segments = path.split('/');
      switch (variant) {
        case 'trailing-slash':
          return `${path}/`;
        case 'double-slash':
          return segments.join('//');
        case 'upper':
          return path.toUpperCase();
        case 'mixed-case':
          return segments.map((part, at) => (at % 2 === 0 ? part.toUpperCase() : part)).join('/');
        case 'dot-segment':
          return `/.${path}`;
        case 'traversal':
          return `/static/..${path}`;
        case 'encoded-traversal':
          return `/static/%2e%2e${path}`;
        case 'encoded-slash':
          return path.replace(/\//g, '%2F');
        case 'backslash':
          return path.replace(/\//g, '\\');
        case 'absolute-form':
          return `http://127.0.0.1${path}`;
        default:
          return path;
      }
    });
}

const queryKeys = fc.constantFrom(
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'prompt',
  'request_uri',
  'next',
  'token',
  'size',
  'method',
  'page',
  'q',
  'access_token',
  '__proto__',
  '',
);

function queryFor(fixtures: Fixtures) {
  const value = fc.oneof(
    realOr([fixtures.clientId, fixtures.redirectUri, 'code', 'openid military', fixtures.documentToken]),
    fc.constant('%00'),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.tuple(queryKeys, value), { maxLength: 8 })
        .map((pairs) => `?${pairs.map(([key, given]) => `${key}=${given}`).join('&')}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?a=1&a=2&a=3', '?%', '?%zz=%', '?x=%00%00', '?=&&=&', '?a[b]=1&a[c]=2'),
    },
    { weight: 1, arbitrary: fc.nat({ max: 70_000 }).map((length) => `?q=${'y'.repeat(length)}`) },
  );
}

const badJwt = fc.oneof(
  fc.constantFrom('e30.e30.', 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c', '...', 'eyJ', 'x'.repeat(9000)),
  fc
    .tuple(fc.json(), fc.json(), fc.string({ maxLength: 20 }))
    .map(([head, payload, signature]) =>
      [head, payload, signature].map((part) => Buffer.from(part).toString('base64url')).join('.'),
    ),
);

function authorizationFor(fixtures: Fixtures) {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return fc.oneof(
    fc.constantFrom(
      basic(fixtures.clientId, fixtures.clientSecret),
      basic(fixtures.clientId, 'wrong'),
      'Basic !!!not-base64!!!',
      'Basic ',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from('%zz:%').toString('base64')}`,
      `Bearer ${fixtures.accessToken}`,
      `Bearer ${fixtures.apiToken}`,
      `Bearer ${fixtures.manageApiKey}`,
      `DPoP ${fixtures.accessToken}`,
      'Bearer',
      'Bearer  a b',
      'Negotiate abc',
    ),
    badJwt.map((jwt) => `Bearer ${jwt}`),
  );
}

type Header = [string, string];

function headersFor(fixtures: Fixtures, contentType: string | undefined) {
  const optional = (arbitrary: fc.Arbitrary<Header[]>) =>
    fc.oneof({ weight: 2, arbitrary: fc.constant<Header[]>([]) }, { weight: 1, arbitrary });
  return fc
    .tuple(
      optional(authorizationFor(fixtures).map((value) => [['Authorization', value]])),
      optional(badJwt.map((jwt) => [['DPoP', jwt]])),
      optional(
        fc.constantFrom<Header[]>(
          [['Content-Encoding', 'gzip']],
          [['Content-Encoding', 'deflate']],
          [['Content-Encoding', 'br']],
          [['Content-Encoding', 'x-unknown']],
          [['Content-Encoding', 'gzip, gzip']],
          [['Content-Encoding', 'identity']],
        ),
      ),
      optional(
        fc.constantFrom<Header[]>(
          [['Content-Length', '-1']],
          [['Content-Length', 'abc']],
          [['Content-Length', '99999999999999999999']],
          [
            ['Content-Length', '1'],
            ['Content-Length', '2'],
          ],
          [
            ['Content-Length', '5'],
            ['Transfer-Encoding', 'chunked'],
          ],
          [['Transfer-Encoding', 'gzip, chunked']],
          [['Expect', '100-continue']],
        ),
      ),
      optional(
        fc.constantFrom<Header[]>(
          [['X-Huge', 'h'.repeat(20_000)]],
          [['Cookie', `a=${'c'.repeat(15_000)}`]],
          [
            ['Authorization', 'Bearer a'],
            ['Authorization', 'Bearer b'],
          ],
          [
            ['Content-Type', 'application/json'],
            ['Content-Type', 'text/plain'],
          ],
          [['X-Request-Id', '../../etc'.repeat(30)]],
          [['X-Forwarded-For', '1.2.3.4, 5.6.7.8']],
          [['Accept', 'application/json']],
          [['Accept', '*/*;q=abc']],
          [['Accept-Language', 'xx;q=2,,;']],
          [['Origin', 'https://evil.example']],
          [['Cookie', 'vetted_account=forged; vetted_account.sig=forged; vetted_csrf=forged']],
          [['Range', 'bytes=99999999-1']],
          [['If-None-Match', '"x", W/']],
        ),
      ),
    )
    .map((groups): Header[] => [
      ...(contentType === undefined ? [] : ([['Content-Type', contentType]] as Header[])),
      ...groups.flat(),
    ]);
}

export interface FuzzCase {
  request: RawRequest;
  /** Which real credentials the case carries (for the report). */
  credentials: string;
}

/** Cases for one route: methods, paths, query strings, headers, bodies, credentials and framing. */
export function casesFor(route: RouteEntry, fixtures: Fixtures, host: string): fc.Arbitrary<FuzzCase> {
  const credentials = fc.constantFrom(
    'none',
    'session',
    'session+csrf',
    'interaction',
    'interaction+csrf',
    'both+csrf',
  );
  const framing = fc.constantFrom('length', 'length', 'length', 'length', 'chunked', 'none', 'abort');
  const shapes = (coherent: boolean) =>
    fc.record({
      method: coherent
        ? fc.constantFrom(...route.methods)
        : fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...route.methods) },
            {
              weight: 2,
              arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
            },
            { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'PURGE', 'get', 'FOO', 'CONNECT') },
          ),
      path: pathFor(route, fixtures, coherent),
      query: queryFor(fixtures),
      credentials: coherent ? fc.constantFrom('session+csrf', 'interaction+csrf') : credentials,
      csrfBody: coherent ? fc.constant(true) : fc.boolean(),
      framing: coherent ? fc.constant('length') : framing,
    });
  // A third of the cases are coherent (the route's method, real ids, matching credentials, a framed body),
  // so that the hostile part of them (the body, a header) reaches the handler instead of a 404 or 403.
  return fc
    .oneof({ weight: 1, arbitrary: shapes(true) }, { weight: 2, arbitrary: shapes(false) })
    .chain((shape) => {
      const withCsrf = shape.credentials.endsWith('+csrf');
      const token = shape.credentials.startsWith('interaction')
        ? fixtures.interactionCsrf
        : fixtures.sessionCsrf;
      return fc
        .record({ body: bodyFor(fc.constant(withCsrf && shape.csrfBody ? token : '')) })
        .chain(({ body }) =>
          headersFor(fixtures, body.type).map((headers) => ({ shape, body, headers, withCsrf, token })),
        );
    })
    .map(({ shape, body, headers, withCsrf, token }) => {
      const cookies = {
        none: [],
        session: [fixtures.sessionCookies],
        'session+csrf': [fixtures.sessionCookies],
        interaction: [fixtures.interactionCookies],
        'interaction+csrf': [fixtures.interactionCookies],
        'both+csrf': [fixtures.sessionCookies, fixtures.interactionCookies],
      }[shape.credentials] as string[];
      const all: [string, string][] = [['Host', host]];
      if (cookies.length > 0) all.push(['Cookie', cookies.join('; ')]);
      if (withCsrf) all.push(['X-CSRF-Token', token]);
      const encoding = (body as { encoding?: string }).encoding;
      if (encoding !== undefined) all.push(['Content-Encoding', encoding]);
      all.push(...headers);
      return {
        credentials: shape.credentials,
        request: {
          method: shape.method,
          target: shape.path + shape.query,
          headers: all,
          body: body.body,
          framing: shape.framing,
        },
      };
    });
}
