import type jsonata from 'jsonata';
import { LinearRegex } from './linear-regex';

/**
 * Bounds on one evaluation. Webhook data reaches expressions, so every way
 * an expression can spend memory or time is bounded here; `docs/security.md`
 * lists them.
 */
export const EXPRESSION_LIMITS = {
  /** Milliseconds one expression may run (checked at each evaluation step). */
  timeoutMs: 250,
  /** Evaluation depth (nested calls, recursion). */
  stack: 200,
  /** Items in one sequence. */
  sequence: 100_000,
  /** Characters in one string an expression builds. */
  stringLength: 1_000_000,
  /** Characters of any value an expression builds, counted as its JSON text. */
  valueSize: 10_000_000,
  /** Levels of nesting of any value an expression builds. */
  valueDepth: 256,
} as const;

/** The options JSONata takes for its own guards (typed loosely in its .d.ts). */
export const JSONATA_OPTIONS = {
  timeout: EXPRESSION_LIMITS.timeoutMs,
  stack: EXPRESSION_LIMITS.stack,
  sequence: EXPRESSION_LIMITS.sequence,
  // Regular expressions run on RE2's linear-time engine: a native RegExp
  // cannot be interrupted by the timeout once it backtracks.
  RegexEngine: LinearRegex,
} as unknown as Parameters<typeof jsonata>[1];

/** Thrown from inside an evaluation when a Baton limit (not a JSONata one) is hit. */
export class LimitExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

/** The message for a string over the limit. */
export function stringTooLong(): string {
  return `built a string longer than ${EXPRESSION_LIMITS.stringLength} characters (the limit)`;
}

/** Clear messages for JSONata's guard errors, by JSONata error code. */
const LIMIT_MESSAGES: Record<string, string> = {
  D1011: `nested deeper than ${EXPRESSION_LIMITS.stack} levels (the limit); check for unbounded recursion`,
  D1012: `ran longer than ${EXPRESSION_LIMITS.timeoutMs}ms (the limit); check for an infinite loop or recursion`,
  D2014: `built a sequence of more than ${EXPRESSION_LIMITS.sequence} items (the limit)`,
  D2015: `built a sequence of more than ${EXPRESSION_LIMITS.sequence} items (the limit)`,
};

/** True when an evaluation error is one of the limits, Baton's or JSONata's. */
export function isLimitError(error: unknown): boolean {
  if (error instanceof LimitExceeded) return true;
  // The interpreter's call stack, or a string or array past what V8 can hold.
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in LIMIT_MESSAGES;
}

/** A readable message for an error JSONata threw (a plain object with `code`, `message`, `position`). */
export function jsonataMessage(error: unknown): string {
  if (error instanceof LimitExceeded) return error.message;
  if (error instanceof RangeError) {
    return /call stack/i.test(error.message)
      ? 'nested too deeply for the call stack (a limit)'
      : `grew past what the process can hold (${error.message})`;
  }
  const e = error as { message?: string; code?: string; position?: number };
  const limit = e.code ? LIMIT_MESSAGES[e.code] : undefined;
  if (limit) return limit;
  const where = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
  return `${e.message ?? String(error)}${where}`;
}
