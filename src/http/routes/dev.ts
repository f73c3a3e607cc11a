import type { Router } from '@koa/router';
import type { OutboxRepository } from '../../mail/outbox-repository.ts';
import { renderOutbox } from '../../web/views/outbox.ts';

/** Development-only pages: the outbox where mail lands when no SMTP server is configured. */
export function devRoutes(router: Router, deps: { outbox: OutboxRepository }): void {
  router.get('/dev/outbox', async (ctx) => {
    const messages = await deps.outbox.listRecent(50);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = renderOutbox({
      messages: messages.map((message) => ({
        id: message.id,
        recipient: message.to,
        subject: message.subject,
        textBody: message.text,
        createdAt: new Date(message.createdAt),
      })),
    });
  });

  router.get('/dev/outbox.json', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { messages: await deps.outbox.listRecent(50) };
  });
}
