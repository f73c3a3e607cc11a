import type { z } from 'zod';
import type { Application } from '../partners/application.ts';
import type { Services } from '../services.ts';
import type { Caller, Requirement } from './access.ts';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** What an operation's handler gets: validated input, the caller, and the services. */
export interface OperationContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
  services: Services;
  /** The organization's application named by the `clientId` path parameter (checked for ownership). */
  application: () => Promise<Application>;
}

/** A body that is not JSON (a logo upload): the accepted media types and the largest size; `body` is a Buffer. */
export interface RawBody {
  contentTypes: readonly string[];
  maxBytes: number;
}

/**
 * One management operation: path, schemas and handler. The HTTP layer (http/routes/manage.ts) and the
 * OpenAPI document (openapi.ts) are both generated from these; the console's pages call the same handlers.
 */
export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  method: HttpMethod;
  /** OpenAPI style: `/organizations/{organizationId}/applications` */
  path: string;
  tag: string;
  summary: string;
  /** Longer OpenAPI text (Markdown): what is refused and with which error codes. */
  description?: string;
  access: Requirement;
  params?: P;
  query?: Q;
  body?: B;
  rawBody?: RawBody;
  /** 200 unless said; 204 has no response body. */
  status?: 200 | 201 | 204;
  response?: R;
  handle(context: OperationContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

/** Declares an operation with its types inferred from its schemas. */
export function operation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  definition: Operation<P, Q, B, R>,
): Operation {
  // Method parameters are bivariant: the typed handler fits the general shape the HTTP layer calls.
  return definition;
}
