import { randomBytes } from 'node:crypto';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { createAuditRepository } from '../../src/audit/audit-repository.ts';
import { createAuditService, type Actor } from '../../src/audit/audit-service.ts';
import { createTokenHasher } from '../../src/keys/token-hasher.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { randomIds } from '../../src/lib/ids.ts';
import type { Mailer, MailMessage } from '../../src/mail/mailer.ts';
import { INVITATION_TTL_MS } from '../../src/partners/invitations.ts';
import { createOrganizationRepository } from '../../src/partners/organization-repository.ts';
import { createOrganizationService, type OrganizationService } from '../../src/partners/organizations.ts';
import type { Database } from '../../src/storage/database.ts';
import { describeEachDatabase, migratedDatabases, type TestDatabase } from '../helpers/databases.ts';
import { insertTestUser } from '../helpers/users.ts';

const BASE_URL = 'https://vetted.example';
const user = (id: string): Actor => ({ type: 'user', id });

/** SMTP is outside the system: an in-memory Mailer, through the same interface. */
function memoryMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    send: (message) => {
      sent.push(message);
      return Promise.resolve();
    },
  };
}

describeEachDatabase('organizations', (target: TestDatabase) => {
  const databases = migratedDatabases(target);
  const clock = createManualClock();
  const mailer = memoryMailer();
  let database: Database;
  let service: OrganizationService;

  /** A user whose address is `email` as typed (stored normalized too, as accounts does). */
  async function userWithEmail(email: string): Promise<string> {
    const id = await insertTestUser(database.db);
    await database.db
      .updateTable('users')
      .set({ email, email_normalized: email.trim().toLowerCase() })
      .where('id', '=', id)
      .execute();
    return id;
  }

  /** The token in the link of the last mail sent to `to`. */
  function tokenMailedTo(to: string): string {
    const message = mailer.sent.findLast((m) => m.to === to);
    const match = /\/developer\/invitations\/([A-Za-z0-9_-]+)/.exec(message?.text ?? '');
    if (match?.[1] === undefined) throw new Error(`no invitation mailed to ${to}`);
    return match[1];
  }

  /** An organization of a fresh owner, with members of the given roles. */
  async function organizationWith(...roles: ('admin' | 'developer' | 'viewer' | 'owner')[]) {
    const owner = await insertTestUser(database.db);
    const organization = await service.create({ name: 'Acme', ownerUserId: owner }, user(owner));
    const members: string[] = [];
    for (const role of roles) {
      const email = `${randomBytes(6).toString('hex')}@members.example`;
      const id = await userWithEmail(email);
      await service.invite(organization.id, email, role, user(owner));
      await service.acceptInvitation(tokenMailedTo(email), id, email);
      members.push(id);
    }
    return { organization, owner, members };
  }

  beforeAll(async () => {
    database = await databases.fresh();
    service = createOrganizationService({
      repository: createOrganizationRepository(database.db),
      audit: createAuditService({ repository: createAuditRepository(database.db), clock, ids: randomIds }),
      clock,
      ids: randomIds,
      mailer,
      hasher: createTokenHasher(randomBytes(32), 'organization-invitations'),
      baseUrl: BASE_URL,
    });
  });

  beforeEach(() => {
    mailer.sent.length = 0;
  });

  it('makes the creator the only member, as owner, and audits it', async () => {
    const owner = await insertTestUser(database.db);
    const organization = await service.create({ name: '  Acme Inc  ', ownerUserId: owner }, user(owner));
    expect(organization.name).toBe('Acme Inc');
    expect(await service.members(organization.id)).toMatchObject([{ userId: owner, role: 'owner' }]);
    expect(await service.listForUser(owner)).toMatchObject([
      { organization: { id: organization.id }, role: 'owner' },
    ]);
    const events = await database.db
      .selectFrom('audit_events')
      .select('event')
      .where('subject_id', '=', organization.id)
      .execute();
    expect(events.map((e) => e.event).sort()).toEqual(['organization.created', 'organization.member_added']);
  });

  it('refuses an empty or overlong name', async () => {
    const owner = await insertTestUser(database.db);
    for (const name of ['  ', 'x'.repeat(101)]) {
      await expect(service.create({ name, ownerUserId: owner }, user(owner))).rejects.toMatchObject({
        code: 'partners.organization_name_invalid',
        status: 400,
      });
    }
  });

  it('mails an invitation link whose token is stored only as an HMAC, and accepting makes a member', async () => {
    const { organization, owner } = await organizationWith();
    const invitee = await userWithEmail('Ann.Lee@Example.com');
    const invitation = await service.invite(
      organization.id,
      ' ANN.lee@example.COM ',
      'developer',
      user(owner),
    );
    expect(invitation).toMatchObject({ email: 'ann.lee@example.com', role: 'developer', invitedBy: owner });
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(INVITATION_TTL_MS);

    const [message] = mailer.sent;
    expect(message?.to).toBe('ann.lee@example.com');
    expect(message?.subject).toContain('Acme');
    const token = tokenMailedTo('ann.lee@example.com');
    expect(message?.text).toContain(`${BASE_URL}/developer/invitations/${token}`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await database.db.selectFrom('organization_invitations').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);

    expect(await service.listInvitations(organization.id)).toMatchObject([
      { id: invitation.id, acceptedAt: null },
    ]);
    expect(await service.acceptInvitation(token, invitee, 'Ann.Lee@Example.com')).toEqual({
      organizationId: organization.id,
      role: 'developer',
    });
    expect(await service.roleOf(organization.id, invitee)).toBe('developer');
    const [listed] = await service.listInvitations(organization.id);
    expect(listed?.acceptedAt).toBeInstanceOf(Date);
  });

  it('accepts an invitation only once', async () => {
    const { organization, owner } = await organizationWith();
    const invitee = await userWithEmail('once@example.com');
    await service.invite(organization.id, 'once@example.com', 'viewer', user(owner));
    const token = tokenMailedTo('once@example.com');
    const results = await Promise.allSettled([
      service.acceptInvitation(token, invitee, 'once@example.com'),
      service.acceptInvitation(token, invitee, 'once@example.com'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expect(service.acceptInvitation(token, invitee, 'once@example.com')).rejects.toMatchObject({
      code: 'partners.invitation_used',
    });
  });

  it('refuses an invitation accepted by an account with another email address', async () => {
    const { organization, owner } = await organizationWith();
    const other = await userWithEmail('mallory@example.com');
    await service.invite(organization.id, 'bob@example.com', 'admin', user(owner));
    await expect(
      service.acceptInvitation(tokenMailedTo('bob@example.com'), other, 'mallory@example.com'),
    ).rejects.toMatchObject({ code: 'partners.invitation_email_mismatch', status: 403 });
    expect(await service.roleOf(organization.id, other)).toBeUndefined();
  });

  it('refuses an expired invitation, and an unknown token', async () => {
    const { organization, owner } = await organizationWith();
    const invitee = await userWithEmail('late@example.com');
    await service.invite(organization.id, 'late@example.com', 'viewer', user(owner));
    const token = tokenMailedTo('late@example.com');
    clock.advance(INVITATION_TTL_MS);
    await expect(service.acceptInvitation(token, invitee, 'late@example.com')).rejects.toMatchObject({
      code: 'partners.invitation_expired',
      status: 410,
    });
    await expect(service.acceptInvitation('nope', invitee, 'late@example.com')).rejects.toMatchObject({
      code: 'partners.invitation_not_found',
    });
    // Once expired, a new invitation may be sent.
    await service.invite(organization.id, 'late@example.com', 'viewer', user(owner));
    await service.acceptInvitation(tokenMailedTo('late@example.com'), invitee, 'late@example.com');
    expect(await service.roleOf(organization.id, invitee)).toBe('viewer');
  });

  it('refuses inviting a member, a second pending invitation, a bad email and a bad role', async () => {
    const { organization, owner, members } = await organizationWith('viewer');
    const [viewer] = await service
      .members(organization.id)
      .then((all) => all.filter((m) => m.userId === members[0]));
    const cases: [string, string, string][] = [
      [viewer?.email.toUpperCase() ?? '', 'admin', 'partners.already_member'],
      ['not-an-email', 'viewer', 'partners.email_invalid'],
      ['x@example.com', 'emperor', 'partners.role_invalid'],
    ];
    for (const [email, role, code] of cases) {
      await expect(service.invite(organization.id, email, role, user(owner))).rejects.toMatchObject({ code });
    }
    await service.invite(organization.id, 'twice@example.com', 'viewer', user(owner));
    await expect(
      service.invite(organization.id, 'Twice@example.com', 'viewer', user(owner)),
    ).rejects.toMatchObject({ code: 'partners.invitation_pending', status: 409 });
  });

  it('lets admins invite and revoke, but not viewers or developers; only owners invite owners', async () => {
    const { organization, owner, members } = await organizationWith('admin', 'developer', 'viewer');
    const [admin = '', developer = '', viewer = ''] = members;
    for (const weak of [developer, viewer]) {
      await expect(
        service.invite(organization.id, 'n@example.com', 'viewer', user(weak)),
      ).rejects.toMatchObject({
        code: 'partners.forbidden',
        status: 403,
      });
    }
    await expect(
      service.invite(organization.id, 'n@example.com', 'owner', user(admin)),
    ).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    const invitation = await service.invite(organization.id, 'n@example.com', 'admin', user(admin));
    await expect(
      service.revokeInvitation(organization.id, invitation.id, user(viewer)),
    ).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    await service.revokeInvitation(organization.id, invitation.id, user(admin));
    await expect(service.revokeInvitation(organization.id, invitation.id, user(admin))).rejects.toMatchObject(
      {
        code: 'partners.invitation_not_found',
      },
    );
    const invitee = await userWithEmail('n@example.com');
    await expect(
      service.acceptInvitation(tokenMailedTo('n@example.com'), invitee, 'n@example.com'),
    ).rejects.toMatchObject({ code: 'partners.invitation_not_found' });
    await service.invite(organization.id, 'o@example.com', 'owner', user(owner));
  });

  it('lets admins change roles below owner; only owners make or unmake owners', async () => {
    const { organization, owner, members } = await organizationWith('admin', 'developer', 'owner');
    const [admin = '', developer = '', coOwner = ''] = members;
    await service.setRole(organization.id, developer, 'viewer', user(admin));
    expect(await service.roleOf(organization.id, developer)).toBe('viewer');
    await expect(service.setRole(organization.id, developer, 'owner', user(admin))).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    await expect(service.setRole(organization.id, coOwner, 'viewer', user(admin))).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    await expect(service.setRole(organization.id, admin, 'owner', user(developer))).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    await expect(service.setRole(organization.id, developer, 'king', user(owner))).rejects.toMatchObject({
      code: 'partners.role_invalid',
    });
    await expect(service.setRole(organization.id, 'nobody', 'viewer', user(owner))).rejects.toMatchObject({
      code: 'partners.member_not_found',
    });
    await service.setRole(organization.id, coOwner, 'admin', user(owner));
    expect(await service.roleOf(organization.id, coOwner)).toBe('admin');
  });

  it('keeps the last owner: they can neither leave nor be demoted', async () => {
    const { organization, owner, members } = await organizationWith('admin');
    const [admin = ''] = members;
    await expect(service.removeMember(organization.id, owner, user(owner))).rejects.toMatchObject({
      code: 'partners.last_owner',
      status: 409,
    });
    await expect(service.setRole(organization.id, owner, 'admin', user(owner))).rejects.toMatchObject({
      code: 'partners.last_owner',
    });
    await expect(
      service.setRole(organization.id, owner, 'admin', { type: 'operator' }),
    ).rejects.toMatchObject({
      code: 'partners.last_owner',
    });
    await service.setRole(organization.id, admin, 'owner', user(owner));
    await service.removeMember(organization.id, owner, user(owner));
    expect(await service.members(organization.id)).toMatchObject([{ userId: admin, role: 'owner' }]);
  });

  it('lets any member leave, and admins remove non-owners', async () => {
    const { organization, members } = await organizationWith('admin', 'viewer', 'developer');
    const [admin = '', viewer = '', developer = ''] = members;
    await service.removeMember(organization.id, viewer, user(viewer));
    await expect(service.removeMember(organization.id, admin, user(developer))).rejects.toMatchObject({
      code: 'partners.forbidden',
    });
    await service.removeMember(organization.id, developer, user(admin));
    expect((await service.members(organization.id)).map((m) => m.role).sort()).toEqual(['admin', 'owner']);
  });

  it('answers organization_not_found to non-members, never revealing another tenant', async () => {
    const { organization, members } = await organizationWith('viewer');
    const { owner: stranger } = await organizationWith();
    const attempts = [
      () => service.invite(organization.id, 'x@example.com', 'viewer', user(stranger)),
      () => service.setRole(organization.id, members[0] ?? '', 'admin', user(stranger)),
      () => service.removeMember(organization.id, members[0] ?? '', user(stranger)),
      () => service.requireRole(organization.id, stranger, 'viewer'),
      () => service.invite('no-such-org', 'x@example.com', 'viewer', { type: 'operator' }),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ code: 'partners.organization_not_found', status: 404 });
    }
    expect(await service.requireRole(organization.id, members[0] ?? '', 'viewer')).toBe('viewer');
  });
});
