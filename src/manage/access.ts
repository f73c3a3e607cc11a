import type { User } from '../accounts/account-service.ts';
import type { Actor } from '../audit/audit-service.ts';
import type { ApiKeyScope, AuthenticatedApiKey } from '../partners/api-keys.ts';
import type { Application } from '../partners/application.ts';
import { partnerErrors } from '../partners/errors.ts';
import type { OrganizationRole, OrganizationService } from '../partners/organizations.ts';
import { organizationErrors } from '../partners/errors.ts';
import { manageErrors } from './errors.ts';

/** Who calls the management API: a person in the console, or an organization's API key. */
export type Caller = { kind: 'user'; user: User } | { kind: 'api_key'; apiKey: AuthenticatedApiKey['key'] };

/** What an operation needs: a role for people, a scope for API keys (or people only). */
export type Requirement =
  { role: OrganizationRole; scope: ApiKeyScope } | { sessionOnly: true; role?: OrganizationRole };

export function actorOf(caller: Caller): Actor {
  return caller.kind === 'user'
    ? { type: 'user', id: caller.user.id }
    : { type: 'partner', id: `api_key:${caller.apiKey.id}` };
}

/**
 * The caller's right to act on the organization. Another tenant's organization is reported as not found —
 * to people who are not members and to keys of other organizations alike — so ids reveal nothing.
 */
export async function requireOrganization(
  organizations: Pick<OrganizationService, 'requireRole'>,
  caller: Caller,
  organizationId: string,
  need: Requirement,
): Promise<void> {
  if (caller.kind === 'api_key') {
    if (caller.apiKey.organizationId !== organizationId) throw organizationErrors.notFound(organizationId);
    if ('sessionOnly' in need) throw manageErrors.sessionOnly();
    if (!caller.apiKey.scopes.includes(need.scope)) throw manageErrors.missingScope(need.scope);
    return;
  }
  await organizations.requireRole(organizationId, caller.user.id, need.role ?? 'viewer');
}

/** The organization's application, or not found (an application of another organization included). */
export function ownedApplication(
  application: Application | undefined,
  organizationId: string,
  clientId: string,
) {
  if (application?.organizationId !== organizationId) throw partnerErrors.notFound(clientId);
  return application;
}
