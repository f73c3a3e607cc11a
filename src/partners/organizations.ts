import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { Mailer } from '../mail/mailer.ts';
import { organizationErrors } from './errors.ts';
import { createInvitationOperations } from './invitations.ts';
import type { MemberChange, OrganizationRepository, OrganizationSearch } from './organization-repository.ts';

/** Roles in increasing order of power: each can do everything the ones before it can. */
export const organizationRoles = ['viewer', 'developer', 'admin', 'owner'] as const;
export type OrganizationRole = (typeof organizationRoles)[number];

export interface Organization {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One organization of a user, with the user's role in it. */
export interface Membership {
  organization: Organization;
  role: OrganizationRole;
  since: Date;
}

export interface Member {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: OrganizationRole;
  since: Date;
}

export function isOrganizationRole(value: string): value is OrganizationRole {
  return (organizationRoles as readonly string[]).includes(value);
}

/** Whether `role` is `atLeast` or above it. */
export function roleAtLeast(role: OrganizationRole, atLeast: OrganizationRole): boolean {
  return organizationRoles.indexOf(role) >= organizationRoles.indexOf(atLeast);
}

function parseRole(value: string): OrganizationRole {
  if (!isOrganizationRole(value)) throw organizationErrors.invalidRole(value);
  return value;
}

export interface OrganizationServiceDeps {
  repository: OrganizationRepository;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  mailer: Mailer;
  /** Hashes invitation tokens (a purpose of its own, e.g. `organization-invitation`). */
  hasher: TokenHasher;
  /** The public URL; invitation links are `<baseUrl>/developer/invitations/<token>`. */
  baseUrl: string;
}

/**
 * Organizations of the partner console: members with roles, and invitations. Methods taking an `actor` check
 * it when it is a user: a user who is not a member gets `partners.organization_not_found` (another tenant's
 * organization is never revealed), one whose role is too low `partners.forbidden`. Other actors (the
 * operator's CLI, Vetted's administrators, the system) are trusted; so are the callers of the methods without
 * an actor, which must `requireRole` first.
 */
export function createOrganizationService(deps: OrganizationServiceDeps) {
  const { repository, audit, clock, ids } = deps;
  const subject = (id: string) => ({ type: 'organization', id });

  async function requireRole(
    organizationId: string,
    userId: string,
    atLeast: OrganizationRole,
  ): Promise<OrganizationRole> {
    const role = await repository.findRole(organizationId, userId);
    if (role === undefined) throw organizationErrors.notFound(organizationId);
    if (!roleAtLeast(role, atLeast)) throw organizationErrors.forbidden(atLeast);
    return role;
  }

  /** The actor's role for the purpose of `atLeast`; trusted actors count as owners. */
  async function authorize(
    organizationId: string,
    actor: Actor,
    atLeast: OrganizationRole,
  ): Promise<OrganizationRole> {
    if (actor.type === 'user') return requireRole(organizationId, actor.id ?? '', atLeast);
    if ((await repository.find(organizationId)) === undefined)
      throw organizationErrors.notFound(organizationId);
    return 'owner';
  }

  async function change(organizationId: string, userId: string, to: MemberChange) {
    const result = await repository.changeMember(organizationId, userId, to, clock.now().getTime());
    if (result === 'not_member') throw organizationErrors.memberNotFound(userId);
    if (result === 'last_owner') throw organizationErrors.lastOwner();
  }

  /** The user's role, throwing `partners.member_not_found` when the user is not a member. */
  async function memberRole(organizationId: string, userId: string): Promise<OrganizationRole> {
    const role = await repository.findRole(organizationId, userId);
    if (role === undefined) throw organizationErrors.memberNotFound(userId);
    return role;
  }

  return {
    /** Creates an organization whose only member, its owner, is `ownerUserId`. */
    async create(input: { name: string; ownerUserId: string }, actor: Actor): Promise<Organization> {
      const name = input.name.trim();
      if (name.length < 1 || name.length > 100) throw organizationErrors.invalidName();
      const now = clock.now();
      const organization: Organization = { id: ids.uuid(), name, createdAt: now, updatedAt: now };
      await repository.insert(organization, input.ownerUserId);
      await audit.record('organization.created', {
        actor,
        subject: subject(organization.id),
        data: { name, ownerUserId: input.ownerUserId },
      });
      await audit.record('organization.member_added', {
        actor,
        subject: subject(organization.id),
        data: { userId: input.ownerUserId, role: 'owner' },
      });
      return organization;
    },

    /** The organizations the user is a member of, with the user's role, by name. */
    listForUser: (userId: string) => repository.listForUser(userId),
    find: (id: string) => repository.find(id),
    /** Every organization matching the query, by name (the administrator console; no actor check). */
    search: (filter: OrganizationSearch) => repository.search(filter),
    /** The members, oldest first. */
    members: (organizationId: string) => repository.listMembers(organizationId),
    roleOf: (organizationId: string, userId: string) => repository.findRole(organizationId, userId),
    requireRole,
    /** The actor's role, checked against `atLeast` when the actor is a user; trusted actors count as owners. */
    authorize,

    /** Admins change roles; only owners make owners or change an owner's role. */
    async setRole(organizationId: string, userId: string, role: string, actor: Actor): Promise<void> {
      const to = parseRole(role);
      const actorRole = await authorize(organizationId, actor, 'admin');
      const from = await memberRole(organizationId, userId);
      if ((to === 'owner' || from === 'owner') && actorRole !== 'owner') {
        throw organizationErrors.forbidden('owner');
      }
      if (from === to) return;
      await change(organizationId, userId, { role: to });
      await audit.record('organization.member_role_changed', {
        actor,
        subject: subject(organizationId),
        data: { userId, from, to },
      });
    },

    /** Admins remove members (owners only by owners); any member may leave. The last owner stays. */
    async removeMember(organizationId: string, userId: string, actor: Actor): Promise<void> {
      const leaving = actor.type === 'user' && actor.id === userId;
      const actorRole = await authorize(organizationId, actor, leaving ? 'viewer' : 'admin');
      const role = await memberRole(organizationId, userId);
      if (role === 'owner' && actorRole !== 'owner') throw organizationErrors.forbidden('owner');
      await change(organizationId, userId, 'remove');
      await audit.record('organization.member_removed', {
        actor,
        subject: subject(organizationId),
        data: { userId, role },
      });
    },

    ...createInvitationOperations(deps, { authorize, parseRole, roleAtLeast }),
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;
