import {
  defineAction,
  defineConnector,
  NonRetryableError,
  RateLimitedError,
  RetryableError,
} from '@baton/sdk';
import { z } from 'zod';

/** What a probe action does on one call: answer, fail, or wait for its signal. */
export type ProbeBehaviour =
  | { ok: unknown }
  | { retryable: string; retryAfterMs?: number }
  | { fatal: string; code?: string }
  | { hang: true }
  | {
      /** Waits for this promise; a function is called at the call (to act when the call starts). */
      waitFor: Promise<unknown> | (() => Promise<unknown>);
      /** What to answer then; a function gets the call's input. */
      answer?: unknown;
    };

/** One call a probe action received. */
export interface ProbeCall {
  action: string;
  input: unknown;
  idempotencyKey: string;
  attempt: number;
  step: string;
  runId: string;
  item?: number;
  aborted?: boolean;
}

/**
 * A connector for behaviour tests whose actions follow a script: each call
 * takes the next behaviour of its action (the last one repeats), and every
 * call is recorded. Real connector code through the real SDK, no mocks.
 */
export function probe(name = 'probe') {
  const scripts = new Map<string, ProbeBehaviour[]>();
  const calls: ProbeCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const act = defineAction({
    input: z.record(z.string(), z.unknown()),
    output: z.unknown(),
    async run({ input, idempotencyKey, signal, run, log }) {
      const action = String(input.__action ?? 'do');
      const call: ProbeCall = {
        action,
        input,
        idempotencyKey,
        attempt: run.attempt,
        step: run.step,
        runId: run.id,
        ...(run.item !== undefined ? { item: run.item } : {}),
      };
      calls.push(call);
      log.info(`probe ${action} called`, { input });
      const script = scripts.get(action) ?? [{ ok: { echo: input } }];
      const behaviour = script.length > 1 ? script.shift()! : script[0]!;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if ('ok' in behaviour) return typeof behaviour.ok === 'function' ? behaviour.ok(input) : behaviour.ok;
        if ('retryable' in behaviour) {
          if (behaviour.retryAfterMs !== undefined)
            throw new RateLimitedError(behaviour.retryable, { retryAfterMs: behaviour.retryAfterMs });
          throw new RetryableError(behaviour.retryable);
        }
        if ('fatal' in behaviour)
          throw new NonRetryableError(behaviour.fatal, { code: behaviour.code ?? 'PROBE_FATAL' });
        if ('waitFor' in behaviour) {
          await (typeof behaviour.waitFor === 'function' ? behaviour.waitFor() : behaviour.waitFor);
          if (typeof behaviour.answer === 'function') return behaviour.answer(input);
          return behaviour.answer ?? { waited: true };
        }
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        call.aborted = true;
        throw signal.reason;
      } finally {
        inFlight -= 1;
      }
    },
  });

  const connector = defineConnector({
    name: 'probe',
    config: z.object({ token: z.string().optional() }),
    actions: { do: act, undo: act, alt: act },
  });

  return {
    name,
    connector,
    calls,
    /** Sets what the next calls of `action` (the `__action` input field) do. */
    script(action: string, behaviours: ProbeBehaviour[]) {
      scripts.set(action, [...behaviours]);
    },
    callsOf: (action: string) => calls.filter((c) => c.action === action),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** A promise with its resolve, for making actions wait on the test. */
export function latch<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
