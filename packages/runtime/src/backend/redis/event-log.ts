import type { CloudEvent, RunRecord } from '../../engine/run-record';
import type { EventLog, IngestAnswer } from '../types';
import type { Durability } from './durability';
import { guard } from './errors';
import type { Keys } from './keys';
import { runFields } from './run-codec';
import type { ScriptedRedis } from './scripts';

/**
 * Ingest on Redis: one script call records the event's dedup entry, its
 * runs and their index entries, and hands the run ids to the workers on a
 * stream (see start-relay.ts), atomically. That is one round trip on the
 * gateway's hot path; BullMQ jobs for the runs are made by the workers, in
 * batches. The dedup entry expires with the window, whatever BullMQ keeps.
 */
export class RedisEventLog implements EventLog {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly durability: Durability,
  ) {}

  async ingest(event: CloudEvent, runs: readonly RunRecord[], options: { dedupWindowMs: number }) {
    const { keys } = this;
    const answer: IngestAnswer = {
      eventId: event.id,
      runs: runs.map((r) => ({ flow: r.flow, runId: r.id })),
    };
    const scriptKeys = [
      keys.dedup(event.source, event.id),
      keys.starts,
      keys.allRuns,
      keys.statusRuns('queued'),
    ];
    const args: string[] = [
      JSON.stringify(answer),
      String(Math.max(1, Math.ceil(options.dedupWindowMs))),
      runs.map((r) => r.id).join(','),
    ];
    for (const run of runs) {
      scriptKeys.push(keys.run(run.id), keys.flowRuns(run.flow));
      const fields = runFields(run);
      args.push(run.id, String(fields.length), ...fields);
    }
    const first = await guard(() => this.redis.batonIngest(scriptKeys.length, ...scriptKeys, ...args));
    // A duplicate's first copy may still be on its way to disk: confirm it too.
    await this.durability.confirm();
    if (first !== null) return { duplicate: true as const, answer: JSON.parse(first) as IngestAnswer };
    return { duplicate: false as const, answer };
  }
}
