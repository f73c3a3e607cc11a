import type { Router } from '@koa/router';
import type { SigningKeyService } from '../../keys/signing-keys.ts';

/** The public signing keys, for relying parties that verify Vetted's tokens. */
export function jwksRoutes(router: Router, deps: { keys: SigningKeyService }): void {
  router.get('/oidc/.well-known/jwks', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.type = 'application/jwk-set+json; charset=utf-8';
    ctx.body = JSON.stringify(await deps.keys.publicJwks());
  });
}
