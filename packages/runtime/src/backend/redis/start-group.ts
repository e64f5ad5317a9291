import type { RedisClient } from './client';
import { START_GROUP, toRecord } from './start-entries';

/** A consumer idle this long with nothing pending is a process that went away: forget it. */
const FORGET_CONSUMER_MS = 3_600_000;

/**
 * Entries of the start stream delivered and not yet acknowledged: of one
 * consumer, or of the whole group (0 before any worker created it).
 */
export async function pendingOf(command: RedisClient, stream: string, consumer?: string): Promise<number> {
  try {
    if (consumer) {
      const rows = (await command.call('XPENDING', stream, START_GROUP, '-', '+', 1, consumer)) as unknown[];
      return rows.length;
    }
    const summary = (await command.call('XPENDING', stream, START_GROUP)) as unknown[];
    return Number(summary[0] ?? 0);
  } catch (err) {
    if (String((err as Error)?.message).includes('NOGROUP')) return 0;
    throw err;
  }
}

/** Acknowledges start-stream entries and deletes them: their runs are started (or queued) for good. */
export async function acknowledgeStarts(command: RedisClient, stream: string, ids: string[]): Promise<void> {
  await command
    .multi()
    .xack(stream, START_GROUP, ...ids)
    .xdel(stream, ...ids)
    .exec();
}

/** Forgets the consumers, other than `self`, that hold nothing and were idle for an hour: processes gone. */
export async function forgetGoneConsumers(command: RedisClient, stream: string, self: string): Promise<void> {
  const consumers = (await command.call('XINFO', 'CONSUMERS', stream, START_GROUP)) as unknown[][];
  for (const row of consumers) {
    const info = toRecord(row);
    if (info.name !== self && Number(info.pending) === 0 && Number(info.idle) > FORGET_CONSUMER_MS) {
      await command.call('XGROUP', 'DELCONSUMER', stream, START_GROUP, String(info.name));
    }
  }
}
