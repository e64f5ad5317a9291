import type { Hono } from 'hono';
import type { SandboxState } from './state';

/** One emulated business system, mounted under its own prefix. */
export interface SandboxSystem {
  /** Short name used in the ledger and the fault API, such as `stripe`. */
  name: string;
  /** Where it is mounted, such as `/stripe`. Its routes are relative to it. */
  prefix: string;
  /** What it emulates, one line. */
  description: string;
  /** Builds the system's routes; registers its reset hook on `state`. */
  create(state: SandboxState): Hono;
}

/** Identity helper for typing a system in its own file. */
export function defineSystem(system: SandboxSystem): SandboxSystem {
  return system;
}
