import type { AccountService, User } from '../accounts/account-service.ts';
import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';
import { shownName as applicationName } from './application.ts';
import type { ApplicationService } from './application-service.ts';
import { invitationAddress } from './invitations.ts';
import { partnerErrors } from './errors.ts';
import type { OrganizationService } from './organizations.ts';
import type { TestInvitationRepository, TestInvitationRow } from './test-invitation-repository.ts';

/** How long an invitation link works. */
export const TEST_INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Invitations of one address by one application within TEST_INVITATION_TTL_MS, withdrawn ones included. */
const MAX_PER_ADDRESS = 3;
const MAX_LISTED = 200;
const MAX_NAME_LENGTH = 60;

/** What the partner sees of an invitation: never whether the address has an account, nor its answer. */
export interface TestInvitation {
  id: string;
  email: string;
  status: 'pending' | 'expired';
  invitedAt: Date;
  expiresAt: Date;
}

/** What the account's owner sees on the invitation page. */
export interface OpenTestInvitation {
  clientId: string;
  applicationName: string;
  organizationName: string;
  expiresAt: Date;
}

export type NameChoice = { kind: 'first' } | { kind: 'other'; name: string };

export function testInvitationMessage(
  to: string,
  application: { name: string; organizationName: string },
  link: string,
): MailMessage {
  return {
    to,
    subject: `${application.name} asks you to test it with your Vetted account`,
    text: [
      `The developers of ${application.name} (${application.organizationName}) on Vetted's partner console asked to`,
      'add your Vetted account as a test user of their application while it is in sandbox mode.',
      '',
      `Accept or decline within 7 days: ${link}`,
      '',
      'Sign in with this email address to answer. If you accept, you choose the name they see, and the account',
      'can sign in to their sandbox application. Until then they see only that they invited this address.',
      'If you did not expect this, ignore this email or decline: nothing is shared unless you accept.',
      '',
    ].join('\n'),
  };
}

function validEmail(input: string): string {
  const email = invitationAddress(input);
  if (email === undefined) throw partnerErrors.testInvitationEmailInvalid();
  return email;
}

function chosenName(user: User, choice: NameChoice): string {
  const name = (choice.kind === 'first' ? user.firstName : choice.name).trim();
  // eslint-disable-next-line no-control-regex -- control characters are what the check refuses
  if (name === '' || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw partnerErrors.shownNameInvalid();
  }
  return name;
}

/** Shown to the partner: pending (a declined invitation too, and one to an address without account) or expired. */
function partnerView(row: TestInvitationRow, now: Date): TestInvitation {
  return {
    id: row.id,
    email: row.email,
    status: row.expiresAt > now ? 'pending' : 'expired',
    invitedAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/**
 * Existing accounts become test users by invitation only (issue 13): the partner's answer is the same for any
 * address, the owner of an account with that address gets a link (an address without account gets no mail),
 * and only an acceptance makes the account a test user, under the name its owner chose.
 */
export function createTestInvitationService(deps: {
  repository: TestInvitationRepository;
  applications: ApplicationService;
  organizations: Pick<OrganizationService, 'find'>;
  accounts: Pick<AccountService, 'findByEmail'>;
  isTester: (applicationId: string, userId: string) => Promise<boolean>;
  mailer: Mailer;
  /** Hashes invitation tokens (purpose `test-user-invitations`). */
  hasher: TokenHasher;
  audit: AuditService;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Links are `<baseUrl>/account/test-invitations/<token>`. */
  baseUrl: string;
}) {
  const { repository, applications, audit, clock, hasher } = deps;
  const subject = (clientId: string) => ({ type: 'application', id: clientId });

  async function describe(clientId: string): Promise<{ name: string; organizationName: string }> {
    const application = await applications.get(clientId);
    const organization =
      application.organizationId === null
        ? undefined
        : await deps.organizations.find(application.organizationId);
    return { name: applicationName(application), organizationName: organization?.name ?? 'Vetted' };
  }

  /** The invitation behind a link, for the signed-in owner only; refused when it cannot be answered. */
  async function answerable(token: string, user: User) {
    const invitation = await repository.findByTokenHash(hasher.hash(token));
    if (invitation === undefined) throw partnerErrors.testInvitationNotFound();
    if (invitation.userId === null || invitation.userId !== user.id)
      throw partnerErrors.testInvitationNotYours();
    if (invitation.withdrawnAt !== null) throw partnerErrors.testInvitationWithdrawn();
    if (invitation.consumedAt !== null) throw partnerErrors.testInvitationAnswered();
    if (invitation.expiresAt <= clock.now()) throw partnerErrors.testInvitationExpired();
    return invitation;
  }

  /** Mailed after the answer, so that the partner's wait does not tell an account apart. */
  function mailInBackground(message: MailMessage, invitationId: string): void {
    deps.mailer.send(message).catch((error: unknown) => {
      deps.logger.warn({ err: error, invitationId }, 'test user invitation mail not sent');
    });
  }

  return {
    /** Invites an address; the same answer whether an account has it or not. */
    async invite(clientId: string, email: string, actor: Actor): Promise<TestInvitation> {
      const application = await applications.get(clientId);
      const address = validEmail(email);
      const now = clock.now();
      const recent = await repository.listForAddress(
        application.id,
        address,
        now.getTime() - TEST_INVITATION_TTL_MS,
      );
      const shown = recent.filter((row) => row.withdrawnAt === null && row.outcome !== 'accepted');
      if (shown.some((row) => row.expiresAt > now)) throw partnerErrors.testInvitationPending();
      if (recent.length >= MAX_PER_ADDRESS) throw partnerErrors.tooManyTestInvitations();
      const account = await deps.accounts.findByEmail(address);
      // The partner's own list shows its test users' addresses: this tells them nothing new. The same queries
      // run for every address, so that the answer takes as long with or without an account.
      const described = await describe(clientId);
      if (await deps.isTester(application.id, account?.id ?? '')) throw partnerErrors.alreadyTestUser();
      const invitee = account === undefined || account.locked ? undefined : account;
      const token = deps.ids.token(32);
      const invitation: TestInvitationRow = {
        id: deps.ids.uuid(),
        applicationId: application.id,
        email: address,
        userId: invitee?.id ?? null,
        invitedBy: actor.type === 'user' ? (actor.id ?? null) : null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + TEST_INVITATION_TTL_MS),
        consumedAt: null,
        outcome: null,
        withdrawnAt: null,
      };
      await repository.insert(invitation, hasher.hash(token));
      await audit.record('application.test_user_invited', {
        actor,
        subject: subject(clientId),
        data: { invitationId: invitation.id, email: address },
      });
      if (invitee !== undefined) {
        const link = `${deps.baseUrl}/account/test-invitations/${token}`;
        mailInBackground(testInvitationMessage(invitee.email, described, link), invitation.id);
      }
      return partnerView(invitation, now);
    },

    /** The invitations the partner sees (not withdrawn, not accepted), newest first. */
    async list(clientId: string): Promise<TestInvitation[]> {
      const application = await applications.get(clientId);
      const now = clock.now();
      return (await repository.listShown(application.id, MAX_LISTED)).map((row) => partnerView(row, now));
    },

    /** The partner removes a pending or expired invitation; its link stops working. */
    async withdraw(clientId: string, invitationId: string, actor: Actor): Promise<void> {
      const application = await applications.get(clientId);
      if (!(await repository.withdraw(application.id, invitationId, clock.now().getTime()))) {
        throw partnerErrors.testInvitationNotFound();
      }
      await audit.record('application.test_user_invitation_withdrawn', {
        actor,
        subject: subject(clientId),
        data: { invitationId },
      });
    },

    /** What the invitation page shows its owner: which application asks. */
    async open(token: string, user: User): Promise<OpenTestInvitation> {
      const invitation = await answerable(token, user);
      const described = await describe(invitation.clientId);
      return {
        clientId: invitation.clientId,
        applicationName: described.name,
        organizationName: described.organizationName,
        expiresAt: invitation.expiresAt,
      };
    },

    /** The owner accepts: the account becomes a test user that the partner sees under the chosen name. */
    async accept(token: string, user: User, choice: NameChoice): Promise<OpenTestInvitation> {
      const invitation = await answerable(token, user);
      const name = chosenName(user, choice);
      const at = clock.now().getTime();
      const answer = { outcome: 'accepted' as const, userId: user.id, shownName: name };
      if (!(await repository.consume(invitation, answer, at))) throw partnerErrors.testInvitationAnswered();
      await audit.record('application.test_user_added', {
        actor: { type: 'user', id: user.id },
        subject: subject(invitation.clientId),
        data: { userId: user.id, invitationId: invitation.id },
      });
      const described = await describe(invitation.clientId);
      return {
        clientId: invitation.clientId,
        applicationName: described.name,
        organizationName: described.organizationName,
        expiresAt: invitation.expiresAt,
      };
    },

    /** The owner declines; the partner goes on seeing "pending" until the invitation expires. */
    async decline(token: string, user: User): Promise<void> {
      const invitation = await answerable(token, user);
      if (!(await repository.consume(invitation, { outcome: 'declined' }, clock.now().getTime()))) {
        throw partnerErrors.testInvitationAnswered();
      }
      await audit.record('test_user_invitation.declined', {
        actor: { type: 'user', id: user.id },
        subject: { type: 'user', id: user.id },
        data: { invitationId: invitation.id, clientId: invitation.clientId },
      });
    },

    /** Invitations expired more than 30 days ago are forgotten (the sweeper). */
    sweep: (now: number) => repository.deleteExpired(now - 30 * 24 * 60 * 60 * 1000),
  };
}

export type TestInvitationService = ReturnType<typeof createTestInvitationService>;
