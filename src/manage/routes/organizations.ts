import { z } from 'zod';
import { organizationErrors } from '../../partners/errors.ts';
import { organizationRoles } from '../../partners/organizations.ts';
import { actorOf } from '../access.ts';
import { manageErrors } from '../errors.ts';
import { operation, type Operation } from '../route.ts';
import {
  invitationSchema,
  invitationView,
  memberSchema,
  memberView,
  organizationSchema,
  organizationView,
} from '../schemas.ts';

const org = z.object({ organizationId: z.string().max(100) });
const read = { role: 'viewer', scope: 'organization:read' } as const;
const write = { role: 'admin', scope: 'organization:write' } as const;
const none = z.object({});
const user = (caller: Parameters<typeof actorOf>[0]) => {
  if (caller.kind !== 'user') throw manageErrors.sessionOnly();
  return caller.user;
};

export const organizationOperations: Operation[] = [
  operation({
    id: 'listOrganizations',
    method: 'get',
    path: '/organizations',
    tag: 'Organizations',
    summary: 'The organizations you are a member of, with your role in each',
    access: { sessionOnly: true },
    response: z.object({ items: z.array(organizationSchema) }),
    async handle({ caller, services }) {
      const memberships = await services.organizations.listForUser(user(caller).id);
      return { items: memberships.map((item) => organizationView(item.organization, item.role)) };
    },
  }),
  operation({
    id: 'createOrganization',
    method: 'post',
    path: '/organizations',
    tag: 'Organizations',
    summary: 'Creates an organization; you become its owner',
    access: { sessionOnly: true },
    body: z.object({ name: z.string().max(1000) }),
    status: 201,
    response: organizationSchema,
    async handle({ caller, services, body }) {
      const owner = user(caller);
      const created = await services.organizations.create(
        { name: body.name, ownerUserId: owner.id },
        actorOf(caller),
      );
      return organizationView(created, 'owner');
    },
  }),
  operation({
    id: 'getOrganization',
    method: 'get',
    path: '/organizations/{organizationId}',
    tag: 'Organizations',
    summary: 'One organization',
    access: read,
    params: org,
    response: organizationSchema,
    async handle({ services, params }) {
      const found = await services.organizations.find(params.organizationId);
      if (found === undefined) throw organizationErrors.notFound(params.organizationId);
      return organizationView(found);
    },
  }),
  operation({
    id: 'listMembers',
    method: 'get',
    path: '/organizations/{organizationId}/members',
    tag: 'Organizations',
    summary: 'The members and their roles, oldest first',
    access: read,
    params: org,
    response: z.object({ items: z.array(memberSchema) }),
    async handle({ services, params }) {
      return { items: (await services.organizations.members(params.organizationId)).map(memberView) };
    },
  }),
  operation({
    id: 'changeMemberRole',
    method: 'patch',
    path: '/organizations/{organizationId}/members/{userId}',
    tag: 'Organizations',
    summary: "Changes a member's role (owners are made and changed by owners only)",
    access: write,
    params: org.extend({ userId: z.string().max(100) }),
    body: z.object({ role: z.enum(organizationRoles) }),
    status: 204,
    async handle({ caller, services, params, body }) {
      await services.organizations.setRole(params.organizationId, params.userId, body.role, actorOf(caller));
    },
  }),
  operation({
    id: 'removeMember',
    method: 'delete',
    path: '/organizations/{organizationId}/members/{userId}',
    tag: 'Organizations',
    summary: 'Removes a member, or leaves (the last owner stays)',
    access: { role: 'viewer', scope: 'organization:write' },
    params: org.extend({ userId: z.string().max(100) }),
    status: 204,
    async handle({ caller, services, params }) {
      await services.organizations.removeMember(params.organizationId, params.userId, actorOf(caller));
    },
  }),
  operation({
    id: 'listInvitations',
    method: 'get',
    path: '/organizations/{organizationId}/invitations',
    tag: 'Organizations',
    summary: 'Invitations sent, newest first',
    access: { role: 'admin', scope: 'organization:read' },
    params: org,
    response: z.object({ items: z.array(invitationSchema) }),
    async handle({ services, params }) {
      return {
        items: (await services.organizations.listInvitations(params.organizationId)).map(invitationView),
      };
    },
  }),
  operation({
    id: 'invite',
    method: 'post',
    path: '/organizations/{organizationId}/invitations',
    tag: 'Organizations',
    summary: 'Invites someone by email with a role; the link in the mail is valid for 7 days',
    access: write,
    params: org,
    body: z.object({ email: z.string().max(320), role: z.enum(organizationRoles) }),
    status: 201,
    response: invitationSchema,
    async handle({ caller, services, params, body }) {
      const sent = await services.organizations.invite(
        params.organizationId,
        body.email,
        body.role,
        actorOf(caller),
      );
      return invitationView(sent);
    },
  }),
  operation({
    id: 'revokeInvitation',
    method: 'delete',
    path: '/organizations/{organizationId}/invitations/{invitationId}',
    tag: 'Organizations',
    summary: 'Withdraws an invitation',
    access: write,
    params: org.extend({ invitationId: z.string().max(100) }),
    status: 204,
    async handle({ caller, services, params }) {
      await services.organizations.revokeInvitation(
        params.organizationId,
        params.invitationId,
        actorOf(caller),
      );
    },
  }),
  operation({
    id: 'acceptInvitation',
    method: 'post',
    path: '/invitations/accept',
    tag: 'Organizations',
    summary: 'Accepts an invitation mailed to your confirmed address',
    access: { sessionOnly: true },
    params: none,
    body: z.object({ token: z.string().max(200) }),
    response: z.object({ organization_id: z.string(), role: z.enum(organizationRoles) }),
    async handle({ caller, services, body }) {
      const me = user(caller);
      if (!me.emailVerified) throw manageErrors.emailUnverified();
      const joined = await services.organizations.acceptInvitation(body.token, me.id, me.email);
      return { organization_id: joined.organizationId, role: joined.role };
    },
  }),
];
