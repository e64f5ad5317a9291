import type { ChainableCommander, Redis } from 'ioredis';
import { INGEST_LUA } from './lua/ingest';
import { PATCH_RUN_LUA } from './lua/patch-run';
import { PUT_STEP_LUA } from './lua/put-step';

type Arg = string | number;

/** A client with Baton's three scripts defined (sent by SHA, loaded on first use). */
export interface ScriptedRedis extends Redis {
  /** See lua/ingest.ts: the key count comes first. */
  batonIngest(numKeys: number, ...args: Arg[]): Promise<string | null>;
}

/** A MULTI on a scripted client: the step and run scripts go in transactions with the HGETALL that reads the run back. */
export interface ScriptedMulti extends ChainableCommander {
  /** See lua/put-step.ts: 1 when written, 0 when not. */
  batonPutStep(runKey: string, ...args: Arg[]): ScriptedMulti;
  /** See lua/patch-run.ts: nine keys, then the arguments; -2 when nothing was written. */
  batonPatchRun(...args: Arg[]): ScriptedMulti;
}

/**
 * Defines the scripts on a client. BullMQ does the queue; these three do
 * what it does not: ingest with dedup, the step compare-and-set, and run
 * patches that keep the indexes in step.
 */
export function withScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand('batonIngest', { lua: INGEST_LUA });
  redis.defineCommand('batonPutStep', { numberOfKeys: 1, lua: PUT_STEP_LUA });
  redis.defineCommand('batonPatchRun', { numberOfKeys: 9, lua: PATCH_RUN_LUA });
  return redis as ScriptedRedis;
}

/** A MULTI that knows the scripts (ioredis defines them on transactions too). */
export function scriptedMulti(redis: ScriptedRedis): ScriptedMulti {
  return redis.multi() as unknown as ScriptedMulti;
}
