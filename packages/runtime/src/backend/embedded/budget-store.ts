import { holdFor, leaseSize, turnSlot, turnWait } from '../budget-wait';
import type { BudgetAnswer, BudgetAsk, BudgetPolicy, BudgetState, BudgetStore } from '../types';
import { EndTimes } from './end-times';

interface Waiter {
  callId: string;
  /** Virtual finish time: flows take turns (see `enqueue`). */
  turn: number;
  /** Order of arrival among equal turns. */
  seq: number;
  /** Dropped from the line after this (its caller died). */
  holdUntil: number;
}

interface Book {
  /** Answered calls: when each stops counting in the rate window, in the order they answered. */
  counted: EndTimes;
  /** Calls in flight: counted in the rate window (and the concurrency) until their answer; the time is the lease's end. */
  inFlight: Map<string, number>;
  /** Calls holding a concurrency slot, until the lease's end. */
  slots: Map<string, number>;
  line: Waiter[];
  lastTurnOfFlow: Map<string, number>;
  /** The turn of the last waiter let through. */
  clock: number;
  seq: number;
  pausedUntil: number;
}

/**
 * Budgets in process memory: the same rules as the Redis store's script
 * (lua/budget.ts), for one process. See `BudgetStore` for what they keep.
 */
export class EmbeddedBudgetStore implements BudgetStore {
  private readonly books = new Map<string, Book>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(instance: string, ask: BudgetAsk): Promise<BudgetAnswer> {
    const now = this.now();
    const book = this.book(instance);
    reap(book, now);
    const { policy, callId } = ask;
    if (book.inFlight.has(callId) || book.slots.has(callId)) return GRANTED;
    let position = book.line.findIndex((w) => w.callId === callId);
    const free = freeSlots(book, policy);
    if (book.pausedUntil <= now) {
      if (position === -1 && book.line.length === 0 && free > 0) return grantLease(book, ask, now, free);
      if (position === -1) position = enqueue(book, ask, now);
      if (position < free) {
        const [waiter] = book.line.splice(position, 1);
        book.clock = Math.max(book.clock, waiter!.turn);
        return grant(book, ask, now);
      }
    } else if (position === -1) {
      position = enqueue(book, ask, now);
    }
    book.line[position]!.holdUntil = now + holdFor(ask.holdMs, book.pausedUntil - now, policy, position);
    const slot = policy.rate
      ? turnSlot(book.counted.size, book.inFlight.size, policy.rate.requests, position)
      : undefined;
    return turnWait({
      now,
      policy,
      position,
      pausedUntil: book.pausedUntil,
      inFlight: book.inFlight.size,
      slotsTaken: book.slots.size,
      counted: book.counted.size,
      turnEnd: slot && slot.index < book.counted.size ? book.counted.at(slot.index) : undefined,
    });
  }

  /** Not async: a call's answer costs no promise of its own here. */
  release(instance: string, callId: string, policy: BudgetPolicy): Promise<void> {
    const book = this.books.get(instance);
    if (!book) return DONE;
    const now = this.now();
    book.counted.dropUntil(now);
    book.inFlight.delete(callId);
    book.slots.delete(callId);
    // Every answer counts, in the order they came (a call asked for again after a throttled
    // answer counts once per call made, as on Redis).
    if (policy.rate) book.counted.push(now + policy.rate.perMs);
    return DONE;
  }

  async giveBack(instance: string, slotIds: readonly string[]): Promise<void> {
    const book = this.books.get(instance);
    if (!book) return;
    for (const id of slotIds) {
      book.inFlight.delete(id);
      book.slots.delete(id);
    }
  }

  async withdraw(instance: string, callId: string): Promise<void> {
    const book = this.books.get(instance);
    if (!book) return;
    const position = book.line.findIndex((w) => w.callId === callId);
    if (position !== -1) book.line.splice(position, 1);
  }

  async pause(instance: string, forMs: number): Promise<void> {
    const book = this.book(instance);
    book.pausedUntil = Math.max(book.pausedUntil, this.now() + forMs);
  }

  async state(instance: string): Promise<BudgetState> {
    const book = this.books.get(instance);
    if (!book) return { inFlight: 0, inWindow: 0, waiting: 0 };
    const now = this.now();
    reap(book, now);
    return {
      inFlight: Math.max(book.inFlight.size, book.slots.size),
      inWindow: book.counted.size + book.inFlight.size,
      waiting: book.line.length,
      ...(book.pausedUntil > now ? { pausedUntil: book.pausedUntil } : {}),
    };
  }

  private book(instance: string): Book {
    let book = this.books.get(instance);
    if (!book) {
      book = {
        counted: new EndTimes(),
        inFlight: new Map(),
        slots: new Map(),
        line: [],
        lastTurnOfFlow: new Map(),
        clock: 0,
        seq: 0,
        pausedUntil: 0,
      };
      this.books.set(instance, book);
    }
    return book;
  }
}

const GRANTED: BudgetAnswer = { granted: true };
const DONE: Promise<void> = Promise.resolve();

function grant(book: Book, ask: BudgetAsk, now: number): BudgetAnswer {
  take(book, ask.policy, ask.callId, now + ask.leaseMs);
  return GRANTED;
}

/** The call's slot, and slots leased for the process's next calls if it asked and the budget is far from binding. */
function grantLease(book: Book, ask: BudgetAsk, now: number, free: number): BudgetAnswer {
  grant(book, ask, now);
  const size = ask.lease ? leaseSize(free, ask.lease.slots) : 0;
  if (size === 0) return GRANTED;
  const leased: string[] = [];
  const leaseEnd = now + ask.leaseMs + ask.lease!.holdMs;
  for (let i = 1; i <= size; i++) {
    const id = `${ask.callId}~${i}`;
    take(book, ask.policy, id, leaseEnd);
    leased.push(id);
  }
  return { granted: true, leased };
}

/** Counts a slot as in flight (and taken) until `leaseEnd`, unless released sooner. */
function take(book: Book, policy: BudgetPolicy, id: string, leaseEnd: number): void {
  if (policy.rate) book.inFlight.set(id, leaseEnd + policy.rate.perMs);
  if (policy.concurrency) book.slots.set(id, leaseEnd);
}

/** Calls that may go now: the smaller of the rate's and the concurrency's free room. */
function freeSlots(book: Book, policy: BudgetPolicy): number {
  let free = Number.POSITIVE_INFINITY;
  if (policy.rate) free = policy.rate.requests - book.counted.size - book.inFlight.size;
  if (policy.concurrency) free = Math.min(free, policy.concurrency - book.slots.size);
  return Math.max(0, free);
}

/**
 * Joins the line. Each flow's waiters get turns one apart, starting just
 * after the last turn let through: a flow that arrives while another has a
 * long line is served between that line's waiters, not behind all of them.
 */
function enqueue(book: Book, ask: BudgetAsk, now: number): number {
  const turn = Math.max(book.lastTurnOfFlow.get(ask.flow) ?? 0, book.clock) + 1;
  book.lastTurnOfFlow.set(ask.flow, turn);
  const waiter: Waiter = { callId: ask.callId, turn, seq: book.seq++, holdUntil: now + ask.holdMs };
  let at = book.line.length;
  while (at > 0 && book.line[at - 1]!.turn > turn) at--;
  book.line.splice(at, 0, waiter);
  return at;
}

function reap(book: Book, now: number): void {
  book.counted.dropUntil(now);
  for (const [id, until] of book.inFlight) if (until <= now) book.inFlight.delete(id);
  for (const [id, until] of book.slots) if (until <= now) book.slots.delete(id);
  if (book.line.some((w) => w.holdUntil <= now)) book.line = book.line.filter((w) => w.holdUntil > now);
}
