// `npm run shop`: the example partner shop against a local Vetted (see README.md beside src/).
import { credentialsAccepted, DEFAULT_CREDENTIALS_FILE, ensureRegistered } from './registration.ts';
import { readSettings, type ShopSettings } from './settings.ts';
import { startShop, type Credentials } from './shop.ts';

function fail(message: string): never {
  process.stderr.write(`partner-shop: ${message}\n`);
  process.exit(1);
}

let settings: ShopSettings;
try {
  settings = readSettings(process.env);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { vettedUrl } = settings;

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
    port: settings.port,
    host: settings.host,
    shopUrl: settings.shopUrl,
    sessionSecret: settings.sessionSecret,
    credentials: settings.credentials ?? registered,
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
