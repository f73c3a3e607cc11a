import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that must never reach a log line, whatever object is logged. */
const redactPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'client_secret',
  '*.client_secret',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'authorization',
  '*.authorization',
  'cookie',
  '*.cookie',
  'masterKey',
  '*.masterKey',
  'privateJwk',
  '*.privateJwk',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'vetted' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
