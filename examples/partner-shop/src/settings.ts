// The shop's environment variables and their defaults (documented in the table of README.md beside src/).
import type { Credentials } from './shop.ts';

export interface ShopSettings {
  vettedUrl: string;
  port: number;
  /** Where to listen; all interfaces when undefined. */
  host: string | undefined;
  /** The public URL; `http://localhost:<port>` (or the host it listens on) when undefined. */
  shopUrl: string | undefined;
  sessionSecret: string | undefined;
  /** Given credentials, or undefined to register with `vetted apps create`. */
  credentials: Credentials | undefined;
}

const orUndefined = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/** The settings from `env`; throws an Error naming the variable when one is wrong. */
export function readSettings(env: NodeJS.ProcessEnv): ShopSettings {
  const vettedUrl = (orUndefined(env.VETTED_URL) ?? 'http://localhost:3000').replace(/\/+$/, '');
  const port = Number(orUndefined(env.SHOP_PORT) ?? '4000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SHOP_PORT must be a port number: ${String(env.SHOP_PORT)}`);
  }
  const clientId = env.VETTED_CLIENT_ID ?? '';
  const clientSecret = env.VETTED_CLIENT_SECRET ?? '';
  if ((clientId === '') !== (clientSecret === '')) {
    throw new Error('set both VETTED_CLIENT_ID and VETTED_CLIENT_SECRET, or neither');
  }
  return {
    vettedUrl,
    port,
    host: orUndefined(env.SHOP_HOST),
    shopUrl: orUndefined(env.SHOP_URL),
    sessionSecret: orUndefined(env.SHOP_SESSION_SECRET),
    credentials: clientId === '' ? undefined : { clientId, clientSecret },
  };
}
