import { normalizeEmail } from '../accounts/user-input.ts';
import type { Actor } from '../audit/audit-service.ts';
import type { MailMessage } from '../mail/mailer.ts';
import { organizationErrors } from './errors.ts';
import type { OrganizationRole, OrganizationServiceDeps } from './organizations.ts';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN_BYTES = 32;
const MAX_EMAIL_LENGTH = 254;

export interface Invitation {
  id: string;
  organizationId: string;
  /** Normalized (lower case); the accepting account's address must be the same. */
  email: string;
  role: OrganizationRole;
  /** The inviting user; null when an operator or administrator invited. */
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
}

/** What organizations.ts lends the invitation operations. */
export interface InvitationHelpers {
  authorize(organizationId: string, actor: Actor, atLeast: OrganizationRole): Promise<OrganizationRole>;
  parseRole(value: string): OrganizationRole;
  roleAtLeast(role: OrganizationRole, atLeast: OrganizationRole): boolean;
}

export function invitationMessage(
  to: string,
  organizationName: string,
  role: string,
  link: string,
): MailMessage {
  return {
    to,
    subject: `You are invited to join ${organizationName} on Vetted`,
    text: [
      `You have been invited to join the organization ${organizationName} on Vetted's partner console as ${role}.`,
      '',
      `Accept the invitation within 7 days: ${link}`,
      '',
      'Sign in (or create an account) with this email address to accept it.',
      'If you did not expect this invitation, ignore this email: nothing happens unless you accept.',
      '',
    ].join('\n'),
  };
}

/** The normalized address an invitation is sent to, or undefined when it cannot be one. */
export function invitationAddress(input: string): string | undefined {
  const email = normalizeEmail(input);
  const at = email.indexOf('@');
  if (email.length > MAX_EMAIL_LENGTH || at < 1 || at === email.length - 1 || /\s/.test(email))
    return undefined;
  return email;
}

function validEmail(input: string): string {
  const email = invitationAddress(input);
  if (email === undefined) throw organizationErrors.invalidEmail();
  return email;
}

/** Invitations by email, part of the organization service (see createOrganizationService). */
export function createInvitationOperations(deps: OrganizationServiceDeps, helpers: InvitationHelpers) {
  const { repository, audit, clock, ids, mailer, hasher } = deps;
  const subject = (id: string) => ({ type: 'organization', id });

  return {
    /** Admins invite; only owners invite owners. Mails a link valid for 7 days. */
    async invite(organizationId: string, email: string, role: string, actor: Actor): Promise<Invitation> {
      const invitedRole = helpers.parseRole(role);
      const address = validEmail(email);
      const actorRole = await helpers.authorize(organizationId, actor, 'admin');
      if (invitedRole === 'owner' && actorRole !== 'owner') throw organizationErrors.forbidden('owner');
      if (await repository.hasMemberWithEmail(organizationId, address))
        throw organizationErrors.alreadyMember();
      const now = clock.now();
      const pending = await repository.listInvitations(organizationId);
      if (pending.some((i) => i.email === address && i.acceptedAt === null && i.expiresAt > now)) {
        throw organizationErrors.invitationPending();
      }
      const organization = await repository.find(organizationId);
      if (organization === undefined) throw organizationErrors.notFound(organizationId);

      const token = ids.token(TOKEN_BYTES);
      const invitation: Invitation = {
        id: ids.uuid(),
        organizationId,
        email: address,
        role: invitedRole,
        invitedBy: actor.type === 'user' ? (actor.id ?? null) : null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        acceptedAt: null,
      };
      await repository.insertInvitation(invitation, hasher.hash(token));
      const link = `${deps.baseUrl}/developer/invitations/${token}`;
      try {
        await mailer.send(invitationMessage(address, organization.name, invitedRole, link));
      } catch (error) {
        // An invitation nobody received could never be accepted; leave none behind.
        await repository.deletePendingInvitation(organizationId, invitation.id);
        throw error;
      }
      await audit.record('organization.invitation_sent', {
        actor,
        subject: subject(organizationId),
        data: { invitationId: invitation.id, email: address, role: invitedRole },
      });
      return invitation;
    },

    /** All invitations, newest first, accepted and expired ones included (see acceptedAt, expiresAt). */
    listInvitations: (organizationId: string) => repository.listInvitations(organizationId),

    /** Admins revoke an invitation not yet accepted. */
    async revokeInvitation(organizationId: string, invitationId: string, actor: Actor): Promise<void> {
      await helpers.authorize(organizationId, actor, 'admin');
      if (!(await repository.deletePendingInvitation(organizationId, invitationId))) {
        throw organizationErrors.invitationNotFound();
      }
      await audit.record('organization.invitation_revoked', {
        actor,
        subject: subject(organizationId),
        data: { invitationId },
      });
    },

    /**
     * Makes the user a member with the invited role (a member already holding a higher role keeps it).
     * `userEmail` must be the account's own, verified address; it must be the invited one. Single use.
     */
    async acceptInvitation(
      token: string,
      userId: string,
      userEmail: string,
    ): Promise<{ organizationId: string; role: OrganizationRole }> {
      const invitation = await repository.findInvitationByTokenHash(hasher.hash(token));
      if (invitation === undefined) throw organizationErrors.invitationNotFound();
      if (invitation.acceptedAt !== null) throw organizationErrors.invitationUsed();
      const now = clock.now();
      if (invitation.expiresAt <= now) throw organizationErrors.invitationExpired();
      if (normalizeEmail(userEmail) !== invitation.email) throw organizationErrors.invitationEmailMismatch();

      const result = await repository.consumeInvitation(invitation, userId, now.getTime(), (current) =>
        current !== undefined && helpers.roleAtLeast(current, invitation.role) ? current : invitation.role,
      );
      // Accepted (or revoked) concurrently; the expiry was checked above against the same instant.
      if (result === undefined) throw organizationErrors.invitationUsed();

      const actor: Actor = { type: 'user', id: userId };
      const organizationId = invitation.organizationId;
      await audit.record('organization.invitation_accepted', {
        actor,
        subject: subject(organizationId),
        data: { invitationId: invitation.id, role: result.role },
      });
      if (result.previous === undefined) {
        await audit.record('organization.member_added', {
          actor,
          subject: subject(organizationId),
          data: { userId, role: result.role, invitationId: invitation.id },
        });
      } else if (result.previous !== result.role) {
        await audit.record('organization.member_role_changed', {
          actor,
          subject: subject(organizationId),
          data: { userId, from: result.previous, to: result.role, invitationId: invitation.id },
        });
      }
      return { organizationId, role: result.role };
    },
  };
}
