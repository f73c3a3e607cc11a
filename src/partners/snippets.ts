/**
 * Copy-paste integration examples for the developer console, filled in with an application's values. The
 * client secret is never part of one: each reads it from the `CLIENT_SECRET` environment variable. Every
 * value is embedded with the string-literal syntax of the snippet's language (stringLiteral below).
 */

export type SnippetLanguage = 'html' | 'curl' | 'node' | 'python' | 'ruby' | 'php';

export interface IntegrationSnippet {
  language: SnippetLanguage;
  title: string;
  code: string;
}

export interface SnippetInput {
  /** The deployment's public base URL; the OpenID issuer is `<baseUrl>/oidc`. */
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  clientType: 'confidential' | 'public';
}

/** Backslash escapes shared by JavaScript and Python single-quoted strings. */
function cLikeLiteral(value: string): string {
  let escaped = '';
  // By UTF-16 code unit: a surrogate pair is copied through unchanged, half by half.
  for (let index = 0; index < value.length; index += 1) {
    const char = value.charAt(index);
    const code = value.charCodeAt(index);
    if (char === '\\' || char === "'") escaped += `\\${char}`;
    else if (char === '\n') escaped += '\\n';
    else if (char === '\r') escaped += '\\r';
    else if (char === '\t') escaped += '\\t';
    else if (code < 0x20 || code === 0x7f) escaped += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029) escaped += `\\u${code.toString(16)}`;
    else escaped += char;
  }
  return `'${escaped}'`;
}

/** Single-quoted strings where only `\\` and `\'` are escapes (nothing is interpolated). */
const singleQuotedLiteral = (value: string) => `'${value.replace(/[\\']/g, '\\$&')}'`;

/** A string literal of each language whose value is exactly `value`, with nothing interpolated. */
export const stringLiteral: Record<SnippetLanguage, (value: string) => string> = {
  // A double-quoted HTML attribute value.
  html: (value) => `"${value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)}"`,
  // POSIX shell: nothing is special inside single quotes; a quote is closed, escaped and reopened.
  curl: (value) => `'${value.replace(/'/g, `'\\''`)}'`,
  node: cLikeLiteral,
  python: cLikeLiteral,
  ruby: singleQuotedLiteral,
  php: singleQuotedLiteral,
};

/** The snippets, in the order the console shows them. */
export function integrationSnippets(input: SnippetInput): IntegrationSnippet[] {
  const urls = endpoints(input.baseUrl);
  // The button builds its request in the browser, without PKCE: for confidential clients only.
  const button: IntegrationSnippet[] = isPublic(input)
    ? []
    : [{ language: 'html', title: 'Verification button (HTML)', code: buttonSnippet(input) }];
  return [
    ...button,
    { language: 'curl', title: 'curl (the raw HTTP requests)', code: curlSnippet(input, urls) },
    { language: 'node', title: 'Node.js with openid-client', code: nodeSnippet(input, urls) },
    { language: 'python', title: 'Python with requests-oauthlib', code: pythonSnippet(input, urls) },
    {
      language: 'ruby',
      title: 'Ruby on Rails with OmniAuth (omniauth_openid_connect)',
      code: rubySnippet(input, urls),
    },
    { language: 'php', title: 'PHP with league/oauth2-client', code: phpSnippet(input, urls) },
  ];
}

interface Endpoints {
  issuer: string;
  authorize: string;
  token: string;
  attributes: string;
}

function endpoints(baseUrl: string): Endpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    issuer: `${base}/oidc`,
    authorize: `${base}/oauth/authorize`,
    token: `${base}/oauth/token`,
    attributes: `${base}/api/public/v3/attributes.json`,
  };
}

const isPublic = (input: SnippetInput) => input.clientType === 'public';

/** Scopes that are not communities: the button asks for communities (several open the community picker). */
const PROTOCOL_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/** The button and the popup's one-line helper, as examples/partner-shop uses them. */
function buttonSnippet(input: SnippetInput): string {
  const q = stringLiteral.html;
  const communities = input.scopes.filter((scope) => !PROTOCOL_SCOPES.has(scope));
  const script = `${input.baseUrl.replace(/\/+$/, '')}/js/button.js`;
  return `<!-- Where users verify. Your server puts a fresh random state in the page and keeps it in the session;
     several communities (data-scope="military,responder") open Vetted's community picker first. -->
<span id="vetted-button"
      data-scope=${q(communities.join(',') || 'military')}
      data-client-id=${q(input.clientId)}
      data-redirect=${q(input.redirectUri)}
      data-response="code"
      data-state="STATE_FROM_YOUR_SERVER"
      data-display="popup"></span>
<script src=${q(script)}></script>

<!-- On the page at the redirect URI (popup flow): hands the result to the page with the button and closes
     the popup. After a full-page redirect it does nothing and returns false. Your server exchanges the code
     as in the snippets below; the opener then loads this same URL (keep that visit idempotent). -->
<script src=${q(script)}></script>
<script src="/callback.js"></script>  <!-- callback.js: Vetted.completePopup(); -->
`;
}

function curlSnippet(input: SnippetInput, urls: Endpoints): string {
  const q = stringLiteral.curl;
  const query = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: input.scopes.join(' '),
  });
  const pkce = isPublic(input)
    ? [
        'CODE_VERIFIER=$(openssl rand -hex 32)',
        "CODE_CHALLENGE=$(printf %s \"$CODE_VERIFIER\" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')",
      ]
    : [];
  const authorizeUrl = `${urls.authorize}?${query.toString()}`;
  const challenge = isPublic(input) ? '&code_challenge=$CODE_CHALLENGE&code_challenge_method=S256' : '';
  const credentials = isPublic(input)
    ? ['  --data-urlencode "client_id=$CLIENT_ID" \\', '  --data-urlencode "code_verifier=$CODE_VERIFIER" \\']
    : ['  -u "$CLIENT_ID:$CLIENT_SECRET" \\'];
  return [
    `CLIENT_ID=${q(input.clientId)}`,
    `REDIRECT_URI=${q(input.redirectUri)}`,
    ...(isPublic(input)
      ? []
      : ['# CLIENT_SECRET: export it from your secret store; it is never shown again.']),
    '',
    '# 1. Send the user’s browser to this URL. Vetted returns it to REDIRECT_URI with ?code=…&state=…',
    'STATE=$(openssl rand -hex 16)',
    ...pkce,
    `echo ${q(authorizeUrl)}"&state=$STATE${challenge}"`,
    '',
    '# 2. Check that the returned state equals $STATE, then exchange the code (valid for 5 minutes, once).',
    'CODE=paste-the-code-here',
    `curl -sS -X POST ${q(urls.token)} \\`,
    ...credentials,
    '  --data-urlencode grant_type=authorization_code \\',
    '  --data-urlencode "code=$CODE" \\',
    '  --data-urlencode "redirect_uri=$REDIRECT_URI"',
    '',
    '# 3. Read the attributes and verification status with the access_token of the response.',
    'ACCESS_TOKEN=paste-the-access-token-here',
    `curl -sS -H "Authorization: Bearer $ACCESS_TOKEN" ${q(urls.attributes)}`,
    '',
  ].join('\n');
}

function nodeSnippet(input: SnippetInput, urls: Endpoints): string {
  const q = stringLiteral.node;
  const discovery = isPublic(input)
    ? `await client.discovery(new URL(${q(urls.issuer)}), ${q(input.clientId)}, undefined, client.None());`
    : `await client.discovery(new URL(${q(urls.issuer)}), ${q(input.clientId)}, process.env.CLIENT_SECRET);`;
  return `// npm install openid-client@6   (an ES module: save as .mjs or use "type": "module")
import * as client from 'openid-client';

const config = ${discovery}
const redirectUri = ${q(input.redirectUri)};

// 1. When the user clicks "Verify": keep codeVerifier and state in their session and redirect to the URL.
export async function startVerification(session) {
  session.codeVerifier = client.randomPKCECodeVerifier();
  session.state = client.randomState();
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: ${q(input.scopes.join(' '))},
    code_challenge: await client.calculatePKCECodeChallenge(session.codeVerifier),
    code_challenge_method: 'S256',
    state: session.state,
  });
}

// 2. On the redirect URI (currentUrl: the full URL Vetted sent the browser to): exchange the code, then
// 3. read the user's attributes and verification status.
export async function finishVerification(session, currentUrl) {
  const tokens = await client.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: session.codeVerifier,
    expectedState: session.state,
  });
  const response = await client.fetchProtectedResource(
    config,
    tokens.access_token,
    new URL(${q(urls.attributes)}),
    'GET',
  );
  return response.json(); // { attributes: [...], status: [{ group, subgroups, verified }] }
}
`;
}

function pythonSnippet(input: SnippetInput, urls: Endpoints): string {
  const q = stringLiteral.python;
  const scopes = `[${input.scopes.map(q).join(', ')}]`;
  const session = isPublic(input)
    ? `OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scope, pkce='S256')`
    : 'OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scope)';
  const fetch = isPublic(input)
    ? 'token = vetted.fetch_token(token_url, authorization_response=request.url, include_client_id=True)'
    : "token = vetted.fetch_token(token_url, client_secret=os.environ['CLIENT_SECRET'],\n                           authorization_response=request.url)";
  return `# pip install requests-oauthlib${isPublic(input) ? '   (2.0 or later, for PKCE)' : ''}
import os
from requests_oauthlib import OAuth2Session

client_id = ${q(input.clientId)}
redirect_uri = ${q(input.redirectUri)}
authorization_base_url = ${q(urls.authorize)}
token_url = ${q(urls.token)}
attributes_url = ${q(urls.attributes)}
scope = ${scopes}

# 1. Redirect the user to authorization_url; keep state (and the session) for the callback.
vetted = ${session}
authorization_url, state = vetted.authorization_url(authorization_base_url)

# 2. On the redirect URI: exchange the code (request.url is the URL Vetted sent the browser to).
${fetch}

# 3. Read the user's attributes and verification status.
payload = OAuth2Session(client_id, token=token).get(attributes_url).json()
`;
}

function rubySnippet(input: SnippetInput, urls: Endpoints): string {
  const q = stringLiteral.ruby;
  // omniauth_openid_connect is an OpenID Connect strategy: it needs the ID token that `openid` brings.
  const scopes = [...new Set(['openid', ...input.scopes])].map(q).join(', ');
  const secret = isPublic(input) ? '' : "\n      secret: ENV.fetch('CLIENT_SECRET'),";
  return `# Gemfile: gem 'omniauth_openid_connect'
# config/initializers/omniauth.rb
Rails.application.config.middleware.use OmniAuth::Builder do
  provider :openid_connect,
    name: :vetted,
    issuer: ${q(urls.issuer)},
    discovery: true,
    response_type: :code,
    scope: [${scopes}],${isPublic(input) ? '\n    pkce: true,' : ''}
    client_options: {
      identifier: ${q(input.clientId)},${secret}
      redirect_uri: ${q(input.redirectUri)},
    }
end

# The callback (the route of the redirect URI, e.g. /auth/vetted/callback): read the attributes.
require 'net/http'
require 'json'

def vetted_attributes(access_token)
  uri = URI(${q(urls.attributes)})
  request = Net::HTTP::Get.new(uri, 'Authorization' => "Bearer #{access_token}")
  response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == 'https') { |http| http.request(request) }
  JSON.parse(response.body)
end

# attributes = vetted_attributes(request.env['omniauth.auth'].credentials.token)
`;
}

function phpSnippet(input: SnippetInput, urls: Endpoints): string {
  const q = stringLiteral.php;
  const secret = isPublic(input)
    ? `    'pkceMethod'              => GenericProvider::PKCE_METHOD_S256,`
    : `    'clientSecret'            => getenv('CLIENT_SECRET'),`;
  const [savePkce, restorePkce] = isPublic(input)
    ? [
        "\n    $_SESSION['oauth2pkce'] = $provider->getPkceCode();",
        "\n$provider->setPkceCode($_SESSION['oauth2pkce']);",
      ]
    : ['', ''];
  return `<?php
// composer require league/oauth2-client
require __DIR__ . '/vendor/autoload.php';

use League\\OAuth2\\Client\\Provider\\GenericProvider;

session_start();
$provider = new GenericProvider([
    'clientId'                => ${q(input.clientId)},
${secret}
    'redirectUri'             => ${q(input.redirectUri)},
    'urlAuthorize'            => ${q(urls.authorize)},
    'urlAccessToken'          => ${q(urls.token)},
    'urlResourceOwnerDetails' => ${q(urls.attributes)},
    'scopes'                  => ${q(input.scopes.join(' '))},
]);

// 1. Send the user to Vetted.
if (!isset($_GET['code'])) {
    $authorizationUrl = $provider->getAuthorizationUrl();
    $_SESSION['oauth2state'] = $provider->getState();${savePkce}
    header('Location: ' . $authorizationUrl);
    exit;
}

// 2. Back on the redirect URI: check the state, then exchange the code.
if (!hash_equals($_SESSION['oauth2state'] ?? '', $_GET['state'] ?? '')) {
    exit('Invalid state');
}${restorePkce}
$accessToken = $provider->getAccessToken('authorization_code', ['code' => $_GET['code']]);

// 3. The user's attributes and verification status.
$payload = $provider->getResourceOwner($accessToken)->toArray();
`;
}
