import type { Backend } from '../backend/types';
import { createEngine, type Engine } from '../engine/engine';
import { parseDuration } from '../flow/duration';
import type { EngineLogger } from '../log/logger';
import type { Hub } from './load-hub';

/** The engine for a loaded hub: its flows, connector instances, breaker settings, provider limits and dedup window. */
export function createHubEngine(hub: Hub, backend: Backend, options: { log?: EngineLogger } = {}): Engine {
  // Every instance's OAuth2 token from now on lives in the backend, shared by every worker.
  hub.credentials.use(backend.credentials);
  return createEngine({
    flows: hub.flows,
    instances: hub.instances,
    backend,
    ...(options.log ? { log: options.log } : {}),
    breakers: Object.fromEntries(
      Object.entries(hub.config.connectors ?? {}).map(([name, c]) => [name, c.breaker]),
    ),
    limits: Object.fromEntries(
      Object.entries(hub.config.connectors ?? {}).map(([name, c]) => [name, c.limits]),
    ),
    ...(hub.config.dedupWindow ? { dedupWindowMs: parseDuration(hub.config.dedupWindow) } : {}),
  });
}
