import { randomBytes } from 'node:crypto';
import type { AccountService } from '../accounts/account-service.ts';
import type { Actor, AuditService } from '../audit/audit-service.ts';
import { BoundedMap } from '../lib/bounded-map.ts';
import type { Clock } from '../lib/clock.ts';
import {
  SANDBOX_PERSONA_PASSWORD,
  parsePersona,
  sandboxOutcomes,
  sandboxPersonas,
  type SandboxOutcome,
} from '../verification/sources/sandbox.ts';
import type { Community } from '../verification/types.ts';
import { shownName, type Application } from './application.ts';
import type { ApplicationService } from './application-service.ts';
import { partnerErrors } from './errors.ts';
import type { TestUserRepository } from './test-user-repository.ts';

/** A ready-made persona: shared by every sandbox application, with a published password. */
export interface ReadyPersona {
  userId: string;
  email: string;
  /** null: the account exists with another password (an operator set one with `vetted sandbox personas`) */
  password: string | null;
  community: string;
  outcome: SandboxOutcome;
  description: string;
}

/** One of the application's own test users. */
export interface AppTestUser {
  userId: string;
  email: string;
  name: string;
  /** For the personas made for this application; null for an existing account that accepted an invitation. */
  community: string | null;
  outcome: SandboxOutcome | null;
  addedAt: Date;
}

/** A sandbox application the account tests, as its owner sees it. */
export interface TestingApp {
  clientId: string;
  name: string;
  /** The name the partner sees; null for rows older than invitations (they see the account's name). */
  shownName: string | null;
  since: Date;
}

function isOutcome(value: string): value is SandboxOutcome {
  return (sandboxOutcomes as readonly string[]).includes(value);
}

/**
 * Who may use a sandbox application: the ready-made personas (any sandbox application) and the application's
 * own test users — personas made for it, or existing accounts that accepted an invitation (test-invitations.ts).
 */
export function createTestUserService(deps: {
  repository: TestUserRepository;
  applications: ApplicationService;
  accounts: Pick<AccountService, 'ensureTestPersona' | 'findByEmail' | 'findById'>;
  communities: () => Promise<Community[]>;
  audit: AuditService;
  clock: Clock;
}) {
  const { repository, applications, accounts, audit } = deps;
  const subject = (clientId: string) => ({ type: 'application', id: clientId });

  // Whether the published password opens a persona is an Argon2 verification: remembered per account version,
  // so that listing the personas (every Sandbox page view) does not hash four passwords each time.
  const passwordWorks = new BoundedMap<string, boolean>(10_000);

  async function readyPersona(persona: ReturnType<typeof sandboxPersonas>[number]) {
    const existing = await accounts.findByEmail(persona.email);
    const known =
      existing === undefined
        ? undefined
        : passwordWorks.get(`${existing.id}:${existing.updatedAt.getTime()}`);
    if (existing !== undefined && existing.testPersona === persona.persona && known !== undefined) {
      return { ...existing, passwordWorks: known };
    }
    const user = await accounts.ensureTestPersona(
      { ...persona, password: SANDBOX_PERSONA_PASSWORD },
      { type: 'system' },
    );
    passwordWorks.set(`${user.id}:${user.updatedAt.getTime()}`, user.passwordWorks);
    return user;
  }

  async function enabledCommunities(application: Application): Promise<Community[]> {
    return (await deps.communities()).filter((community) =>
      application.allowedScopes.includes(community.handle),
    );
  }

  return {
    /** The personas of the application's enabled communities, one per outcome; made on first use. */
    async readyPersonas(clientId: string): Promise<ReadyPersona[]> {
      const application = await applications.get(clientId);
      const personas = sandboxPersonas(await enabledCommunities(application));
      const ready: ReadyPersona[] = [];
      for (const persona of personas) {
        const user = await readyPersona(persona);
        ready.push({
          userId: user.id,
          email: user.email,
          password: user.passwordWorks ? SANDBOX_PERSONA_PASSWORD : null,
          community: persona.community,
          outcome: persona.outcome,
          description: persona.description,
        });
      }
      return ready;
    },

    async list(clientId: string): Promise<AppTestUser[]> {
      const application = await applications.get(clientId);
      return (await repository.list(application.id)).map((row) => {
        const persona = parsePersona(row.testPersona);
        return {
          userId: row.userId,
          email: row.email,
          // Accepted invitations show the name the owner chose; personas (and older rows) the account's name.
          name: row.shownName ?? `${row.firstName} ${row.lastName}`,
          community: persona?.community ?? null,
          outcome: persona?.outcome ?? null,
          addedAt: row.addedAt,
        };
      });
    },

    /** A new persona for this application only; its password is returned once. */
    async create(
      clientId: string,
      input: { community: string; outcome: string },
      actor: Actor,
    ): Promise<{ userId: string; email: string; password: string }> {
      const application = await applications.get(clientId);
      const community = (await enabledCommunities(application)).find(
        (item) => item.handle === input.community,
      );
      if (community === undefined) throw partnerErrors.communityNotEnabled(input.community);
      if (!isOutcome(input.outcome)) throw partnerErrors.invalidOutcome(input.outcome);
      const [template] = sandboxPersonas([community]).filter((persona) => persona.outcome === input.outcome);
      if (template === undefined) throw partnerErrors.invalidOutcome(input.outcome);
      const tag = randomBytes(4).toString('hex');
      const password = randomBytes(12).toString('base64url');
      const user = await accounts.ensureTestPersona(
        {
          email: `${community.handle}.${input.outcome}.${tag}@sandbox.vetted.test`,
          password,
          firstName: template.firstName,
          lastName: `${template.lastName} ${tag}`,
          persona: template.persona,
        },
        actor,
      );
      await repository.insert(application.id, user.id, deps.clock.now().getTime());
      await audit.record('application.test_user_added', {
        actor,
        subject: subject(clientId),
        data: { userId: user.id, persona: template.persona },
      });
      return { userId: user.id, email: user.email, password };
    },

    async remove(clientId: string, userId: string, actor: Actor): Promise<void> {
      const application = await applications.get(clientId);
      if (!(await repository.delete(application.id, userId))) throw partnerErrors.testUserNotFound();
      await audit.record('application.test_user_removed', {
        actor,
        subject: subject(clientId),
        data: { userId },
      });
    },

    /** The applications the account is a test user of, for its owner's "Connected apps" page. */
    async testing(userId: string): Promise<TestingApp[]> {
      const apps: TestingApp[] = [];
      for (const row of await repository.listForUser(userId)) {
        const application = await applications.findByClientId(row.clientId);
        if (application === undefined) continue;
        apps.push({
          clientId: row.clientId,
          name: shownName(application),
          shownName: row.shownName,
          since: row.addedAt,
        });
      }
      return apps;
    },

    /** The account's owner stops being a test user of the application; false when they were not one. */
    async leave(userId: string, clientId: string): Promise<boolean> {
      const application = await applications.findByClientId(clientId);
      if (application === undefined || !(await repository.delete(application.id, userId))) return false;
      await audit.record('application.test_user_removed', {
        actor: { type: 'user', id: userId },
        subject: subject(clientId),
        data: { userId },
      });
      return true;
    },

    /** Whether the account may authorize the sandbox application: any persona, or one of its test users. */
    async isTester(accountId: string, clientId: string): Promise<boolean> {
      const user = await accounts.findById(accountId);
      if (user === undefined) return false;
      if (user.testPersona !== null) return true;
      const application = await applications.findByClientId(clientId);
      return application !== undefined && (await repository.isTester(application.id, accountId));
    },
  };
}

export type TestUserService = ReturnType<typeof createTestUserService>;
