// The reference for `npm run bench`: upstream oidc-provider with the least glue that can serve the same
// flows (the issue's "upstream oidc-provider with minimal glue on SQLite"), so that Vetted is compared with
// it in the same run. One static client, one account, an adapter on better-sqlite3 with SQLite's defaults
// for WAL, and an attributes endpoint that reads the token through oidc-provider and the account from SQLite.
// Run as its own process: prints `listening <url> <JSON with what the bench needs>`.
/* eslint-disable no-restricted-imports -- the reference is upstream oidc-provider itself, outside src/ */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import SqliteDatabase from 'better-sqlite3';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: reference-provider.ts <sqlite file>');
const db = new SqliteDatabase(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`create table if not exists models (model text not null, id text not null, payload text not null,
  grant_id text, uid text, user_code text, expires_at integer, consumed_at integer, primary key (model, id));
  create index if not exists models_grant on models (grant_id) where grant_id is not null;
  create index if not exists models_uid on models (uid) where uid is not null;
  create table if not exists users (id text primary key, email text not null, first_name text not null,
  last_name text not null, zip text not null)`);
const statements = {
  upsert: db.prepare(`insert into models values (?, ?, ?, ?, ?, ?, ?, null) on conflict (model, id) do update
    set payload = excluded.payload, grant_id = excluded.grant_id, expires_at = excluded.expires_at`),
  find: db.prepare('select payload, expires_at, consumed_at from models where model = ? and id = ?'),
  findByUid: db.prepare('select payload, expires_at, consumed_at from models where model = ? and uid = ?'),
  consume: db.prepare('update models set consumed_at = ? where model = ? and id = ?'),
  destroy: db.prepare('delete from models where model = ? and id = ?'),
  revoke: db.prepare('delete from models where model = ? and grant_id = ?'),
  user: db.prepare('select * from users where id = ?'),
};

interface Row {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

function read(row: Row | undefined): AdapterPayload | undefined {
  if (row === undefined || (row.expires_at !== null && row.expires_at <= Date.now())) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: Math.floor(row.consumed_at / 1000) };
}

class SqliteAdapter implements Adapter {
  readonly model: string;
  constructor(model: string) {
    this.model = model;
  }
  upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    statements.upsert.run(
      this.model,
      id,
      JSON.stringify(payload),
      payload.grantId ?? null,
      payload.uid ?? null,
      payload.userCode ?? null,
      expiresIn ? Date.now() + expiresIn * 1000 : null,
    );
    return Promise.resolve();
  }
  find(id: string) {
    return Promise.resolve(read(statements.find.get(this.model, id) as Row | undefined));
  }
  findByUid(uid: string) {
    return Promise.resolve(read(statements.findByUid.get(this.model, uid) as Row | undefined));
  }
  findByUserCode() {
    return Promise.resolve(undefined);
  }
  consume(id: string) {
    statements.consume.run(Date.now(), this.model, id);
    return Promise.resolve();
  }
  destroy(id: string) {
    statements.destroy.run(this.model, id);
    return Promise.resolve();
  }
  revokeByGrantId(grantId: string) {
    statements.revoke.run(this.model, grantId);
    return Promise.resolve();
  }
}

const cookieKeys = [randomBytes(32).toString('base64url')];
const client = {
  client_id: 'reference',
  client_secret: randomBytes(32).toString('base64url'),
  redirect_uris: ['https://partner.example/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_post' as const,
};
const account = { id: 'user-1', email: 'bench@example.com', first_name: 'B', last_name: 'E', zip: '22102' };
db.prepare('insert or replace into users values (?, ?, ?, ?, ?)').run(...Object.values(account));

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const provider = new Provider(url, {
  adapter: SqliteAdapter,
  clients: [client],
  cookies: { keys: cookieKeys },
  scopes: ['openid', 'military'],
  routes: { authorization: '/oauth/authorize', token: '/oauth/token' },
  findAccount: (_ctx, sub) => {
    const user = statements.user.get(sub) as typeof account | undefined;
    return user === undefined ? undefined : { accountId: sub, claims: () => ({ sub }) };
  },
  issueRefreshToken: () => true,
  rotateRefreshToken: true,
  features: { devInteractions: { enabled: false } },
});

const handle = provider.callback();
server.on('request', (request, response) => {
  if (!request.url?.startsWith('/attributes')) {
    void handle(request, response);
    return;
  }
  void (async () => {
    const value = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = value === undefined ? undefined : await provider.AccessToken.find(value);
    const user =
      token === undefined ? undefined : (statements.user.get(token.accountId) as typeof account | undefined);
    if (token === undefined || user === undefined) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    const body = {
      attributes: [
        { handle: 'fname', name: 'First Name', value: user.first_name },
        { handle: 'lname', name: 'Last Name', value: user.last_name },
        { handle: 'email', name: 'Email', value: user.email },
        { handle: 'uuid', name: 'Unique Identifier', value: user.id },
        { handle: 'zip', name: 'Zip Code', value: user.zip },
      ],
      status: [{ group: 'military', subgroups: ['Veteran'], verified: true }],
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  })();
});

// A signed-in user who already consented: a session and a grant, stored the way oidc-provider stores them.
const grant = new provider.Grant({ accountId: account.id, clientId: client.client_id });
grant.addOIDCScope('military');
const grantId = await grant.save();
const session = new provider.Session();
session.loginAccount({ accountId: account.id });
session.ensureClientContainer(client.client_id);
session.grantIdFor(client.client_id, grantId);
await session.save(14 * 24 * 3600);
const cookieName = '_session';
// keygrip's default signature: HMAC-SHA-1, base64 made URL-safe.
const signature = createHmac('sha1', cookieKeys[0] ?? '')
  .update(`${cookieName}=${session.jti}`)
  .digest('base64')
  .replace(/\//g, '_')
  .replace(/\+/g, '-')
  .replace(/=/g, '');
const cookie = `${cookieName}=${session.jti}; ${cookieName}.sig=${signature}`;

console.log(
  `listening ${url} ${JSON.stringify({ clientId: client.client_id, clientSecret: client.client_secret, cookie })}`,
);
