// `npm run shop`: the example partner shop against a local Vetted (see README.md beside src/).
import { credentialsAccepted, DEFAULT_CREDENTIALS_FILE, ensureRegistered } from './registration.ts';
import { startShop, type Credentials } from './shop.ts';

function fail(message: string): never {
  process.stderr.write(`partner-shop: ${message}\n`);
  process.exit(1);
}

const env = process.env;
const vettedUrl = (env.VETTED_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const port = Number(env.SHOP_PORT ?? '4000');
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`SHOP_PORT must be a port number: ${String(env.SHOP_PORT)}`);
const given = env.VETTED_CLIENT_ID ?? '';
const givenSecret = env.VETTED_CLIENT_SECRET ?? '';
if ((given === '') !== (givenSecret === ''))
  fail('set both VETTED_CLIENT_ID and VETTED_CLIENT_SECRET, or neither');

async function registered(redirectUri: string): Promise<Credentials> {
  const app = await ensureRegistered({
    vettedUrl,
    redirectUri,
    stillValid: (credentials) => credentialsAccepted(vettedUrl, credentials),
  });
  const how = app.registered ? 'registered with `vetted apps create`' : 'reused';
  process.stdout.write(`Partner Shop app ${app.clientId} ${how} (${DEFAULT_CREDENTIALS_FILE})\n`);
  return app;
}

try {
  const shop = await startShop({
    vettedUrl,
    port,
    host: env.SHOP_HOST === '' ? undefined : env.SHOP_HOST,
    shopUrl: env.SHOP_URL === '' ? undefined : env.SHOP_URL,
    sessionSecret: env.SHOP_SESSION_SECRET === '' ? undefined : env.SHOP_SESSION_SECRET,
    credentials: given === '' ? registered : { clientId: given, clientSecret: givenSecret },
  });
  process.stdout.write(`Partner Shop on ${shop.url} (Vetted at ${vettedUrl})\n`);
  const stop = () => {
    shop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
