// Runs in a worker thread (see sqlite-checkpointer.ts): copies the SQLite write-ahead log back into the
// database file, so the server's event loop never waits for the checkpoint's writes and fsyncs.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
  /** Past this many WAL pages, a RESTART checkpoint makes the next writer start the log from its beginning. */
  restartPages: number;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const { file, intervalMs, restartPages } = workerData as CheckpointWorkerData;
const connection = new SqliteDatabase(file);
// A RESTART waits (briefly) for writers and readers; the server's connection waits for it up to its own
// busy_timeout, so this one gives up well before.
connection.pragma('busy_timeout = 200');

function checkpoint(mode: 'PASSIVE' | 'RESTART'): CheckpointResult | undefined {
  const [result] = connection.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[];
  return result;
}

const timer = setInterval(() => {
  try {
    const passive = checkpoint('PASSIVE');
    if (passive !== undefined && passive.log > restartPages) checkpoint('RESTART');
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, intervalMs);

parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    checkpoint('PASSIVE');
  } finally {
    connection.close();
    parentPort?.close();
  }
});
