import type { RunRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { CallOutcome, Facts, Happening, PlannedCall, StepTask, ThrottledCall } from '../plan/decision';
import { type PlanInput, plan } from '../plan/plan';
import { settle } from '../plan/status';
import { type Applied, afterWrites, apply, hasEffects, writeSteps, writesOnly } from './apply';
import { callPlanned } from './call';
import type { ExecuteContext } from './context';
import { gather } from './gather';
import { readRun } from './store-now';

/** Decisions one happening may take before the executor calls it a bug rather than progress. */
const MAX_DECISIONS = 10_000;

/** How drive() goes on. */
export interface DriveOptions {
  /** The run, when the caller read it already. */
  run?: RunRecord | undefined;
  /** The planner may name a step for this worker to run next (see worker.ts). */
  mayHandOver?: boolean;
  /**
   * Whether drive() runs the step it was handed over itself, at once
   * (`carried`: how many it ran so far); when not, it answers that step.
   * In one async frame: a frame and a turn per step fewer than a caller's loop.
   */
  carryOn?: (next: StepTask, carried: number) => boolean;
}

/**
 * Handles one thing that happened to a run, to its end: asks the planner,
 * applies its decision, makes the call or gathers the facts it asks for,
 * and asks again with what came of it, until the planner has nothing more
 * to do. Answers the step this worker should run next (the decision's
 * explicit `runNext`), when it took one and did not carry it on.
 */
export async function drive(
  ctx: ExecuteContext,
  runId: string,
  first: Happening,
  options: DriveOptions = {},
): Promise<StepTask | undefined> {
  let happening = first;
  let given = options.run;
  for (let carried = 0; ; carried++) {
    // At once from a store that answers so (the embedded one): no turn per step for the read.
    let run = given ?? readRun(ctx.backend.runs, runId);
    if (run instanceof Promise) run = await run;
    given = undefined;
    if (!run) return undefined;
    // The run's own version: a promise only when it is not the current one (no await on the hot path).
    let flow = ctx.flowOf(run);
    if (flow instanceof Promise) flow = await flow;
    const queued: Task[] = [];
    let happened = happening;
    let facts: Facts = {};
    let runNext: StepTask | undefined;
    // Taken by the last decision, not yet in `queued`: most tasks end before another decision.
    let handedOver: StepTask | undefined;
    // The run as the task's last write left it, when that write ended the task's decisions.
    let known: RunRecord | undefined;
    // Read again after each call: an OAuth2 instance learns its tokens while it calls.
    let secrets = ctx.secrets;
    // One input for every decision of the task, its fields set before each (the planner keeps none).
    const input: PlanInput = { flow, run, happened, facts, queued, now: 0, random: Math.random, secrets };
    // One options object for every decision applied, its flag set before each.
    const applyOptions = { mayHandOver: false, queued };
    decide: for (let decisions = 0; ; decisions++) {
      if (decisions >= MAX_DECISIONS) {
        throw new Error(`Run "${runId}": the planner did not settle after ${MAX_DECISIONS} decisions`);
      }
      // The step handed over counts as queued for the planner from its next decision on.
      if (handedOver) {
        queued.push(handedOver);
        handedOver = undefined;
      }
      const now = ctx.now();
      input.run = run;
      input.happened = happened;
      input.facts = facts;
      input.now = now;
      input.secrets = secrets;
      const decision = plan(input);
      if (decision.ask) {
        const gathered = await gather(ctx, flow!, run, decision.ask);
        if (gathered === 'gone') break;
        if (gathered.run) run = gathered.run;
        facts = { ...facts, ...gathered.facts };
        continue;
      }
      if (decision.call && !hasEffects(decision)) {
        // The common case of a step's task: nothing to apply before its call.
        happened = calledWith(decision.call, await callPlanned(ctx, flow!, run, decision.call));
        secrets = ctx.secrets;
        continue;
      }
      applyOptions.mayHandOver = options.mayHandOver === true && runNext === undefined;
      let applied: Applied | undefined;
      // Whether the clock read for the plan is still now: nothing was waited for since.
      let waited = true;
      if (writesOnly(decision)) {
        // Every step's decision: the store's write awaited here, the rest at once (see afterWrites).
        const written = writeSteps(ctx, run, decision.writes, decision);
        const result = written instanceof Promise ? await written : written;
        const after = afterWrites(ctx, run, decision, result, applyOptions);
        waited = written instanceof Promise || after instanceof Promise;
        applied = after instanceof Promise ? await after : after;
      } else {
        applied = await apply(ctx, run, decision, applyOptions);
      }
      if (!applied) break;
      if (applied.runNext) {
        runNext ??= applied.runNext;
        handedOver = applied.runNext;
      }
      const changed = applied.run !== run;
      run = applied.run;
      if (decision.call) {
        happened = calledWith(decision.call, await callPlanned(ctx, flow!, run, decision.call));
        secrets = ctx.secrets;
        continue;
      }
      if (decision.register) {
        // The wait is registered: the planner hears whether an event within the lookback ended it.
        happened = { kind: 'wait-registered', step: decision.register.wait.step, matched: applied.matched };
        facts = {};
        continue;
      }
      switch (decision.afterwards) {
        case undefined:
          known = run;
          break decide;
        case 'settle':
          if (applied.allWritten) {
            const settled = settle(run, waited ? ctx.now() : now);
            known = settled.patch
              ? (await apply(ctx, run, settled, { mayHandOver: false, queued }))?.run
              : run;
            break decide;
          }
          happened = { kind: 'changed' };
          break;
        case 'changed':
          happened = { kind: 'changed' };
          break;
        case 'again':
          break;
        case 'item-written':
          if (happened.kind !== 'called' || happened.task.kind !== 'step' || !applied.items) break decide;
          happened = {
            kind: 'item-written',
            task: happened.task,
            item: decision.item!.record,
            items: applied.items,
          };
          continue;
      }
      // Facts were gathered for the run as it was: a run written since needs them afresh.
      if (changed) facts = {};
    }
    if (!runNext || !options.carryOn?.(runNext, carried)) return runNext;
    runId = runNext.run;
    happening = { kind: 'task', task: runNext, handedOver: true };
    // The step handed over is planned on the run as this task's write left it, without reading
    // it again: another process's write since is caught by that step's own write, whose starts
    // need the run's version unchanged (lua/put-steps.ts), and the run is then planned afresh.
    given = known;
  }
}

/** What the planned call came to: its outcome, or that it waits for its budget (no async frame of its own). */
function calledWith(call: PlannedCall, outcome: CallOutcome | ThrottledCall): Happening {
  return 'throttled' in outcome
    ? { kind: 'throttled', task: call.task, throttle: outcome }
    : { kind: 'called', task: call.task, outcome };
}
