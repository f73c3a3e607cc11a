import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';

export interface SweepTask {
  name: string;
  /** Deletes what is no longer needed at `now`; returns how many rows went. */
  run(now: number): Promise<number>;
}

/**
 * Deletes expired rows (tokens, sessions, codes, stale rate-limit counters) on an interval. Every instance
 * may run it: the deletes are idempotent. The timer does not keep the process alive.
 */
export function createSweeper(deps: {
  tasks: SweepTask[];
  clock: Clock;
  logger: Logger;
  intervalMs: number;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function sweepOnce(): Promise<Record<string, number>> {
    const now = deps.clock.now().getTime();
    const deleted: Record<string, number> = {};
    for (const task of deps.tasks) {
      try {
        deleted[task.name] = await task.run(now);
      } catch (error) {
        deps.logger.warn({ err: error, task: task.name }, 'sweep failed; will retry on the next interval');
      }
    }
    if (Object.values(deleted).some((count) => count > 0))
      deps.logger.info({ deleted }, 'swept expired rows');
    return deleted;
  }

  return {
    sweepOnce,
    start(): void {
      timer ??= setInterval(() => {
        running ??= sweepOnce().then(
          () => {
            running = undefined;
          },
          () => {
            running = undefined;
          },
        );
      }, deps.intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a sweep in progress, so the database can be closed after. */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
