import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/app-error.ts';
import { evidenceErrors } from './errors.ts';
import type { PdfWorkerAnswer } from './pdf-check-worker.ts';

/** What one PDF check may use: a compressed 10 MB file can inflate to gigabytes. */
export const PDF_CHECK_LIMITS = { memoryMb: 256, timeoutMs: 15_000 };

/**
 * Normalizes a PDF (pdf-normalize.ts) in a worker thread with a memory cap and a deadline, so a
 * decompression bomb costs that worker, not the server: past either limit the PDF is refused as unreadable.
 */
export function normalizePdfIsolated(
  input: Buffer,
  limits: { memoryMb: number; timeoutMs: number } = PDF_CHECK_LIMITS,
): Promise<{ bytes: Buffer; contentHash: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(), {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 32 },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
      void worker.terminate();
    };
    const deadline = setTimeout(() => {
      settle(() => reject(evidenceErrors.unreadable('pdf', new Error('the PDF check took too long'))));
    }, limits.timeoutMs);
    worker.once('message', (answer: PdfWorkerAnswer) => {
      settle(() => {
        if ('error' in answer) reject(new AppError(answer.error));
        else resolve({ bytes: Buffer.from(answer.bytes), contentHash: answer.contentHash });
      });
    });
    // Out of memory (ERR_WORKER_OUT_OF_MEMORY), or anything else the worker could not survive.
    worker.once('error', (error) => settle(() => reject(evidenceErrors.unreadable('pdf', error))));
    worker.once('exit', () =>
      settle(() => reject(evidenceErrors.unreadable('pdf', new Error('the PDF check stopped')))),
    );
  });
}

/** The worker's module beside this one: `.ts` when running the sources, `.js` in the compiled build. */
function workerUrl(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./pdf-check-worker${extension}`, import.meta.url);
}
