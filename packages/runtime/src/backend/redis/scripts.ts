import type { RedisClient } from './client';
import {
  BUDGET_ACQUIRE_LUA,
  BUDGET_GIVE_BACK_LUA,
  BUDGET_PAUSE_LUA,
  BUDGET_RELEASE_LUA,
  BUDGET_STATE_LUA,
} from './lua/budget';
import { GET_RUN_LUA } from './lua/get-run';
import { PATCH_RUN_LUA } from './lua/patch-run';
import { PUT_STEPS_LUA } from './lua/put-steps';
import { RECORD_ANALYTICS_LUA } from './lua/record-analytics';
import { REGISTER_WAIT_LUA } from './lua/register-wait';
import { REPLAY_CLAIM_LUA, REPLAY_CREATE_LUA, REPLAY_RUN_LUA } from './lua/replay-run';

type Arg = string | number;

/** See lua/put-steps.ts. */
type PutStepsReply = [string, (string[] | number)?, number?] | 0;

/** A client with Baton's scripts defined (sent by SHA once loaded on the connection). */
export type ScriptedRedis = RedisClient & BatonScripts;

/** Baton's scripts, as commands of a client. */
interface BatonScripts {
  /** See lua/get-run.ts. */
  batonGetRun(runKey: string, knownVersion: string): Promise<string[] | 1>;
  /** See lua/put-steps.ts: the run's key, then the arguments. */
  batonPutSteps(runKey: string, ...args: Arg[]): Promise<PutStepsReply>;
  /** See lua/put-steps.ts, with a status to set: the run's key, the two indexes, then the arguments. */
  batonPutStepsSettling(runKey: string, ...args: Arg[]): Promise<PutStepsReply>;
  /** See lua/patch-run.ts: ten keys, then the arguments. */
  batonPatchRun(...args: Arg[]): Promise<[string[] | number, number] | 0>;
  /** See lua/replay-run.ts: seven keys, then the arguments. */
  batonReplayRun(...args: Arg[]): Promise<string | 0>;
  /** See lua/replay-run.ts: two keys, then the arguments. */
  batonReplayClaim(...args: Arg[]): Promise<string | 0>;
  /** See lua/replay-run.ts: seven keys, then the arguments. */
  batonReplayCreate(...args: Arg[]): Promise<0 | 1>;
  /** See lua/register-wait.ts: two keys, then the arguments. */
  batonRegisterWait(...args: Arg[]): Promise<string | null>;
  /** See lua/budget.ts: six keys, then the arguments. */
  batonBudgetAcquire(...args: Arg[]): Promise<Array<number | string>>;
  batonBudgetRelease(...args: Arg[]): Promise<number>;
  batonBudgetGiveBack(...args: Arg[]): Promise<number>;
  batonBudgetPause(...args: Arg[]): Promise<number>;
  batonBudgetState(...args: Arg[]): Promise<number[]>;
  /** See lua/record-analytics.ts: two keys (a flow's minute and hour buckets), then the arguments. */
  batonRecordAnalytics(...args: Arg[]): Promise<number>;
}

/**
 * Defines the scripts on a client. BullMQ does the queue; these do what it
 * does not: ingest with dedup, versioned run reads, the step
 * compare-and-set, run patches that keep the indexes in step, and the
 * replay claim.
 */
export function withScripts(redis: RedisClient): ScriptedRedis {
  redis.defineCommand('batonGetRun', { numberOfKeys: 1, lua: GET_RUN_LUA });
  // One script, two key counts (see lua/put-steps.ts). Each command's count is fixed: with a
  // count passed as the first argument, a Cluster's auto-pipelining would group the call by
  // that number's slot instead of the run's.
  redis.defineCommand('batonPutSteps', { numberOfKeys: 1, lua: PUT_STEPS_LUA });
  redis.defineCommand('batonPutStepsSettling', { numberOfKeys: 3, lua: PUT_STEPS_LUA });
  redis.defineCommand('batonPatchRun', { numberOfKeys: 10, lua: PATCH_RUN_LUA });
  redis.defineCommand('batonReplayRun', { numberOfKeys: 7, lua: REPLAY_RUN_LUA });
  redis.defineCommand('batonReplayClaim', { numberOfKeys: 2, lua: REPLAY_CLAIM_LUA });
  redis.defineCommand('batonReplayCreate', { numberOfKeys: 7, lua: REPLAY_CREATE_LUA });
  redis.defineCommand('batonRegisterWait', { numberOfKeys: 2, lua: REGISTER_WAIT_LUA });
  redis.defineCommand('batonBudgetAcquire', { numberOfKeys: 6, lua: BUDGET_ACQUIRE_LUA });
  redis.defineCommand('batonBudgetRelease', { numberOfKeys: 6, lua: BUDGET_RELEASE_LUA });
  redis.defineCommand('batonBudgetGiveBack', { numberOfKeys: 6, lua: BUDGET_GIVE_BACK_LUA });
  redis.defineCommand('batonBudgetPause', { numberOfKeys: 6, lua: BUDGET_PAUSE_LUA });
  redis.defineCommand('batonBudgetState', { numberOfKeys: 6, lua: BUDGET_STATE_LUA });
  redis.defineCommand('batonRecordAnalytics', { numberOfKeys: 2, lua: RECORD_ANALYTICS_LUA });
  return redis as ScriptedRedis;
}
