import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createDatabaseSlidingWindow } from '../../src/rate-limits/database-sliding-window.ts';
import { openDatabase, type Database } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { slidingWindowContract } from './sliding-window-contract.ts';

describeEachDatabase('database sliding window', (target) => {
  let url: string;
  let first: Database;
  const opened: Database[] = [];
  const open = async () => {
    const database = await openDatabase(loadConfig({ VETTED_DATABASE_URL: url }).database);
    opened.push(database);
    return database;
  };
  beforeAll(async () => {
    url = await target.create();
    first = await open();
    await migrateToLatest(first);
  });
  afterAll(async () => {
    for (const database of opened.splice(0)) await database.close();
    await target.dropAll();
  });

  // On PostgreSQL every instance has a connection pool of its own, as separate processes would. SQLite is
  // one instance's database: its instances share the connection (better-sqlite3 is synchronous, so a second
  // connection in the same process would wait on the first's lock while blocking the thread that holds it).
  slidingWindowContract(() => ({
    instance: async (clock) =>
      createDatabaseSlidingWindow(target.name === 'postgres' ? (await open()).db : first.db, clock),
  }));
});
