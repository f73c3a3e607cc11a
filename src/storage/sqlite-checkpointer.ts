import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';
import type { CheckpointWorkerData } from './sqlite-checkpoint-worker.ts';

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits past 1,000 WAL
 * pages copies them into the database file and fsyncs it, inside that commit: with tokens keyed by random
 * ids, that was half of the cost of every write. Here the server's connection never checkpoints; a worker
 * thread with its own connection does, every `intervalMs`. Readers and writers are not blocked by it (a
 * PASSIVE checkpoint), and durability is the same as before (WAL with synchronous=NORMAL).
 */
export function startBackgroundCheckpoints(
  connection: SqliteDatabase.Database,
  file: string,
  options: { intervalMs?: number; restartPages?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  connection.pragma('wal_autocheckpoint = 0');
  // The log is reused from its start after a checkpoint; this trims the file back when it grew in a burst.
  connection.pragma('journal_size_limit = 67108864');
  const data: CheckpointWorkerData = {
    file,
    intervalMs: options.intervalMs ?? 100,
    restartPages: options.restartPages ?? 16_384,
  };
  const worker = new Worker(workerUrl(), { workerData: data });
  let stopping = false;
  let running = true;
  // Not events.once: it would reject on the worker's 'error', which comes before its 'exit'.
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve())).then(() => {
    running = false;
    if (stopping) return;
    // The worker is gone (it could not open the file, or crashed): the connection checkpoints itself again,
    // as SQLite does by default, rather than letting the log grow without end.
    connection.pragma('wal_autocheckpoint = 1000');
    options.onError?.('the background checkpoint worker stopped; checkpoints are back in the commits');
  });
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) options.onError?.(message.error);
  });
  worker.on('error', (error: Error) => options.onError?.(error.message));
  // The worker must not keep the process alive on its own (the CLI, tests that forget to close).
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (running) {
          // Held open until the worker's last checkpoint is done.
          worker.ref();
          worker.postMessage('stop');
        }
        await exited;
      })();
      return stopped;
    },
  };
}

/** The worker's module beside this one: `.ts` when running the sources, `.js` in the compiled build. */
function workerUrl(): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./sqlite-checkpoint-worker${extension}`, import.meta.url);
}
