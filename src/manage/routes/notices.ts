import { z } from 'zod';
import { actorOf } from '../access.ts';
import { operation, type Operation } from '../route.ts';

const app = z.object({ organizationId: z.string().max(100), clientId: z.string().max(100) });

const noticeSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['communities.decided', 'production.approved', 'production.declined']),
    title: z.string(),
    body: z.string(),
    note: z.string().nullable().describe("the administrator's note, as written"),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Notice' });

/** What administrators decided about an application: shown in the console until a member dismisses it. */
export const noticeOperations: Operation[] = [
  operation({
    id: 'listNotices',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/notices',
    tag: 'Applications',
    summary:
      "Administrators' decisions about the application (communities, production) not dismissed yet, newest first",
    access: { role: 'viewer', scope: 'applications:read' },
    params: app,
    response: z.object({ items: z.array(noticeSchema) }),
    async handle({ services, params, application }) {
      await application();
      const notices = await services.notices.open(params.clientId);
      return {
        items: notices.map((notice) => ({
          id: notice.id,
          kind: notice.kind,
          title: notice.title,
          body: notice.body,
          note: notice.note,
          created_at: notice.createdAt.toISOString(),
        })),
      };
    },
  }),
  operation({
    id: 'dismissNotice',
    method: 'delete',
    path: '/organizations/{organizationId}/applications/{clientId}/notices/{noticeId}',
    tag: 'Applications',
    summary: 'Dismisses a notice for every member of the organization',
    access: { role: 'developer', scope: 'applications:write' },
    params: app.extend({ noticeId: z.string().max(100) }),
    status: 204,
    async handle({ caller, services, params, application }) {
      await application();
      await services.notices.dismiss(params.clientId, params.noticeId, actorOf(caller).id ?? null);
    },
  }),
];
