import type { BenchRedis } from './redis';

/** What every scenario works with. */
export interface BenchContext {
  redis: BenchRedis;
  /** The bench hub folder and its config file (see hub.ts). */
  hub: { path: string; config: string };
  /** Rounds per scenario; medians are taken over them. */
  rounds: number;
  /** Shorter runs (`--quick`), for trying the bench itself; not for publishing. */
  quick: boolean;
  /** Progress on stderr. */
  log(message: string): void;
}

/** One measured configuration: its value per round and their median. */
export interface Measure {
  rounds: number[];
  median: number;
}

/** A unique Redis key prefix (with a hash tag) for one round. */
export function roundPrefix(label: string): string {
  return `{bench-${label}-${process.pid}-${Date.now().toString(36)}}`;
}
