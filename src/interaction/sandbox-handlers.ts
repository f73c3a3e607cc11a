import type { Context } from 'koa';
import { renderSandboxBlocked } from '../web/views/sandbox-blocked.ts';
import { finish, type InteractionContext } from './context.ts';
import { shownName } from '../partners/application.ts';

/** A sandbox application and a user who is not one of its testers: a page that explains, and a way back. */
export function showSandboxBlocked(ctx: Context, interaction: InteractionContext): void {
  ctx.status = 403;
  ctx.type = 'html';
  ctx.body = renderSandboxBlocked({
    clientName: shownName(interaction.application),
    action: interaction.action('sandbox/leave'),
    csrfToken: (ctx.state as { csrfToken: string }).csrfToken,
  });
}

/** Back to the partner, which learns `access_denied` (it is for its test users only). */
export async function leaveSandbox(ctx: Context, interaction: InteractionContext): Promise<void> {
  await finish(ctx, interaction, {
    error: 'access_denied',
    error_description: 'The application is in sandbox mode: only its test users can sign in.',
  });
}
