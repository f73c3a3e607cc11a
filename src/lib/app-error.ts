/**
 * The one error type the domain throws. `code` is stable and dotted (`keys.not_found`) so clients and
 * tests can rely on it; `message` is safe to show when `expose` is true; `detail` is for the log only.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: unknown;

  constructor(options: {
    code: string;
    message: string;
    status: number;
    expose?: boolean;
    detail?: unknown;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'AppError';
    this.code = options.code;
    this.status = options.status;
    this.expose = options.expose ?? options.status < 500;
    this.detail = options.detail;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
