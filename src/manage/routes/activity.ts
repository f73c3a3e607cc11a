import { z } from 'zod';
import { AUTH_FAILURE_DAYS_KEPT } from '../../partners/auth-failures.ts';
import { operation, type Operation } from '../route.ts';

const app = z.object({ organizationId: z.string().max(100), clientId: z.string().max(100) });
const count = z.number().int().min(0);

const authFailuresSchema = z
  .object({
    last_24_hours: count.describe('Failed client authentications in the current hour and the 23 before it'),
    last_30_days: count.describe(`Failed client authentications in the last ${AUTH_FAILURE_DAYS_KEPT} days`),
    since: z.iso
      .datetime()
      .nullable()
      .describe('Start of the first hour with a failure in those days; null when there was none'),
    by_endpoint: z.array(z.object({ endpoint: z.string(), last_24_hours: count, last_30_days: count })),
  })
  .meta({ id: 'ClientAuthenticationFailures' });

/** Activity beyond the calls themselves (those and the audit events are in sandbox.ts). */
export const activityOperations: Operation[] = [
  operation({
    id: 'getClientAuthenticationFailures',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/activity/authentication-failures',
    tag: 'Activity',
    summary:
      'How many calls named the application but failed its client authentication (a wrong or missing secret): counted, not listed among the API calls',
    access: { role: 'viewer', scope: 'applications:read' },
    params: app,
    response: authFailuresSchema,
    async handle({ services, params, application }) {
      await application();
      const summary = await services.authFailures.summary(params.clientId);
      return {
        last_24_hours: summary.last24Hours,
        last_30_days: summary.lastDays,
        since: summary.since?.toISOString() ?? null,
        by_endpoint: summary.byEndpoint.map((row) => ({
          endpoint: row.endpoint,
          last_24_hours: row.last24Hours,
          last_30_days: row.lastDays,
        })),
      };
    },
  }),
];
