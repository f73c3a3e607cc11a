import type { Router } from '@koa/router';
import type { ApplicationLogos } from '../../partners/application-logos.ts';
import { brandStylesheet } from '../../web/brand-colors.ts';

/** `/branding/<rrggbb>.css`: a partner's colour for its consent page, made readable (web/brand-colors.ts). */
export function brandingRoutes(router: Router): void {
  router.get('/branding/:file', (ctx) => {
    const color = /^([0-9a-f]{6})\.css$/.exec(ctx.params.file ?? '')?.[1];
    if (color === undefined) return;
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.body = brandStylesheet(`#${color}`);
  });
}

/** `/logos/<client_id>/<digest>.png`: applications' logos, re-encoded on upload; each URL never changes. */
export function logoRoutes(router: Router, deps: { logos: ApplicationLogos }): void {
  router.get('/logos/:clientId/:file', async (ctx) => {
    const digest = /^([0-9a-f]{1,64})\.png$/.exec(ctx.params.file ?? '')?.[1];
    const image =
      digest === undefined ? undefined : await deps.logos.image(ctx.params.clientId ?? '', digest);
    if (image === undefined) return;
    ctx.type = 'image/png';
    // Shown on the consent page and in partners' consoles: other origins may embed it.
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.body = image;
  });
}
