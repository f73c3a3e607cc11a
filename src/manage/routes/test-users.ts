import { z } from 'zod';
import type { TestInvitation } from '../../partners/test-invitations.ts';
import { sandboxOutcomes } from '../../verification/sources/sandbox.ts';
import { actorOf } from '../access.ts';
import { operation, type Operation } from '../route.ts';

const app = z.object({ organizationId: z.string().max(100), clientId: z.string().max(100) });
const read = { role: 'viewer', scope: 'applications:read' } as const;
const write = { role: 'developer', scope: 'applications:write' } as const;
const time = z.iso.datetime();
const outcome = z.enum(sandboxOutcomes);

const testUserSchema = z
  .object({
    user_id: z.string(),
    email: z.string(),
    name: z.string().describe('For an account that accepted an invitation: the name its owner chose to show'),
    community: z.string().nullable(),
    outcome: outcome.nullable(),
    added_at: time,
  })
  .meta({ id: 'TestUser' });
const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    status: z
      .enum(['pending', 'expired'])
      .describe(
        'Pending until accepted (then the account is a test user) or expired; a decline is not shown',
      ),
    invited_at: time,
    expires_at: time,
  })
  .meta({ id: 'TestUserInvitation' });
const personaCreatedSchema = z
  .object({ user_id: z.string(), email: z.string(), password: z.string() })
  .meta({ id: 'TestPersonaCreated' });
const invitedSchema = z
  .object({ invitation: invitationSchema, message: z.string() })
  .meta({ id: 'TestUserInvited' });

const invitationView = (invitation: TestInvitation) => ({
  id: invitation.id,
  email: invitation.email,
  status: invitation.status,
  invited_at: invitation.invitedAt.toISOString(),
  expires_at: invitation.expiresAt.toISOString(),
});

/** An application's own test users: personas made for it, and existing accounts by invitation. */
export const testUserOperations: Operation[] = [
  operation({
    id: 'listTestUsers',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/test-users',
    tag: 'Sandbox',
    summary: "The application's own test users (invited accounts appear once their owner accepted)",
    access: read,
    params: app,
    response: z.object({ items: z.array(testUserSchema) }),
    async handle({ services, params, application }) {
      await application();
      const users = await services.testUsers.list(params.clientId);
      return {
        items: users.map((user) => ({
          user_id: user.userId,
          email: user.email,
          name: user.name,
          community: user.community,
          outcome: user.outcome,
          added_at: user.addedAt.toISOString(),
        })),
      };
    },
  }),
  operation({
    id: 'addTestUser',
    method: 'post',
    path: '/organizations/{organizationId}/applications/{clientId}/test-users',
    tag: 'Sandbox',
    summary:
      'Creates a test persona for this application (community and outcome; its password is in this response only), or invites an existing account by email. An invitation is answered the same whether or not the address belongs to a Vetted account; its owner is emailed a link to accept or decline.',
    access: write,
    params: app,
    body: z.union([
      z.object({ community: z.string().max(100), outcome }),
      z.object({ email: z.string().max(320) }),
    ]),
    status: 201,
    response: z.union([personaCreatedSchema, invitedSchema]),
    async handle({ caller, services, params, body, application }) {
      await application();
      if ('email' in body) {
        const invitation = await services.testInvitations.invite(
          params.clientId,
          body.email,
          actorOf(caller),
        );
        return {
          invitation: invitationView(invitation),
          message: `Invitation sent to ${invitation.email} if it belongs to a Vetted account.`,
        };
      }
      const made = await services.testUsers.create(params.clientId, body, actorOf(caller));
      return { user_id: made.userId, email: made.email, password: made.password };
    },
  }),
  operation({
    id: 'removeTestUser',
    method: 'delete',
    path: '/organizations/{organizationId}/applications/{clientId}/test-users/{userId}',
    tag: 'Sandbox',
    summary: 'Removes a test user from the application (the account stays)',
    access: write,
    params: app.extend({ userId: z.string().max(100) }),
    status: 204,
    async handle({ caller, services, params, application }) {
      await application();
      await services.testUsers.remove(params.clientId, params.userId, actorOf(caller));
    },
  }),
  operation({
    id: 'listTestUserInvitations',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/test-user-invitations',
    tag: 'Sandbox',
    summary: 'Invitations not accepted yet (pending or expired), newest first',
    access: read,
    params: app,
    response: z.object({ items: z.array(invitationSchema) }),
    async handle({ services, params, application }) {
      await application();
      return { items: (await services.testInvitations.list(params.clientId)).map(invitationView) };
    },
  }),
  operation({
    id: 'removeTestUserInvitation',
    method: 'delete',
    path: '/organizations/{organizationId}/applications/{clientId}/test-user-invitations/{invitationId}',
    tag: 'Sandbox',
    summary: 'Withdraws an invitation not accepted; its link stops working',
    access: write,
    params: app.extend({ invitationId: z.string().max(100) }),
    status: 204,
    async handle({ caller, services, params, application }) {
      await application();
      await services.testInvitations.withdraw(params.clientId, params.invitationId, actorOf(caller));
    },
  }),
];
