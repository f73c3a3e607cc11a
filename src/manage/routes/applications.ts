import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { standardScopes } from '../../partners/application-service.ts';
import { actorOf } from '../access.ts';
import { operation, type Operation } from '../route.ts';
import { applicationSchema, applicationView, listOf, page, secretSchema, secretView } from '../schemas.ts';

const org = z.object({ organizationId: z.string().max(100) });
const app = org.extend({ clientId: z.string().max(100) });
const read = { role: 'viewer', scope: 'applications:read' } as const;
const write = { role: 'developer', scope: 'applications:write' } as const;
const uris = z.array(z.string().max(2000)).max(20);
const text = z.string().max(2000);

const created = z.object({
  application: applicationSchema,
  client_secret: z.string().nullable().describe('shown once; null for public applications'),
});

const changes = z.object({
  name: text.optional(),
  display_name: text.nullable().optional(),
  redirect_uris: uris.optional(),
  post_logout_redirect_uris: uris.optional(),
  response_types: z.array(z.string().max(50)).max(10).optional(),
  requested_scopes: z.array(z.string().max(100)).max(50).optional(),
  released_attributes: z.array(z.string().max(100)).max(50).optional(),
  privacy_policy_url: text.nullable().optional(),
  terms_url: text.nullable().optional(),
  primary_color: z.string().max(20).nullable().optional(),
  if_unmodified_since: z.iso
    .datetime()
    .optional()
    .describe('the `updated_at` you read: 409 if it changed since'),
});

const suspended = () =>
  new AppError({
    code: 'partners.application_suspended',
    status: 403,
    message: 'An administrator suspended this application; only an administrator can reactivate it.',
  });

/** What a 400 on creation or edit means: the same rules the sign-in endpoint applies on every request. */
const clientRules = [
  "Redirect URIs, response types and client type are checked with the OAuth provider's own client",
  "validation (what it accepts here is what every authorization accepts), besides Vetted's own rules.",
  'A refusal is a 400 whose `error` names the field: `partners.redirect_uri_invalid`,',
  '`partners.post_logout_redirect_uri_invalid`, `partners.response_type_invalid` or',
  "`partners.client_metadata_invalid`; `message` gives the provider's reason",
  '(`invalid_redirect_uri` or `invalid_client_metadata` with its description).',
].join(' ');

/** Defined only when the value is: `exactOptionalPropertyTypes` keeps absent and undefined apart. */
const defined = <T extends Record<string, unknown>>(object: T) =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };

export const applicationOperations: Operation[] = [
  operation({
    id: 'listApplications',
    method: 'get',
    path: '/organizations/{organizationId}/applications',
    tag: 'Applications',
    summary: "The organization's applications, newest first; `q` searches names and client ids",
    access: read,
    params: org,
    query: page.extend({ q: z.string().max(200).optional() }),
    response: listOf(applicationSchema),
    async handle({ services, params, query }) {
      const found = await services.applications.search({
        organizationId: params.organizationId,
        limit: query.limit,
        offset: query.offset,
        ...(query.q === undefined ? {} : { query: query.q }),
      });
      return {
        items: found.items.map(applicationView),
        total: found.total,
        limit: query.limit,
        offset: query.offset,
      };
    },
  }),
  operation({
    id: 'createApplication',
    method: 'post',
    path: '/organizations/{organizationId}/applications',
    tag: 'Applications',
    summary: 'Registers an application in sandbox mode; the client secret is in this response only',
    description: clientRules,
    access: write,
    params: org,
    body: z.object({
      name: text,
      display_name: text.nullable().optional(),
      redirect_uris: uris.min(1),
      client_type: z.enum(['confidential', 'public']).default('confidential'),
      response_types: z.array(z.string().max(50)).max(10).optional(),
      requested_scopes: z.array(z.string().max(100)).max(50).default([]),
    }),
    status: 201,
    response: created,
    async handle({ caller, services, params, body }) {
      const { application, clientSecret } = await services.applications.create(
        {
          name: body.name,
          redirectUris: body.redirect_uris,
          // Communities are enabled by an administrator; until then the standard scopes only.
          scopes: [...standardScopes],
          requestedScopes: body.requested_scopes,
          clientType: body.client_type,
          mode: 'sandbox',
          organizationId: params.organizationId,
          ...defined({ displayName: body.display_name, responseTypes: body.response_types }),
        },
        actorOf(caller),
      );
      return { application: applicationView(application), client_secret: clientSecret ?? null };
    },
  }),
  operation({
    id: 'getApplication',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}',
    tag: 'Applications',
    summary: 'One application (never its secrets)',
    access: read,
    params: app,
    response: applicationSchema,
    async handle({ application }) {
      return applicationView(await application());
    },
  }),
  operation({
    id: 'updateApplication',
    method: 'patch',
    path: '/organizations/{organizationId}/applications/{clientId}',
    tag: 'Applications',
    summary: 'Changes settings; absent fields stay as they are',
    description: clientRules,
    access: write,
    params: app,
    body: changes,
    response: applicationSchema,
    async handle({ caller, services, params, body, application }) {
      await application();
      const updated = await services.applications.update(
        params.clientId,
        defined({
          name: body.name,
          displayName: body.display_name,
          redirectUris: body.redirect_uris,
          postLogoutRedirectUris: body.post_logout_redirect_uris,
          responseTypes: body.response_types,
          requestedScopes: body.requested_scopes,
          releasedAttributes: body.released_attributes,
          privacyPolicyUrl: body.privacy_policy_url,
          termsUrl: body.terms_url,
          primaryColor: body.primary_color,
        }),
        actorOf(caller),
        body.if_unmodified_since === undefined ? undefined : new Date(body.if_unmodified_since),
      );
      return applicationView(updated);
    },
  }),
  operation({
    id: 'setApplicationStatus',
    method: 'post',
    path: '/organizations/{organizationId}/applications/{clientId}/status',
    tag: 'Applications',
    summary:
      'Disables the application (its users cannot sign in, its tokens stop working) or enables it again',
    access: write,
    params: app,
    body: z.object({ status: z.enum(['active', 'disabled']) }),
    response: applicationSchema,
    async handle({ caller, services, params, body, application }) {
      if ((await application()).status === 'suspended') throw suspended();
      await services.applications.setStatus(params.clientId, body.status, actorOf(caller));
      return applicationView(await services.applications.get(params.clientId));
    },
  }),
  operation({
    id: 'deleteApplication',
    method: 'delete',
    path: '/organizations/{organizationId}/applications/{clientId}',
    tag: 'Applications',
    summary: "Deletes the application: its users' grants and tokens end at once",
    access: { role: 'admin', scope: 'applications:write' },
    params: app,
    status: 204,
    async handle({ caller, services, params, application }) {
      await application();
      await services.applications.remove(params.clientId, actorOf(caller));
    },
  }),
  operation({
    id: 'listSecrets',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/secrets',
    tag: 'Applications',
    summary: 'The live client secrets: when each was made and when it stops working',
    access: read,
    params: app,
    response: z.object({ items: z.array(secretSchema) }),
    async handle({ services, params, application }) {
      await application();
      return { items: (await services.applications.secrets(params.clientId)).map(secretView) };
    },
  }),
  operation({
    id: 'rotateSecret',
    method: 'post',
    path: '/organizations/{organizationId}/applications/{clientId}/secrets',
    tag: 'Applications',
    summary:
      'A new client secret (in this response only); the previous one keeps working for `overlap_seconds` (default 86400, at most 7 days)',
    access: { role: 'admin', scope: 'applications:write' },
    params: app,
    body: z.object({
      overlap_seconds: z
        .number()
        .int()
        .min(0)
        .max(7 * 86_400)
        .optional(),
    }),
    status: 201,
    response: z.object({ client_secret: z.string(), secrets: z.array(secretSchema) }),
    async handle({ caller, services, params, body, application }) {
      await application();
      const rotated = await services.applications.rotateSecret(
        params.clientId,
        defined({ overlapSeconds: body.overlap_seconds }),
        actorOf(caller),
      );
      return { client_secret: rotated.clientSecret, secrets: rotated.secrets.map(secretView) };
    },
  }),
  operation({
    id: 'uploadLogo',
    method: 'put',
    path: '/organizations/{organizationId}/applications/{clientId}/logo',
    tag: 'Branding',
    summary:
      'Uploads the logo shown on the consent page (PNG, JPEG or SVG up to 512 KB; stored as a PNG ≤ 256 px)',
    access: write,
    params: app,
    rawBody: { contentTypes: ['image/png', 'image/jpeg', 'image/svg+xml'], maxBytes: 512 * 1024 },
    body: z.instanceof(Buffer),
    response: z.object({ logo_url: z.string(), width: z.number().int(), height: z.number().int() }),
    async handle({ caller, services, params, body, application }) {
      await application();
      const logo = await services.applicationLogos.upload(params.clientId, body, actorOf(caller));
      return { logo_url: logo.url, width: logo.width, height: logo.height };
    },
  }),
  operation({
    id: 'deleteLogo',
    method: 'delete',
    path: '/organizations/{organizationId}/applications/{clientId}/logo',
    tag: 'Branding',
    summary: 'Removes the logo',
    access: write,
    params: app,
    status: 204,
    async handle({ caller, services, params, application }) {
      await application();
      await services.applicationLogos.remove(params.clientId, actorOf(caller));
    },
  }),
];
