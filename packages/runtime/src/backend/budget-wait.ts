import type { BudgetAnswer, BudgetPolicy } from './types';

/** What a store knows when it refuses a call: enough to say when to ask again. */
export interface TurnFacts {
  now: number;
  policy: BudgetPolicy;
  /** The call's place in line (0: next). */
  position: number;
  pausedUntil: number;
  /** Calls in flight counted by the rate. */
  inFlight: number;
  /** Concurrency slots taken. */
  slotsTaken: number;
  /** Answered calls still counted in the rate window. */
  counted: number;
  /**
   * When the answered call at `turnSlot(…).index` (earliest end first)
   * stops counting, when that index is an answered call.
   */
  turnEnd: number | undefined;
}

/**
 * Which of the calls counted now frees the slot of the call at `position`,
 * and how many windows later. Calls take slots in line order: the first
 * `requests - taken` go at once, the next as each counted call stops
 * counting (earliest first), and each of those slots serves again a window
 * after it served; so the call at `position` goes `rounds` windows after
 * the end of the counted call at `index` (or after now, when `index` is past
 * the counted calls: a slot free now or a call still in flight).
 */
export function turnSlot(
  counted: number,
  inFlight: number,
  requests: number,
  position: number,
): { index: number; rounds: number } | undefined {
  const k = counted + inFlight - requests + position;
  if (k < 0) return undefined;
  return { index: k % requests, rounds: Math.floor(k / requests) };
}

/** How often a call waiting for a concurrency slot asks again: slots free when calls answer, which nobody can foresee. */
const SLOT_POLL_MS = 25;
const MAX_SLOT_POLL_MS = 1000;
const MIN_WAIT_MS = 5;

/**
 * How long a waiter's place is kept at most without it asking again: its
 * grace, any pause, and an upper bound of its rate wait. Both stores
 * compute it the same way (the Redis script in lua/budget.ts).
 */
export function holdFor(holdMs: number, pauseLeftMs: number, policy: BudgetPolicy, position: number): number {
  const rate = policy.rate ? policy.rate.perMs * (1 + Math.ceil((position + 1) / policy.rate.requests)) : 0;
  return holdMs + Math.max(0, pauseLeftMs) + rate;
}

/**
 * A refusal with an estimate of when the call's turn comes: the moment
 * enough rate slots free for everyone ahead of it, the end of a pause, or
 * a short poll for a concurrency slot. Only an estimate: the store checks
 * the turn again when the call asks. Shared by both stores (the Redis
 * script returns the same facts).
 */
export function turnWait(facts: TurnFacts): Extract<BudgetAnswer, { granted: false }> {
  const { now, policy, position } = facts;
  let reason: 'rate' | 'concurrency' | 'paused' = 'rate';
  let waitMs = 0;
  const pause = facts.pausedUntil - now;
  if (pause > 0) {
    reason = 'paused';
    waitMs = pause;
  }
  const rateWait = policy.rate ? rateTurn(facts, policy.rate) : 0;
  const slotWait =
    policy.concurrency && facts.slotsTaken + position >= policy.concurrency
      ? Math.min(MAX_SLOT_POLL_MS, SLOT_POLL_MS * (1 + Math.floor(position / policy.concurrency)))
      : 0;
  if (reason !== 'paused') reason = rateWait >= slotWait && rateWait > 0 ? 'rate' : 'concurrency';
  waitMs = Math.max(waitMs, rateWait, slotWait, MIN_WAIT_MS);
  return { granted: false, reason, waitMs: Math.ceil(waitMs), position };
}

/**
 * When the rate lets the call at `position` through: see `turnSlot`. A call
 * in flight stops counting no sooner than a window after now (it answers
 * later), and a slot free now serves again a window after it serves.
 */
function rateTurn(facts: TurnFacts, rate: { requests: number; perMs: number }): number {
  const slot = turnSlot(facts.counted, facts.inFlight, rate.requests, facts.position);
  if (!slot) return 0;
  const later = slot.rounds * rate.perMs;
  if (slot.index < facts.counted) return (facts.turnEnd ?? facts.now + rate.perMs) - facts.now + later;
  return rate.perMs + later;
}

/**
 * How many slots a process may lease besides its call's own, when `free`
 * calls may go now and nobody waits: none unless the budget is far from
 * binding (a quarter of the free room at most): a budget near its limit
 * is shared call by call, in line order. The Redis script computes the same (lua/budget.ts).
 */
export function leaseSize(free: number, wanted: number): number {
  return Math.max(0, Math.min(wanted, Math.floor(free / 4) - 1));
}
