import jsonata from 'jsonata';

/** Bounds on one evaluation. */
export const EXPRESSION_LIMITS = {
  /** Milliseconds one expression may run. */
  timeoutMs: 250,
  /** Evaluation depth (nested calls, recursion). */
  stack: 200,
  /** Items in one sequence. */
  sequence: 100_000,
  /** Characters in one string an expression builds. */
  stringLength: 1_000_000,
} as const;

/** The options JSONata takes for its own guards (typed loosely in its .d.ts). */
export const JSONATA_OPTIONS = {
  timeout: EXPRESSION_LIMITS.timeoutMs,
  stack: EXPRESSION_LIMITS.stack,
  sequence: EXPRESSION_LIMITS.sequence,
} as unknown as Parameters<typeof jsonata>[1];

/** Thrown from inside an evaluation when a Baton limit (not a JSONata one) is hit. */
export class LimitExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

type Compiled = ReturnType<typeof jsonata>;

/**
 * Adds the guards JSONata lacks: a cap on string length, checked after
 * every evaluation step (a doubling `$s & $s` loop stops at the cap), and
 * a `$pad` that refuses a width over the cap before allocating it.
 */
export function guardStrings(compiled: Compiled): void {
  const exit = Symbol.for('jsonata.__evaluate_exit') as unknown as string;
  compiled.assign(exit, (_expr: unknown, _input: unknown, _env: unknown, result: unknown) => {
    if (typeof result === 'string' && result.length > EXPRESSION_LIMITS.stringLength) {
      throw new LimitExceeded(tooLong());
    }
  });
  compiled.registerFunction('pad', boundedPad, '<s-ns?:s>');
}

let originalPad: Promise<(str: string, width: number, char?: string) => string> | undefined;

async function boundedPad(str: string, width: number, char?: string): Promise<string | undefined> {
  if (Math.abs(width) > EXPRESSION_LIMITS.stringLength) throw new LimitExceeded(tooLong());
  originalPad ??= jsonata('$pad')
    .evaluate(null)
    .then(
      (fn: { implementation: (str: string, width: number, char?: string) => string }) => fn.implementation,
    );
  return (await originalPad)(str, width, char);
}

function tooLong(): string {
  return `built a string longer than ${EXPRESSION_LIMITS.stringLength} characters (the limit)`;
}

/** Clear messages for JSONata's guard errors, by JSONata error code. */
const LIMIT_MESSAGES: Record<string, string> = {
  D1011: `nested deeper than ${EXPRESSION_LIMITS.stack} levels (the limit); check for unbounded recursion`,
  D1012: `ran longer than ${EXPRESSION_LIMITS.timeoutMs}ms (the limit); check for an infinite loop or recursion`,
  D2014: `built a sequence of more than ${EXPRESSION_LIMITS.sequence} items (the limit)`,
  D2015: `built a sequence of more than ${EXPRESSION_LIMITS.sequence} items (the limit)`,
};

/** A readable message for an error JSONata threw (a plain object with `code`, `message`, `position`). */
export function jsonataMessage(error: unknown): string {
  if (error instanceof LimitExceeded) return error.message;
  const e = error as { message?: string; code?: string; position?: number };
  const limit = e.code ? LIMIT_MESSAGES[e.code] : undefined;
  if (limit) return limit;
  const where = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
  return `${e.message ?? String(error)}${where}`;
}
