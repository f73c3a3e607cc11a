import { z } from 'zod';
import { MANAGE_BASE, managementOperations } from './operations.ts';
import type { Operation } from './route.ts';
import { errorSchema } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect); named schemas (`.meta({ id })`) go to components. */
function schemaOf(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
  // Named schemas come out in $defs; OpenAPI keeps them in components.
  const moved = JSON.parse(
    JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/'),
  ) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const { $schema: _dialect, $defs, ...rest } = moved;
  for (const [id, definition] of Object.entries($defs ?? {})) components[id] = definition;
  return rest;
}

function parameters(operation: Operation, components: Record<string, JsonSchema>) {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', operation.params],
    ['query', operation.query],
  ] as const) {
    if (schema === undefined) continue;
    const json = schemaOf(schema, 'input', components) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  return list;
}

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The OpenAPI 3.1 document of the management API, generated from the operations' zod schemas. */
export function managementOpenApi(baseUrl: string): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  schemaOf(errorSchema, 'output', components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of managementOperations) {
    const status = String(operation.status ?? 200);
    const success: JsonSchema =
      operation.response === undefined || status === '204'
        ? { description: 'Done' }
        : {
            description: 'OK',
            content: { 'application/json': { schema: schemaOf(operation.response, 'output', components) } },
          };
    const requestBody =
      operation.rawBody !== undefined
        ? {
            required: true,
            content: Object.fromEntries(
              operation.rawBody.contentTypes.map((type) => [
                type,
                { schema: { type: 'string', contentMediaType: type } },
              ]),
            ),
          }
        : operation.body === undefined
          ? undefined
          : {
              required: true,
              content: { 'application/json': { schema: schemaOf(operation.body, 'input', components) } },
            };
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: operation.id,
      summary: operation.summary,
      ...(operation.description === undefined ? {} : { description: operation.description }),
      tags: [operation.tag],
      parameters: parameters(operation, components),
      ...(requestBody === undefined ? {} : { requestBody }),
      security:
        'sessionOnly' in operation.access
          ? [{ consoleSession: [] }]
          : [{ consoleSession: [] }, { apiKey: [] }],
      ...('sessionOnly' in operation.access
        ? {}
        : { 'x-required-role': operation.access.role, 'x-api-key-scope': operation.access.scope }),
      responses: {
        [status]: success,
        '400': errorResponse,
        '401': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vetted management API',
      version: '1.0.0',
      description:
        "Everything the developer console does: organizations, applications, secrets, branding, sandbox test users, production requests and activity. Another organization's resources answer 404.",
    },
    servers: [{ url: `${baseUrl}${MANAGE_BASE}` }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An organization API key (vtd_…)' },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'vetted_account',
          description: 'The console session; unsafe methods also need the X-CSRF-Token header',
        },
      },
    },
  };
}
