import { BatonError } from '@baton/sdk';
import type { RunStatus } from '../../model/run-record';

/** The default key prefix: a hash tag, so a Redis Cluster keeps every Baton key in one slot. */
export const DEFAULT_PREFIX = '{baton}';

/** The BullMQ queue name; BullMQ's keys sit under `<prefix>:tasks:`. */
export const QUEUE_NAME = 'tasks';

/**
 * Checks that a prefix holds a Redis Cluster hash tag (`{…}` with at least
 * one character inside): every key then hashes to the same slot, so the
 * scripts and transactions that touch several keys work on a Cluster.
 */
export function checkPrefix(prefix: string): void {
  const open = prefix.indexOf('{');
  const close = open === -1 ? -1 : prefix.indexOf('}', open + 1);
  if (close <= open + 1) {
    throw new BatonError(
      `the Redis key prefix "${prefix}" has no hash tag: use one such as "{baton}" or "{baton-staging}" so every key lands in one Cluster slot`,
      { code: 'REDIS_PREFIX_INVALID' },
    );
  }
  if (/\s/.test(prefix)) {
    throw new BatonError(`the Redis key prefix "${prefix}" contains white space`, {
      code: 'REDIS_PREFIX_INVALID',
    });
  }
}

/** Every Redis key and channel the backend uses, built from one prefix. */
export class Keys {
  constructor(readonly prefix: string) {}

  /** A run: run-level fields, plus `step:<id>` and `s:<id>` (its status) per step. */
  run(id: string): string {
    return `${this.prefix}:run:${id}`;
  }

  /** The forEach items of a run, field `<step>|<index>`; deleted when the run ends. */
  items(runId: string): string {
    return `${this.prefix}:items:${runId}`;
  }

  /** Every run id, newest last (ids sort by time; all scores 0, ordered by lex). */
  get allRuns(): string {
    return `${this.prefix}:runs`;
  }

  flowRuns(flow: string): string {
    return `${this.prefix}:runs:flow:${flow}`;
  }

  statusRuns(status: RunStatus): string {
    return `${this.prefix}:runs:status:${status}`;
  }

  /** Succeeded run ids scored by when they ended: what retention trims (`retention.runs`, `maxAge`). */
  get finished(): string {
    return `${this.prefix}:runs:finished`;
  }

  /** Failed and cancelled run ids scored by when they ended, trimmed apart (`retention.failed`). */
  get finishedFailed(): string {
    return `${this.prefix}:runs:finished:failed`;
  }

  /** The first answer for an event, kept for the dedup window. */
  dedup(source: string, eventId: string): string {
    return `${this.prefix}:dedup:${source}:${eventId}`;
  }

  /**
   * The first answer for the part of an event a partitioned hub writes in
   * this partition when the event's own entry is in another (partitioned-events.ts).
   */
  dedupPart(source: string, eventId: string): string {
    return `${this.prefix}:dedup-part:${source}:${eventId}`;
  }

  /** The waiters of one (source, type, key): field `runId|step`, value the flow. */
  waiters(source: string, type: string, key: string): string {
    return `${this.prefix}:waits:${source}:${type}:${key}`;
  }

  /** The events of one (source, type, key) kept for waits that start within their lookback. */
  recentEvents(source: string, type: string, key: string): string {
    return `${this.prefix}:recent:${source}:${type}:${key}`;
  }

  /** The prefix of the hashes of matched events, one per run: field the step. */
  get waitMatchPrefix(): string {
    return `${this.prefix}:wait-match:`;
  }

  /** The stream that hands new runs to the workers: from ingest and replays, and an ordered run's turn when the run ahead ends. */
  get starts(): string {
    return `${this.prefix}:starts`;
  }

  breaker(name: string): string {
    return `${this.prefix}:breaker:${name}`;
  }

  /** Taken once per opening: the half-open trial call. */
  breakerTrial(name: string, openedAt: number): string {
    return `${this.prefix}:breaker-trial:${name}:${openedAt}`;
  }

  /** Names of the breakers ever written, for `all()`. */
  get breakers(): string {
    return `${this.prefix}:breakers`;
  }

  /** The six keys of a connector instance's provider budget, in the order lua/budget.ts takes them. */
  budget(instance: string): string[] {
    const base = `${this.prefix}:budget:${instance}`;
    return [
      `${base}:counted`,
      `${base}:in-flight`,
      `${base}:slots`,
      `${base}:line`,
      `${base}:holds`,
      `${base}:meta`,
    ];
  }

  /** A connector instance's OAuth2 credentials, encrypted (see credential-cipher.ts). */
  credentials(instance: string): string {
    return `${this.prefix}:credentials:${instance}`;
  }

  /** Held by the one process refreshing an instance's token; its value is the holder's token. */
  credentialsLock(instance: string): string {
    return `${this.prefix}:credentials-lock:${instance}`;
  }

  /**
   * The line of one (flow, order key): a list of run ids in arrival order,
   * the first holding the key. Built as lua/patch-run.ts builds it from
   * orderLinePrefix.
   */
  orderLine(flow: string, orderKey: string): string {
    return `${this.orderLinePrefix}${flow}:${orderKey}`;
  }

  get orderLinePrefix(): string {
    return `${this.prefix}:order:`;
  }

  /** A replay staged beside its original, until it is written in its own partition (lua/replay-run.ts). */
  replayStaged(originalId: string): string {
    return `${this.prefix}:replay-staged:${originalId}`;
  }

  /** That a staged replay was made here (lua/replay-run.ts): a late repeat makes nothing. */
  replayMade(runId: string): string {
    return `${this.prefix}:replay-made:${runId}`;
  }

  /**
   * A bulk replay job: the hash of its fields, the list of its run ids, and
   * one set of run ids per outcome (engine/bulk-replay.ts).
   */
  replayJob(jobId: string): { job: string; runs: string; replayed: string; skipped: string; failed: string } {
    const base = `${this.prefix}:replay-job:${jobId}`;
    return {
      job: base,
      runs: `${base}:runs`,
      replayed: `${base}:replayed`,
      skipped: `${base}:skipped`,
      failed: `${base}:failed`,
    };
  }

  /** The running replay job of one filter (by the filter key's hash). */
  replayRunning(keyHash: string): string {
    return `${this.prefix}:replay-running:${keyHash}`;
  }

  rateWindow(key: string, windowStart: number): string {
    return `${this.prefix}:rate:${key}:${windowStart}`;
  }

  /** Flow definitions by version: field `<flowId>@<version>`, the flow's JSON. */
  get flowVersions(): string {
    return `${this.prefix}:flow-versions`;
  }

  /** When each version stopped being current (ms), field `<flowId>@<version>`: pruning waits a grace after it. */
  get retiredFlowVersions(): string {
    return `${this.prefix}:flow-versions:retired`;
  }

  /** The current version of each flow: field the flow id. */
  get currentFlows(): string {
    return `${this.prefix}:flows:current`;
  }

  /** The pub/sub channel for reload notices: the current versions changed. */
  get reloadChannel(): string {
    return `${this.prefix}:reload`;
  }

  /** A flow's analytics in one time bucket (`tier` minute or hour, starting at `start` ms): a hash of counters. */
  analytics(flow: string, tier: string, start: number): string {
    return `${this.prefix}:analytics:flow:${flow}:${tier}:${start}`;
  }

  /** Breaker openings in one time bucket: field the connector instance. */
  analyticsBreakers(tier: string, start: number): string {
    return `${this.prefix}:analytics:breakers:${tier}:${start}`;
  }

  /** The hub's own facts, in partition 0: field `partitions`, the partition count every process must use. */
  get meta(): string {
    return `${this.prefix}:meta`;
  }

  /** The pub/sub channel for cancel notices. */
  get cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }

  /** The pub/sub channel of live engine events, from every process of the hub to its gateways. */
  get liveChannel(): string {
    return `${this.prefix}:live`;
  }
}
