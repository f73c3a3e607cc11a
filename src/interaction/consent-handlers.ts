import type { Context } from 'koa';
import { fieldsForConsent } from '../attributes/payloads.ts';
import { renderConsent } from '../web/views/consent.ts';
import { finish, formField, stringParam, type InteractionContext, type InteractionDeps } from './context.ts';
import { sharedDocumentFields, shownName } from '../partners/application.ts';

async function consentFields(
  interaction: InteractionContext,
  deps: InteractionDeps,
  accountId: string,
  scopes: string[],
) {
  const user = await deps.accounts.findById(accountId);
  if (user === undefined) return undefined;
  const communities = await deps.verification.standingFor(
    user.id,
    scopes,
    new Date(),
    interaction.application.mode,
  );
  const fields = fieldsForConsent({
    user,
    scopes,
    communities,
    releasedAttributes: interaction.application.releasedAttributes,
    eid: stringParam(interaction.params, 'eid'),
    now: new Date(),
  });
  return { user, fields: [...fields, ...sharedDocumentFields(interaction.application)] };
}

/** The consent page: the application, and exactly the fields it will receive. */
export async function showConsent(ctx: Context, interaction: InteractionContext, deps: InteractionDeps) {
  const accountId = interaction.details.session?.accountId;
  if (accountId === undefined) return false;
  const scopes = (typeof interaction.params.scope === 'string' ? interaction.params.scope : '')
    .split(' ')
    .filter((scope) => scope !== '');
  const requested = await consentFields(interaction, deps, accountId, scopes);
  if (requested === undefined) return false;
  const grantId = interaction.details.grantId;
  const grant = grantId === undefined ? undefined : await interaction.provider.Grant.find(grantId);
  const alreadyGranted =
    grant === undefined ? [] : scopes.filter((scope) => grant.getOIDCScope().split(' ').includes(scope));
  const previous =
    alreadyGranted.length === 0
      ? undefined
      : await consentFields(interaction, deps, accountId, alreadyGranted);
  const app = interaction.application;
  ctx.type = 'html';
  ctx.body = renderConsent({
    action: interaction.action('consent'),
    csrfToken: (ctx.state as { csrfToken: string }).csrfToken,
    client: {
      name: shownName(app),
      ...(app.logoUrl === null ? {} : { logoUri: app.logoUrl }),
      ...(app.privacyPolicyUrl === null ? {} : { policyUri: app.privacyPolicyUrl }),
      ...(app.termsUrl === null ? {} : { tosUri: app.termsUrl }),
      ...(app.primaryColor === null ? {} : { color: app.primaryColor }),
    },
    fields: requested.fields,
    account: { email: requested.user.email },
    ...(previous === undefined ? {} : { previouslyShared: previous.fields }),
  });
  return true;
}

/** Allow records the consent in a grant remembered across sessions; Deny answers `access_denied`. */
export async function decideConsent(ctx: Context, interaction: InteractionContext, deps: InteractionDeps) {
  const { details, provider } = interaction;
  const accountId = details.session?.accountId;
  if (formField(ctx, 'decision') !== 'allow' || accountId === undefined) {
    await finish(ctx, interaction, {
      error: 'access_denied',
      error_description: 'The user denied the request.',
    });
    return;
  }
  const clientId = String(details.params.client_id);
  const existing = details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims !== undefined) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await deps.saveConsent(accountId, clientId, grantId);
  await finish(ctx, interaction, { consent: { grantId } });
}
