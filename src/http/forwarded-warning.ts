import type { Middleware } from 'koa';
import type { Logger } from '../lib/logger.ts';

/**
 * Tells operators, once per process, that requests arrive through a proxy Vetted does not trust: every client
 * then has the proxy's address, so the sign-in limit per network treats all users as one network (device
 * cookies spare the browsers that signed in before, nobody else). Only the fact is logged, not the header.
 */
export function warnUntrustedForwarding(trustProxy: boolean, logger: Logger): Middleware {
  if (trustProxy) return (_ctx, next) => next();
  let warned = false;
  return async (ctx, next) => {
    if (!warned && ctx.get('x-forwarded-for') !== '') {
      warned = true;
      logger.warn(
        'requests carry X-Forwarded-For but VETTED_TRUST_PROXY is off: every client has the proxy address, ' +
          'so limits per network count all users behind it as one. Set VETTED_TRUST_PROXY=true when a proxy ' +
          'you control sets the header; leave it off when clients connect directly.',
      );
    }
    await next();
  };
}
