import type { EngineLogger } from '../../log/logger';
import { DEFAULT_PRUNE_GRACE_MS, mayDrop, versionKey } from '../flow-version-keep';
import type { FlowVersionStore } from '../types';
import type { RedisClient } from './client';
import { guard } from './errors';
import type { Keys } from './keys';

/** Run ids read per round trip when pruning. */
const SCAN_BATCH = 500;

/**
 * Flow definitions in Redis: the hash `<prefix>:flow-versions` (field
 * `<flowId>@<version>`, the flow's JSON), the current version of each flow
 * in `<prefix>:flows:current`, when each version stopped being current in
 * `<prefix>:flow-versions:retired`, and reload notices on the pub/sub
 * channel `<prefix>:reload`. Pub/sub is fire-and-forget: a process that
 * misses a notice catches up when it next reads the current versions (the
 * engine does so every minute).
 */
export class RedisFlowVersions implements FlowVersionStore {
  private readonly listeners = new Set<() => void>();
  private subscriber: RedisClient | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly makeSubscriber: () => RedisClient,
    private readonly keys: Keys,
    private readonly log: EngineLogger,
    private readonly now: () => number,
  ) {}

  async put(flowId: string, version: string, json: string): Promise<void> {
    await guard(() => this.redis.hsetnx(this.keys.flowVersions, versionKey(flowId, version), json));
  }

  async get(flowId: string, version: string): Promise<string | undefined> {
    const json = await guard(() => this.redis.hget(this.keys.flowVersions, versionKey(flowId, version)));
    return json ?? undefined;
  }

  async current(): Promise<Record<string, string>> {
    return guard(() => this.redis.hgetall(this.keys.currentFlows));
  }

  async setCurrent(current: Readonly<Record<string, string>>): Promise<void> {
    const before = await this.current();
    const retired = Object.entries(before)
      .filter(([flowId, version]) => current[flowId] !== version)
      .flatMap(([flowId, version]) => [versionKey(flowId, version), String(this.now())]);
    const multi = this.redis.multi().del(this.keys.currentFlows);
    if (Object.keys(current).length > 0) multi.hset(this.keys.currentFlows, current);
    if (retired.length > 0) multi.hset(this.keys.retiredFlowVersions, ...retired);
    const nowCurrent = Object.entries(current).map(([flowId, version]) => versionKey(flowId, version));
    if (nowCurrent.length > 0) multi.hdel(this.keys.retiredFlowVersions, ...nowCurrent);
    await guard(() => multi.exec());
  }

  async prune(options: { graceMs?: number } = {}): Promise<number> {
    const [current, inUse, retired, stored] = [
      new Set(Object.entries(await this.current()).map(([f, v]) => versionKey(f, v))),
      await this.versionsInUse(),
      await guard(() => this.redis.hgetall(this.keys.retiredFlowVersions)),
      await guard(() => this.redis.hkeys(this.keys.flowVersions)),
    ];
    const now = this.now();
    const graceMs = options.graceMs ?? DEFAULT_PRUNE_GRACE_MS;
    const drop = stored.filter((key) =>
      mayDrop(
        key,
        { current, inUse, retiredAt: retired[key] ? Number(retired[key]) : undefined },
        now,
        graceMs,
      ),
    );
    if (drop.length === 0) return 0;
    await guard(() =>
      this.redis
        .multi()
        .hdel(this.keys.flowVersions, ...drop)
        .hdel(this.keys.retiredFlowVersions, ...drop)
        .exec(),
    );
    return drop.length;
  }

  /** `<flowId>@<version>` of every retained run: the index of all runs in batches, two fields of each. */
  private async versionsInUse(): Promise<Set<string>> {
    const inUse = new Set<string>();
    let min = '-';
    for (;;) {
      const ids = await guard(() =>
        this.redis.zrangebylex(this.keys.allRuns, min, '+', 'LIMIT', 0, SCAN_BATCH),
      );
      if (ids.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hmget(this.keys.run(id), 'flow', 'flowVersion');
      const rows = (await guard(() => pipeline.exec())) ?? [];
      for (const [error, row] of rows) {
        const [flow, version] = (error ? [] : row) as Array<string | null>;
        if (flow && version) inUse.add(versionKey(flow, version));
      }
      if (ids.length < SCAN_BATCH) break;
      min = `(${ids.at(-1)}`;
    }
    return inUse;
  }

  async publishReload(): Promise<void> {
    await guard(() => this.redis.publish(this.keys.reloadChannel, String(this.now())));
  }

  onReload(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const subscriber = this.makeSubscriber();
      this.subscriber = subscriber;
      subscriber.on('message', () => {
        for (const each of this.listeners) each();
      });
      subscriber.subscribe(this.keys.reloadChannel).catch((err: unknown) => {
        this.log.warn({ err: (err as Error).message }, 'could not subscribe to reload notices');
      });
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
