import { AppError } from '../lib/app-error.ts';

const invalid = (code: string, message: string) => new AppError({ code, status: 400, message });

export const partnerErrors = {
  invalidName: () => invalid('partners.name_invalid', 'The application name must be 1 to 100 characters.'),
  noRedirectUri: () => invalid('partners.redirect_uri_required', 'At least one redirect URI is required.'),
  invalidRedirectUri: (uri: string, why: string) =>
    invalid('partners.redirect_uri_invalid', `Redirect URI ${JSON.stringify(uri)} is not allowed: ${why}.`),
  unknownScope: (scope: string) =>
    invalid(
      'partners.scope_unknown',
      `There is no scope ${JSON.stringify(scope)}; use a community handle, openid, profile or email.`,
    ),
  noScopes: () => invalid('partners.scopes_required', 'At least one scope (a community handle) is required.'),
  invalidResponseType: (type: string) =>
    invalid('partners.response_type_invalid', `Response type ${JSON.stringify(type)} is not supported.`),
  noResponseType: () => invalid('partners.response_type_required', 'Choose at least one response type.'),
  invalidDisplayName: () =>
    invalid('partners.display_name_invalid', 'The display name must be 1 to 100 characters.'),
  invalidUrl: (field: string, why: string) => invalid('partners.url_invalid', `The ${field} ${why}.`),
  invalidColor: (value: string) =>
    invalid('partners.color_invalid', `${JSON.stringify(value)} is not a colour; use #rrggbb.`),
  attributeNotAvailable: (handle: string) =>
    invalid(
      'partners.attribute_unavailable',
      `The attribute ${JSON.stringify(handle)} is not offered by the application's enabled communities.`,
    ),
  implicitNotEnabled: (type: string) =>
    invalid(
      'partners.implicit_not_enabled',
      `Response type ${JSON.stringify(type)} returns tokens from the authorization endpoint; an administrator must enable the implicit flow first.`,
    ),
  noSecrets: () => invalid('partners.public_client', 'Public applications have no client secret to rotate.'),
  invalidOverlap: (maxHours: number) =>
    invalid('partners.overlap_invalid', `The overlap must be between 0 and ${maxHours} hours.`),
  invalidLifetime: (field: string, min: number, max: number) =>
    invalid('partners.lifetime_invalid', `The ${field} must be between ${min} and ${max} seconds.`),
  testInvitationEmailInvalid: () => invalid('partners.email_invalid', 'Enter an email address.'),
  testInvitationPending: () =>
    new AppError({
      code: 'partners.test_invitation_pending',
      status: 409,
      message: 'An invitation to this address is pending; remove it first to send a new one.',
    }),
  alreadyTestUser: () =>
    new AppError({
      code: 'partners.test_user_exists',
      status: 409,
      message: 'This account is already a test user of the application.',
    }),
  tooManyTestInvitations: () =>
    new AppError({
      code: 'partners.test_invitations_exhausted',
      status: 429,
      message: 'This address was invited 3 times this week; try again later.',
    }),
  testInvitationNotFound: () =>
    new AppError({
      code: 'partners.test_invitation_not_found',
      status: 404,
      message: 'This invitation link is not valid. Check that you copied all of it.',
    }),
  testInvitationNotYours: () =>
    new AppError({
      code: 'partners.test_invitation_not_yours',
      status: 403,
      message:
        'This invitation is for another Vetted account. Sign out, then sign in with the address the invitation was sent to.',
    }),
  testInvitationWithdrawn: () =>
    new AppError({
      code: 'partners.test_invitation_withdrawn',
      status: 410,
      message: "The application's developers withdrew this invitation.",
    }),
  testInvitationExpired: () =>
    new AppError({
      code: 'partners.test_invitation_expired',
      status: 410,
      message: "This invitation has expired. Ask the application's developers to invite you again.",
    }),
  testInvitationAnswered: () =>
    new AppError({
      code: 'partners.test_invitation_answered',
      status: 410,
      message: 'This invitation has already been answered; a link works once.',
    }),
  shownNameInvalid: () =>
    invalid('partners.shown_name_invalid', 'Enter the name to show, 1 to 60 characters.'),
  testUserNotFound: () =>
    new AppError({
      code: 'partners.test_user_not_found',
      status: 404,
      message: 'There is no such test user.',
    }),
  communityNotEnabled: (handle: string) =>
    invalid(
      'partners.community_not_enabled',
      `The community ${JSON.stringify(handle)} is not enabled for this application.`,
    ),
  invalidOutcome: (outcome: string) =>
    invalid('partners.outcome_invalid', `${JSON.stringify(outcome)} is not a sandbox outcome.`),
  productionPending: () =>
    new AppError({
      code: 'partners.production_request_pending',
      status: 409,
      message: 'A production request for this application is already waiting for an administrator.',
    }),
  alreadyInProduction: () =>
    new AppError({
      code: 'partners.already_production',
      status: 409,
      message: 'The application is already in production.',
    }),
  checklistIncomplete: (missing: string[]) =>
    new AppError({
      code: 'partners.checklist_incomplete',
      status: 400,
      message: `Before production: ${missing.join('; ')}.`,
    }),
  noticeNotFound: () =>
    new AppError({
      code: 'partners.notice_not_found',
      status: 404,
      message: 'There is no such notice, or it was dismissed already.',
    }),
  productionRequestNotFound: () =>
    new AppError({
      code: 'partners.production_request_not_found',
      status: 404,
      message: 'There is no such production request waiting.',
    }),
  invalidNote: (required: boolean, max: number) =>
    invalid(
      'partners.note_invalid',
      required ? `Say what to fix, in up to ${max} characters.` : `The note may be up to ${max} characters.`,
    ),
  changedMeanwhile: () =>
    new AppError({
      code: 'partners.conflict',
      status: 409,
      message: 'The application was changed by someone else in the meantime; reload it and try again.',
    }),
  notFound: (clientId: string) =>
    new AppError({
      code: 'partners.application_not_found',
      status: 404,
      message: `There is no application ${clientId}.`,
    }),
};

const notFound = (code: string, message: string) => new AppError({ code, status: 404, message });
const conflict = (code: string, message: string) => new AppError({ code, status: 409, message });

/** Organizations of the partner console: members, roles, invitations and API keys. */
export const organizationErrors = {
  notFound: (organizationId: string) =>
    notFound('partners.organization_not_found', `There is no organization ${organizationId}.`),
  forbidden: (atLeast: string) =>
    new AppError({
      code: 'partners.forbidden',
      status: 403,
      message: `This needs the ${atLeast} role in the organization.`,
    }),
  memberNotFound: (userId: string) =>
    notFound('partners.member_not_found', `User ${userId} is not a member of the organization.`),
  lastOwner: () =>
    conflict(
      'partners.last_owner',
      'An organization needs at least one owner; make someone else an owner first.',
    ),
  invalidRole: (role: string) =>
    invalid(
      'partners.role_invalid',
      `There is no role ${JSON.stringify(role)}; use owner, admin, developer or viewer.`,
    ),
  invalidName: () =>
    invalid('partners.organization_name_invalid', 'The organization name must be 1 to 100 characters.'),
  invalidEmail: () => invalid('partners.email_invalid', 'Enter the email address of the person to invite.'),
  alreadyMember: () =>
    conflict('partners.already_member', 'That person is already a member of the organization.'),
  invitationPending: () =>
    conflict(
      'partners.invitation_pending',
      'That person already has a pending invitation; revoke it first to send a new one.',
    ),
  invitationNotFound: () =>
    notFound('partners.invitation_not_found', 'There is no such invitation; it may have been revoked.'),
  invitationExpired: () =>
    new AppError({
      code: 'partners.invitation_expired',
      status: 410,
      message: 'This invitation has expired; ask an administrator of the organization for a new one.',
    }),
  invitationUsed: () =>
    new AppError({
      code: 'partners.invitation_used',
      status: 410,
      message: 'This invitation has already been accepted.',
    }),
  invitationEmailMismatch: () =>
    new AppError({
      code: 'partners.invitation_email_mismatch',
      status: 403,
      message: 'This invitation was sent to another email address; sign in with that address to accept it.',
    }),
  invalidApiKeyName: () =>
    invalid('partners.api_key_name_invalid', 'The API key name must be 1 to 100 characters.'),
  unknownApiKeyScope: (scope: string, known: readonly string[]) =>
    invalid(
      'partners.api_key_scope_unknown',
      `There is no scope ${JSON.stringify(scope)}; use ${known.join(', ')}.`,
    ),
  noApiKeyScopes: () => invalid('partners.api_key_scopes_required', 'An API key needs at least one scope.'),
  apiKeyNotFound: (id: string) => notFound('partners.api_key_not_found', `There is no API key ${id}.`),
};
