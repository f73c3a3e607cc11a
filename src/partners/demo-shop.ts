import type { AccountService } from '../accounts/account-service.ts';
import type { Logger } from '../lib/logger.ts';
import { SANDBOX_PERSONA_PASSWORD } from '../verification/sources/sandbox.ts';
import type { Community } from '../verification/types.ts';
import type { ApplicationService } from './application-service.ts';
import type { OrganizationService } from './organizations.ts';

/** The development demo's fixed client_id (docs and the README name it). */
export const DEMO_CLIENT_ID = 'demo-shop';
/** The Demo organization's owner: a sandbox account with the personas' published password. */
export const DEMO_OWNER_EMAIL = 'demo.developer@sandbox.vetted.test';
export const DEMO_OWNER_PERSONA = 'demo:developer';

/** The built-in callback page on Vetted itself (the demo's redirect URI, and the console's test callback). */
export const testCallbackUrl = (baseUrl: string) => `${baseUrl}/demo/callback`;

export interface DemoShopDeps {
  accounts: Pick<AccountService, 'ensureTestPersona'>;
  organizations: Pick<OrganizationService, 'create'>;
  applications: Pick<ApplicationService, 'create' | 'search'>;
  communities: () => Promise<Community[]>;
  logger: Logger;
  baseUrl: string;
}

/**
 * In development, an empty database (no application at all) gets the sandbox "Demo Shop": a public client
 * (PKCE, no secret) enabled for every community, owned by a "Demo" organization, whose only redirect URI is
 * the callback page on Vetted itself. Running it again, or on several instances at once, makes one: the
 * client_id is fixed and unique, so a second instance's insert fails and it finds the first one's shop.
 */
export async function ensureDemoShop(deps: DemoShopDeps): Promise<'created' | 'exists' | 'skipped'> {
  // (Not findByClientId: it would remember the miss for a while, hiding the shop made just below.)
  if ((await deps.applications.search({ limit: 1, offset: 0 })).total > 0) return 'skipped';
  const actor = { type: 'system' } as const;
  try {
    const owner = await deps.accounts.ensureTestPersona(
      {
        email: DEMO_OWNER_EMAIL,
        password: SANDBOX_PERSONA_PASSWORD,
        firstName: 'Demo',
        lastName: 'Developer',
        persona: DEMO_OWNER_PERSONA,
      },
      actor,
    );
    const organization = await deps.organizations.create({ name: 'Demo', ownerUserId: owner.id }, actor);
    const scopes = (await deps.communities()).map((community) => community.handle);
    await deps.applications.create(
      {
        clientId: DEMO_CLIENT_ID,
        name: 'Demo Shop',
        clientType: 'public',
        mode: 'sandbox',
        redirectUris: [testCallbackUrl(deps.baseUrl)],
        scopes: ['openid', 'profile', 'email', ...scopes],
        organizationId: organization.id,
      },
      actor,
    );
    deps.logger.info({ clientId: DEMO_CLIENT_ID, url: `${deps.baseUrl}/demo` }, 'demo shop created');
    return 'created';
  } catch (error) {
    // Another instance made it first (the unique client_id, or the owner's email).
    if ((await deps.applications.search({ query: DEMO_CLIENT_ID, limit: 1, offset: 0 })).total > 0) {
      return 'exists';
    }
    deps.logger.warn({ err: error }, 'could not create the demo shop');
    return 'skipped';
  }
}
