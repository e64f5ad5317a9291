import type { AuditEntry, CloudEvent, RunRecord } from '../../model/run-record';
import type { EventLog, EventWaitKeys, WaitEntry, WaitStore } from '../types';
import type { RedisEventLog } from './event-log';
import { finishStagedReplay, replayAcross } from './partitioned-replay';
import type { Partitions } from './partitions';
import type { RedisWaitStore } from './wait-store';

type IngestOptions = { dedupWindowMs: number; dataJson?: string; waits?: EventWaitKeys };

/** The runs and wait keys of one event that live in one partition. */
interface Piece {
  runs: RunRecord[];
  waits: Array<EventWaitKeys['keys'][number]>;
}

/**
 * Ingest on a partitioned hub. An event's home is the partition of its
 * (source, id): its dedup entry is there, and so are the runs it starts
 * (their ids are placed there), so most events are one transaction in one
 * partition, as on a hub of one. What lives elsewhere — an ordered run,
 * whose line is in its order key's partition, and the waits of its keys —
 * is written first, by the same ingest in that partition under a dedup
 * entry of the part's own (a second delivery of a part writes nothing), and
 * the home's entry last, with the whole answer, so a crash in between
 * leaves the sender's retry to finish the work. Before writing elsewhere, the home is asked whether
 * the event was seen: a redelivery writes nothing anywhere. That case costs
 * two round trips more than the one-partition case.
 */
export class PartitionedEventLog implements EventLog {
  constructor(
    private readonly partitions: Partitions,
    readonly logs: readonly RedisEventLog[],
  ) {}

  async ingest(event: CloudEvent, runs: readonly RunRecord[], options: IngestOptions) {
    const { partitions } = this;
    const home = partitions.ofEvent(event.source, event.id);
    partitions.place(runs, { source: event.source, eventId: event.id });
    const pieces = new Map<number, Piece>();
    const pieceOf = (p: number): Piece => {
      const known = pieces.get(p);
      if (known) return known;
      const piece: Piece = { runs: [], waits: [] };
      pieces.set(p, piece);
      return piece;
    };
    for (const run of runs) pieceOf(partitions.ofRun(run.id)).runs.push(run);
    for (const wait of options.waits?.keys ?? [])
      pieceOf(partitions.ofWait(event.source, event.type, wait.key)).waits.push(wait);
    const homeLog = this.logs[home]!;
    if (![...pieces.keys()].some((p) => p !== home)) return homeLog.ingest(event, runs, options);

    const seen = await homeLog.firstAnswer(event.source, event.id);
    if (seen) return { duplicate: true as const, answer: seen };
    // The parts first, each under a dedup entry of its own (Keys.dedupPart): the runs of other
    // partitions, and every wait key (the home's too, so the home's entry, written last, holds
    // every resume).
    const homeRuns = pieces.get(home)?.runs ?? [];
    const parts = [...pieces].filter(([p, piece]) => p !== home || piece.waits.length > 0);
    const written = await Promise.all(
      parts.map(([p, piece]) =>
        this.logs[p]!.ingest(event, p === home ? [] : piece.runs, {
          ...withWaits(options, piece.waits),
          part: true,
        }),
      ),
    );
    const resumed = written.flatMap((part) => part.answer.resumed ?? []);
    return homeLog.ingest(event, homeRuns, {
      ...withWaits(options, []),
      answerRuns: runs.map((r) => ({ flow: r.flow, runId: r.id })),
      answerResumed: resumed,
    });
  }

  /**
   * A replay is made beside its original, so the claim and the new run stay
   * one atomic write — unless it is ordered and its key's line lives in
   * another partition (the flow's order key changed since the original ran,
   * or the flow has one now): then it takes two writes (partitioned-replay.ts).
   */
  async replay(originalId: string, run: RunRecord, audit: AuditEntry) {
    const { partitions } = this;
    const from = this.logOf(originalId);
    partitions.place([run], { runId: originalId });
    if (partitions.ofRun(run.id) !== partitions.ofRun(originalId)) {
      return replayAcross(from, (id) => this.logOf(id), originalId, run, audit);
    }
    const replayed = await from.replay(originalId, run, audit);
    // Another process's replay may have claimed it in two writes and died between them.
    if (replayed && !replayed.created) await this.finishReplay(originalId);
    return replayed;
  }

  /** Writes a replay of `originalId` that a crash left staged beside it, if one did (partitioned-replay.ts). */
  async finishReplay(originalId: string): Promise<void> {
    await finishStagedReplay(this.logOf(originalId), (id) => this.logOf(id), originalId);
  }

  private logOf(runId: string): RedisEventLog {
    return this.logs[this.partitions.ofRun(runId)]!;
  }
}

/** The ingest options of one part of an event: its wait keys only. */
function withWaits(options: IngestOptions, waits: Piece['waits']): IngestOptions {
  const own: IngestOptions = { dedupWindowMs: options.dedupWindowMs };
  if (options.dataJson !== undefined) own.dataJson = options.dataJson;
  if (waits.length > 0) own.waits = { keys: waits };
  return own;
}

/** Waits on a partitioned hub: each (source, type, key) in its partition, where ingest looks for it. */
export class PartitionedWaitStore implements WaitStore {
  constructor(
    private readonly partitions: Partitions,
    private readonly stores: readonly RedisWaitStore[],
  ) {}

  private of(wait: Pick<WaitEntry, 'source' | 'type' | 'key'>): RedisWaitStore {
    return this.stores[this.partitions.ofWait(wait.source, wait.type, wait.key)]!;
  }

  register(wait: WaitEntry, options: { sinceMs: number; lookbackMs: number }) {
    return this.of(wait).register(wait, options);
  }

  forget(wait: WaitEntry) {
    return this.of(wait).forget(wait);
  }

  matched(wait: WaitEntry) {
    return this.of(wait).matched(wait);
  }
}
