import { Hono } from 'hono';
import { z } from 'zod';
import { control } from './control';
import { faultsAndLedger } from './faults';
import { SandboxState } from './state';
import type { SandboxSystem } from './system';
import { systems as allSystems } from './systems/index';
import { type WebhookEndpointOptions, webhookEndpointSchema } from './webhooks/endpoint';

export interface SandboxAppOptions {
  /** Systems to mount. @default every system */
  systems?: SandboxSystem[];
  /** Shared state; pass one to inspect it from the same process. */
  state?: SandboxState;
  /**
   * Webhook endpoints by system name (`stripe`, `easypost`), set from the
   * start and restored by every reset; `PUT /_sandbox/webhooks/:system`
   * changes them at run time.
   * @default none
   */
  webhooks?: Record<string, WebhookEndpointOptions>;
}

/**
 * The sandbox as a Hono app: every system under its prefix (with fault
 * injection, its rate limit and the ledger in front of it) and the control
 * API under `/_sandbox`.
 */
export function createSandboxApp(options: SandboxAppOptions = {}) {
  const state = options.state ?? new SandboxState();
  const systems = options.systems ?? allSystems;
  configureWebhooks(state, systems, options.webhooks ?? {});
  const app = new Hono();
  app.route('/_sandbox', control(state, systems));
  const mounts: Array<{ prefix: string; sub: Hono }> = [];
  for (const system of systems) {
    const sub = new Hono();
    const controlRoutes = new Hono();
    sub.use('*', faultsAndLedger(system, state));
    sub.route('/', system.create(state, controlRoutes));
    for (const prefix of [system.prefix, ...(system.aliases ?? [])]) mounts.push({ prefix, sub });
    app.route(`/_sandbox/${system.name}`, controlRoutes);
  }
  // Longest prefix first: `/hubspot/oauth/v1` must answer before `/hubspot`'s middleware refuses a request without a bearer token.
  for (const { prefix, sub } of mounts.sort((a, b) => b.prefix.length - a.prefix.length)) {
    app.route(prefix, sub);
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

function configureWebhooks(
  state: SandboxState,
  systems: SandboxSystem[],
  endpoints: Record<string, WebhookEndpointOptions>,
): void {
  for (const [name, given] of Object.entries(endpoints)) {
    const system = systems.find((s) => s.name === name);
    if (!system?.webhooks) {
      const senders = systems.filter((s) => s.webhooks).map((s) => s.name);
      throw new TypeError(
        `sandbox: webhooks.${name}: no mounted system by that name sends webhooks; senders: ${senders.join(', ') || 'none'}`,
      );
    }
    const parsed = webhookEndpointSchema.safeParse(given);
    if (!parsed.success) {
      throw new TypeError(`sandbox: webhooks.${name}: ${z.prettifyError(parsed.error)}`);
    }
    state.webhooks.configure(name, parsed.data, { initial: true });
  }
}
