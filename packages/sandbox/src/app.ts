import { Hono } from 'hono';
import { z } from 'zod';
import { control } from './control';
import { faultsAndLedger } from './faults';
import { SandboxState } from './state';
import type { SandboxSystem } from './system';
import { systems as allSystems } from './systems/index';

export interface SandboxAppOptions {
  /** Systems to mount. @default every system */
  systems?: SandboxSystem[];
  /** Shared state; pass one to inspect it from the same process. */
  state?: SandboxState;
}

/**
 * The sandbox as a Hono app: every system under its prefix (with fault
 * injection and the ledger in front of it) and the control API under
 * `/_sandbox`.
 */
export function createSandboxApp(options: SandboxAppOptions = {}) {
  const state = options.state ?? new SandboxState();
  const systems = options.systems ?? allSystems;
  const app = new Hono();
  app.route('/_sandbox', control(state, systems));
  for (const system of systems) {
    const sub = new Hono();
    sub.use('*', faultsAndLedger(system.name, state));
    sub.route('/', system.create(state));
    app.route(system.prefix, sub);
  }
  app.notFound((c) =>
    c.json({ error: { type: 'not_found', message: `sandbox: no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((error, c) => {
    if (error instanceof z.ZodError) {
      return c.json({ error: { type: 'invalid_request_error', message: z.prettifyError(error) } }, 400);
    }
    return c.json({ error: { type: 'api_error', message: `sandbox: ${error.message}` } }, 500);
  });
  return { app, state, systems };
}
