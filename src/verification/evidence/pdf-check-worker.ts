// Runs in a worker thread (pdf-isolated.ts): normalizes one PDF and posts the result or a user-facing error.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../lib/app-error.ts';
import { evidenceErrors } from './errors.ts';
import { normalizePdf } from './pdf-normalize.ts';

export type PdfWorkerAnswer =
  { bytes: Uint8Array; contentHash: string } | { error: { code: string; status: number; message: string } };

const input = Buffer.from(workerData as Uint8Array);
let answer: PdfWorkerAnswer;
try {
  const { bytes, contentHash } = await normalizePdf(input);
  answer = { bytes, contentHash };
} catch (error) {
  const refusal = isAppError(error) ? error : evidenceErrors.unreadable('pdf', error);
  answer = { error: { code: refusal.code, status: refusal.status, message: refusal.message } };
}
parentPort?.postMessage(answer);
