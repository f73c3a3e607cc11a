import { z } from 'zod';
import { isAppError } from '../lib/app-error.ts';
import type { Services } from '../services.ts';
import { ownedApplication, requireOrganization, type Caller } from './access.ts';
import { manageErrors } from './errors.ts';
import type { Operation } from './route.ts';

export interface OperationInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (schema === undefined) return {};
  const result = schema.safeParse(value ?? {});
  if (!result.success)
    throw manageErrors.invalidRequest(`Invalid ${where}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * Runs one management operation for a caller: input validated, access checked (another organization's data
 * answers 404), output validated. The HTTP API and the console's pages both go through here.
 */
export async function invokeOperation(
  services: Services,
  operation: Operation,
  caller: Caller,
  input: OperationInput,
): Promise<unknown> {
  const params = parse(operation.params, input.params, 'path') as Record<string, string>;
  const organizationId = params.organizationId;
  if (organizationId !== undefined) {
    await requireOrganization(services.organizations, caller, organizationId, operation.access);
  } else if ('sessionOnly' in operation.access && caller.kind !== 'user') {
    throw manageErrors.sessionOnly();
  }
  const query = parse(operation.query, input.query, 'query');
  const body = operation.rawBody === undefined ? parse(operation.body, input.body, 'body') : input.body;
  let found: ReturnType<typeof ownedApplication> | undefined;
  const application = async () => {
    const clientId = params.clientId ?? '';
    found ??= ownedApplication(
      await services.applications.get(clientId).catch((error: unknown) => {
        // Not found stays not found (as another tenant's would); anything else is a real failure.
        if (isAppError(error) && error.status === 404) return undefined;
        throw error;
      }),
      organizationId ?? '',
      clientId,
    );
    return found;
  };
  const result = await operation.handle({ params, query, body, caller, services, application });
  if (operation.response === undefined || operation.status === 204) return undefined;
  // Our own output: a mismatch is a bug here, answered as a 500 and logged, never sent half-right.
  return operation.response.parse(result);
}
