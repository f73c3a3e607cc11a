import type { Operation } from './route.ts';
import { activityOperations } from './routes/activity.ts';
import { apiKeyOperations } from './routes/api-keys.ts';
import { applicationOperations } from './routes/applications.ts';
import { noticeOperations } from './routes/notices.ts';
import { organizationOperations } from './routes/organizations.ts';
import { sandboxOperations } from './routes/sandbox.ts';
import { testUserOperations } from './routes/test-users.ts';

/** Every operation of the management API, in the order the OpenAPI document lists them. */
export const managementOperations: readonly Operation[] = [
  ...organizationOperations,
  ...apiKeyOperations,
  ...applicationOperations,
  ...noticeOperations,
  ...sandboxOperations,
  ...testUserOperations,
  ...activityOperations,
];

export const MANAGE_BASE = '/api/manage/v1';

export function findOperation(id: string): Operation {
  const found = managementOperations.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no management operation ${id}`);
  return found;
}
