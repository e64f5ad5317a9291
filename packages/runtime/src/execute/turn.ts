import type { CallAbort } from '@baton/sdk/host';
import type { BudgetAnswer } from '../backend/types';
import { type Budget, limitsCalls } from '../compile/budget-policy';
import type { ExecuteContext } from './context';
import { LEASE_HOLD_MS, LEASE_SLOTS } from './leased-slots';

/** A wait for the budget this short is spent in the worker; a longer one goes back to the queue. */
export const INLINE_WAIT_MS = 1000;
/** In all, a call waits in the worker at most this long before it goes back to the queue. */
const MAX_INLINE_WAIT_MS = 3000;
/** How often a process re-reads an unlimited instance's pause, which another process may have set. */
const PAUSE_READ_MS = 1000;
/** How much earlier than its turn a call waiting in the queue comes back. */
const QUEUE_LEAD_MS = 250;
const MIN_QUEUE_WAIT_MS = 10;
/** How long a waiter's place in line is kept beyond its expected turn, should it not ask again. */
const HOLD_GRACE_MS = 15_000;

export interface TurnAsk {
  instance: string;
  budget: Budget;
  /** Named only when the budget limits calls (no store hears of the others). */
  callId: string;
  flow: string;
  /** The call's timeout: a lease its process never gives back ends after it. */
  leaseMs: number;
}

export type Turn =
  /** `slot`: the leased slot the call took (see leased-slots.ts), to give back in its stead. */
  | { ok: true; waitedMs: number; slot?: string }
  | { ok: false; reason: 'rate' | 'concurrency' | 'paused'; waitMs: number; waitedMs: number };

/**
 * Waits for the call's turn under its instance's budget and any pause a
 * provider asked for: in the worker while the wait is short, else answers
 * how long the call should wait in the queue. Cancelling the run ends the
 * wait (the call then sees its abort).
 */
export async function takeTurn(ctx: ExecuteContext, ask: TurnAsk, abort: CallAbort): Promise<Turn> {
  const started = ctx.now();
  const limited = limitsCalls(ask.budget);
  for (let asked = 0; ; asked++) {
    const answer = limited ? await acquire(ctx, ask) : await pauseOf(ctx, ask.instance);
    // Asking is not waiting: a call let through at its first ask waited for nobody.
    const waitedMs = asked === 0 ? 0 : ctx.now() - started;
    if (answer.granted || abort.aborted) return { ok: true, waitedMs };
    const waitMs = expectedWait(ctx, ask, answer);
    // Only a call among the next to go waits in its worker: one further back would hold a
    // worker slot that another flow's call, on another instance, could use meanwhile. And
    // only so many at once: the other slots stay free for calls that can go.
    const near = (answer.position ?? 0) < capacityOf(ask.budget);
    const { turnWaits } = ctx;
    const waitHere = turnWaits.inWorker < turnWaits.max;
    if (!near || !waitHere || waitMs > INLINE_WAIT_MS || waitedMs + waitMs > MAX_INLINE_WAIT_MS) {
      // Back from the queue a little early (the queue takes some ms to hand a task out): the call
      // is then near its turn, and waits the rest in its worker. A short wait is waited in full:
      // early, the call would find the same line (or this worker's waiting slots still taken)
      // and come back again and again.
      const lead = turnWaits.max > 0 && waitMs > 2 * QUEUE_LEAD_MS ? QUEUE_LEAD_MS : 0;
      return {
        ok: false,
        reason: answer.reason,
        waitMs: Math.max(MIN_QUEUE_WAIT_MS, waitMs - lead),
        waitedMs,
      };
    }
    turnWaits.inWorker += 1;
    try {
      await sleep(waitMs, abort);
    } finally {
      turnWaits.inWorker -= 1;
    }
  }
}

/** How many calls may wait for their turn in a worker slot at once: half the slots (none with one). */
export function inWorkerTurnWaits(concurrency: number): number {
  return Math.floor(concurrency / 2);
}

/**
 * The store's estimate, or for a call waiting for a concurrency slot, how
 * long the calls ahead of it typically take here: a slot frees when a call
 * answers, which the store cannot foresee.
 */
function expectedWait(
  ctx: ExecuteContext,
  ask: TurnAsk,
  answer: Extract<BudgetAnswer, { granted: false }>,
): number {
  const { concurrency } = ask.budget.policy;
  if (answer.reason !== 'concurrency' || !concurrency || answer.position === undefined) return answer.waitMs;
  const typical = ctx.callMs.get(ask.instance) ?? answer.waitMs;
  return Math.max(answer.waitMs, Math.round(typical * Math.floor(answer.position / concurrency)));
}

/** How many calls the budget lets go at once: the calls that far up the line go next. */
function capacityOf(budget: Budget): number {
  const { rate, concurrency } = budget.policy;
  return Math.min(rate?.requests ?? Number.POSITIVE_INFINITY, concurrency ?? Number.POSITIVE_INFINITY);
}

/** Remembers how long the instance's calls take (a moving average), for the waits of concurrency. */
export function noteCallTime(ctx: ExecuteContext, instance: string, ms: number): void {
  const before = ctx.callMs.get(instance);
  ctx.callMs.set(instance, before === undefined ? ms : before * 0.8 + ms * 0.2);
}

const FREE: Turn = { ok: true, waitedMs: 0 };

/**
 * The call's turn, or at once — without a promise — when its instance has
 * no limits and no pause is known: the common call pays nothing.
 */
export function turnOf(
  ctx: ExecuteContext,
  ask: TurnAsk,
  abort: CallAbort,
  now = ctx.now(),
): Turn | Promise<Turn> {
  const known = ctx.pauses.get(ask.instance);
  if (!limitsCalls(ask.budget)) {
    if (known && now - known.readAt < PAUSE_READ_MS && known.until <= now) return FREE;
  } else if (!known || known.until <= now) {
    // A slot this process leased while the budget was far from binding: no store to ask.
    const slot = ctx.slots.take(ask.instance, ask.leaseMs);
    if (slot !== undefined) return { ok: true, waitedMs: 0, slot };
    const lease = ctx.slots.leaseOut(ask.instance);
    if (lease) return afterLease(ctx, ask, abort, lease);
  }
  return takeTurn(ctx, ask, abort);
}

/** A slot of the lease being asked for, once it comes; else the call asks for its turn itself. */
async function afterLease(
  ctx: ExecuteContext,
  ask: TurnAsk,
  abort: CallAbort,
  lease: Promise<void>,
): Promise<Turn> {
  await lease;
  const known = ctx.pauses.get(ask.instance);
  if (!known || known.until <= ctx.now()) {
    const slot = ctx.slots.take(ask.instance, ask.leaseMs);
    if (slot !== undefined) return { ok: true, waitedMs: 0, slot };
  }
  return takeTurn(ctx, ask, abort);
}

/** The call's answer came back: its slot frees (not awaited; the lease ends it should this fail). */
export function endTurn(ctx: ExecuteContext, ask: TurnAsk, slot: string | undefined): void {
  if (!limitsCalls(ask.budget)) return;
  ctx.backend.budgets.release(ask.instance, slot ?? ask.callId, ask.budget.policy).catch((error: unknown) => {
    ctx.log.warn(
      { err: error, instance: ask.instance },
      'could not give back a budget slot; its lease ends it',
    );
  });
}

/** The call will not be made (its run was cancelled while it waited): leave the line. */
export function leaveLine(ctx: ExecuteContext, ask: TurnAsk): void {
  if (!limitsCalls(ask.budget)) return;
  ctx.backend.budgets.withdraw(ask.instance, ask.callId).catch(() => {});
}

/** Pauses the instance for every worker, and remembers it here at once. */
export async function pauseInstance(ctx: ExecuteContext, instance: string, forMs: number): Promise<void> {
  const until = ctx.now() + forMs;
  const known = ctx.pauses.get(instance);
  ctx.pauses.set(instance, { until: Math.max(until, known?.until ?? 0), readAt: ctx.now() });
  await Promise.all([ctx.backend.budgets.pause(instance, forMs), ctx.slots.drop(instance)]);
}

/** Asks the store for the call's turn, and for slots for the next calls here while none are held. */
async function acquire(ctx: ExecuteContext, ask: TurnAsk): Promise<BudgetAnswer> {
  const lease = ctx.slots.wants(ask.instance);
  if (lease) ctx.slots.asked(ask.instance);
  let leased: string[] | undefined;
  try {
    const answer = await ctx.backend.budgets.acquire(ask.instance, {
      callId: ask.callId,
      flow: ask.flow,
      policy: ask.budget.policy,
      leaseMs: ask.leaseMs,
      holdMs: HOLD_GRACE_MS,
      ...(lease ? { lease: { slots: LEASE_SLOTS, holdMs: LEASE_HOLD_MS } } : {}),
    });
    if (answer.granted) leased = answer.leased;
    return answer;
  } finally {
    if (lease) ctx.slots.answered(ask.instance, leased, ask.leaseMs);
  }
}

/**
 * An instance without limits asks nobody for its turn; only a provider's
 * pause holds its calls back. Read from the store at most once a second
 * per process, so the common call pays nothing.
 */
async function pauseOf(ctx: ExecuteContext, instance: string): Promise<BudgetAnswer> {
  const now = ctx.now();
  let known = ctx.pauses.get(instance);
  if (!known || now - known.readAt >= PAUSE_READ_MS) {
    const state = await ctx.backend.budgets.state(instance);
    known = { until: state.pausedUntil ?? 0, readAt: now };
    ctx.pauses.set(instance, known);
  }
  return known.until > now ? { granted: false, reason: 'paused', waitMs: known.until - now } : GRANTED;
}

const GRANTED: BudgetAnswer = { granted: true };

function sleep(ms: number, abort: CallAbort): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const off = abort.onAbort(done);
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}
