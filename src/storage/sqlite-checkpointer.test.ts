import { statSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/env.ts';
import { startBackgroundCheckpoints } from './sqlite-checkpointer.ts';

function openWal(file: string) {
  const connection = new SqliteDatabase(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.exec('create table if not exists blobs (id integer primary key, body blob not null)');
  return connection;
}

const writeMegabytes = (connection: SqliteDatabase.Database, megabytes: number) => {
  const insert = connection.prepare('insert into blobs (body) values (?)');
  for (let i = 0; i < megabytes * 16; i++) insert.run(Buffer.alloc(65_536, i));
};

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('background WAL checkpoints', () => {
  it('leaves commits to the write-ahead log and copies them into the database file from a worker thread', async () => {
    const file = join(tempDir(), 'checkpoint.db');
    const connection = openWal(file);
    const checkpointer = startBackgroundCheckpoints(connection, file, { intervalMs: 20 });
    try {
      expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const before = statSync(file).size;
      writeMegabytes(connection, 4);
      // The commits themselves did not touch the database file: its pages are only in the log so far.
      expect(statSync(file).size).toBe(before);
      await waitFor(() => statSync(file).size >= 4 * 1024 * 1024);
      expect(connection.prepare('select count(*) as n from blobs').get()).toEqual({ n: 64 });
    } finally {
      await checkpointer.stop();
      connection.close();
    }
  });

  it('stops its worker on request, with the data intact for the next process', async () => {
    const file = join(tempDir(), 'checkpoint.db');
    const connection = openWal(file);
    const checkpointer = startBackgroundCheckpoints(connection, file, { intervalMs: 10_000 });
    writeMegabytes(connection, 1);
    await checkpointer.stop();
    await checkpointer.stop();
    connection.close();
    const reopened = new SqliteDatabase(file, { readonly: true });
    expect(reopened.prepare('select count(*) as n from blobs').get()).toEqual({ n: 16 });
    reopened.close();
  });

  it('falls back to checkpoints in the commits when its worker dies, says so, and still stops', async () => {
    const file = join(tempDir(), 'checkpoint.db');
    const connection = openWal(file);
    const errors: string[] = [];
    // A file the worker cannot open as a database: it fails at start.
    const checkpointer = startBackgroundCheckpoints(connection, join(tempDir(), 'missing', 'nothing.db'), {
      intervalMs: 20,
      onError: (message) => errors.push(message),
    });
    await waitFor(() => errors.some((message) => message.includes('checkpoints are back in the commits')));
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.stop();
    connection.close();
  });
});
