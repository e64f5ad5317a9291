import type { Hono } from 'hono';
import type { SandboxState } from './state';

/** One emulated business system, mounted under its own prefix. */
export interface SandboxSystem {
  /** Short name used in the ledger and the fault API, such as `stripe`. */
  name: string;
  /** Where it is mounted, such as `/stripe`. Its routes are relative to it. */
  prefix: string;
  /**
   * More prefixes its routes also answer under, such as a vendor's token
   * endpoint under the vendor's API host. Prefixes are matched longest
   * first, so one may sit inside another system's.
   * @default none
   */
  aliases?: readonly string[];
  /** What it emulates, one line. */
  description: string;
  /**
   * The body of an error the sandbox answers in the system's place (a rate
   * limit, a pause), in the system's own error shape.
   * @default `{ error: { type: "rate_limited" | "service_unavailable", message } }`
   */
  errorBody?(status: 429 | 503, message: string): unknown;
  /**
   * The webhook event types it sends, once an endpoint is set for it with
   * `PUT /_sandbox/webhooks/<name>` or `startSandbox({ webhooks })`.
   * @default none: the system sends no webhooks
   */
  webhooks?: readonly string[];
  /**
   * Builds the system's routes; registers its reset hook on `state`. Routes
   * added to `control` answer under `/_sandbox/<name>`, for what only tests
   * and demos do (such as marking a parcel delivered).
   */
  create(state: SandboxState, control: Hono): Hono;
}

/** Identity helper for typing a system in its own file. */
export function defineSystem(system: SandboxSystem): SandboxSystem {
  return system;
}
