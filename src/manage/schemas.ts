import { z } from 'zod';
import type { Application } from '../partners/application.ts';
import { apiKeyScopes, type ApiKey } from '../partners/api-keys.ts';
import type { Invitation } from '../partners/invitations.ts';
import { organizationRoles, type Member, type Organization } from '../partners/organizations.ts';
import type { ProductionRequest } from '../partners/production-request-repository.ts';

const time = z.iso.datetime().describe('ISO 8601, UTC');
const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());

export const page = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

export const errorSchema = z
  .object({ error: z.string().describe('stable dotted code'), message: z.string(), request_id: z.string() })
  .meta({ id: 'Error' });

export const organizationSchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(organizationRoles).optional(), created_at: time })
  .meta({ id: 'Organization' });
export const organizationView = (org: Organization, role?: Member['role']) => ({
  id: org.id,
  name: org.name,
  ...(role === undefined ? {} : { role }),
  created_at: iso(org.createdAt),
});

export const memberSchema = z
  .object({
    user_id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(organizationRoles),
    since: time,
  })
  .meta({ id: 'Member' });
export const memberView = (member: Member) => ({
  user_id: member.userId,
  email: member.email,
  name: `${member.firstName} ${member.lastName}`,
  role: member.role,
  since: iso(member.since),
});

export const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(organizationRoles),
    created_at: time,
    expires_at: time,
    accepted_at: time.nullable(),
  })
  .meta({ id: 'Invitation' });
export const invitationView = (invitation: Invitation) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  created_at: iso(invitation.createdAt),
  expires_at: iso(invitation.expiresAt),
  accepted_at: isoOrNull(invitation.acceptedAt),
});

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(apiKeyScopes)),
    created_at: time,
    last_used_at: time.nullable(),
    revoked_at: time.nullable(),
  })
  .meta({ id: 'ApiKey' });
export const apiKeyView = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  scopes: key.scopes,
  created_at: iso(key.createdAt),
  last_used_at: isoOrNull(key.lastUsedAt),
  revoked_at: isoOrNull(key.revokedAt),
});

const signingAlg = z.enum(['RS256', 'ES256']);
export const applicationSchema = z
  .object({
    client_id: z.string(),
    organization_id: z.string().nullable(),
    name: z.string().describe("the partner's own label"),
    display_name: z.string().nullable().describe('what users see; null: the name'),
    client_type: z.enum(['confidential', 'public']),
    mode: z.enum(['sandbox', 'production']),
    status: z.enum(['active', 'suspended', 'disabled']),
    redirect_uris: z.array(z.string()),
    post_logout_redirect_uris: z.array(z.string()),
    response_types: z.array(z.string()),
    requested_scopes: z.array(z.string()).describe('communities asked for'),
    enabled_scopes: z.array(z.string()).describe('enabled by an administrator'),
    released_attributes: z.array(z.string()),
    branding: z.object({
      logo_url: z.string().nullable(),
      primary_color: z.string().nullable(),
      privacy_policy_url: z.string().nullable(),
      terms_url: z.string().nullable(),
    }),
    features: z.object({
      document_passback: z.boolean(),
      implicit_flow: z.boolean(),
      id_token_signed_response_alg: signingAlg,
      userinfo_signed_response_alg: signingAlg.nullable(),
      single_use_access_tokens: z.boolean(),
      access_token_ttl: z.number().int().nullable(),
      refresh_token_ttl: z.number().int().nullable(),
      code_ttl: z.number().int().nullable(),
    }),
    first_authorized_at: time.nullable(),
    created_at: time,
    updated_at: time.describe('send it back as `if_unmodified_since` to refuse overwriting a change'),
  })
  .meta({ id: 'Application' });
export const applicationView = (app: Application) => ({
  client_id: app.clientId,
  organization_id: app.organizationId,
  name: app.name,
  display_name: app.displayName,
  client_type: app.clientType,
  mode: app.mode,
  status: app.status,
  redirect_uris: app.redirectUris,
  post_logout_redirect_uris: app.postLogoutRedirectUris,
  response_types: app.responseTypes,
  requested_scopes: app.requestedScopes,
  enabled_scopes: app.allowedScopes,
  released_attributes: app.releasedAttributes,
  branding: {
    logo_url: app.logoUrl,
    primary_color: app.primaryColor,
    privacy_policy_url: app.privacyPolicyUrl,
    terms_url: app.termsUrl,
  },
  features: {
    document_passback: app.documentPassback,
    implicit_flow: app.implicitFlow,
    id_token_signed_response_alg: app.idTokenSignedResponseAlg,
    userinfo_signed_response_alg: app.userinfoSignedResponseAlg,
    single_use_access_tokens: app.singleUseAccessTokens,
    access_token_ttl: app.accessTokenTtl,
    refresh_token_ttl: app.refreshTokenTtl,
    code_ttl: app.codeTtl,
  },
  first_authorized_at: isoOrNull(app.firstAuthorizedAt),
  created_at: iso(app.createdAt),
  updated_at: iso(app.updatedAt),
});

export const secretSchema = z
  .object({ id: z.string(), created_at: time, expires_at: time.nullable().describe('null: until rotated') })
  .meta({ id: 'ClientSecret' });
export const secretView = (secret: { id: string; createdAt: Date; expiresAt: Date | null }) => ({
  id: secret.id,
  created_at: iso(secret.createdAt),
  expires_at: isoOrNull(secret.expiresAt),
});

export const checklistItemSchema = z
  .object({ key: z.string(), label: z.string(), done: z.boolean(), detail: z.string().nullable() })
  .meta({ id: 'ChecklistItem' });

export const productionRequestSchema = z
  .object({
    id: z.string(),
    client_id: z.string(),
    application_name: z.string(),
    status: z.enum(['pending', 'approved', 'declined']),
    requested_at: time,
    decided_at: time.nullable(),
    note: z.string().nullable(),
    checklist: z.array(checklistItemSchema),
  })
  .meta({ id: 'ProductionRequest' });
export const productionRequestView = (request: ProductionRequest) => ({
  id: request.id,
  client_id: request.clientId,
  application_name: request.applicationName,
  status: request.status,
  requested_at: iso(request.requestedAt),
  decided_at: isoOrNull(request.decidedAt),
  note: request.note,
  checklist: request.checklist,
});

export type ApplicationView = z.output<typeof applicationSchema>;
export type OrganizationView = z.output<typeof organizationSchema>;
export type MemberView = z.output<typeof memberSchema>;
export type InvitationView = z.output<typeof invitationSchema>;
export type ApiKeyView = z.output<typeof apiKeySchema>;
export type SecretView = z.output<typeof secretSchema>;
export type ChecklistItemView = z.output<typeof checklistItemSchema>;
export type ProductionRequestView = z.output<typeof productionRequestSchema>;
