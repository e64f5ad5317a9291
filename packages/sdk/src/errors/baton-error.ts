/**
 * The root of Baton's error taxonomy. Every error states its intent: a
 * stable `code`, and whether the runtime may try again (and after how long).
 *
 * Errors are recognised by a marker symbol registered with `Symbol.for`, not
 * only by prototype, because a process can load two copies of `@baton/sdk`
 * (a connector bundling its own, say). `instanceof` works across copies too:
 * each class checks the marker and the class names the error carries.
 */
import { errorEntry } from './catalog/index';

const MARKER = Symbol.for('baton.error');
const KINDS = Symbol.for('baton.error.kinds');

export interface BatonErrorOptions {
  /** A stable, SCREAMING_SNAKE_CASE code that says what happened. */
  code?: string;
  /** Whether the runtime may try again. @default the code's catalog entry, else false */
  retryable?: boolean;
  /** How long to wait before the next attempt, in milliseconds. */
  retryAfterMs?: number;
  /** The error that caused this one. */
  cause?: unknown;
  /** Small, secret-free facts that help an operator (HTTP status, field paths). */
  details?: Record<string, unknown>;
}

export class BatonError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  declare readonly [MARKER]: true;
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'BATON_ERROR';
    // A catalog code says once whether it is retryable; a connector's own code defaults to not.
    this.retryable = options.retryable ?? errorEntry(this.code)?.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
    Object.defineProperty(this, MARKER, { value: true });
    Object.defineProperty(this, KINDS, { value: classChain(new.target) });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!isBatonError(value)) return false;
    // `this` is the class `instanceof` was asked about: a subclass, not BatonError.
    // biome-ignore lint/complexity/noThisInStatic: the receiver is the point
    return value[KINDS].includes(this.name);
  }
}

function classChain(ctor: Function): string[] {
  const names: string[] = [];
  let current: unknown = ctor;
  while (typeof current === 'function' && current.name && current !== Error) {
    names.push(current.name);
    current = Object.getPrototypeOf(current);
  }
  return names;
}

/** True for any Baton error, whichever copy of the SDK created it. */
export function isBatonError(value: unknown): value is BatonError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/**
 * True for a Baton error with one of `codes` (any code when none is given),
 * whichever copy of the SDK created it: how Baton recognises its errors,
 * never by `instanceof`.
 */
export function hasCode<C extends string>(
  value: unknown,
  ...codes: readonly C[]
): value is BatonError & { code: C } {
  return isBatonError(value) && (codes.length === 0 || (codes as readonly string[]).includes(value.code));
}
