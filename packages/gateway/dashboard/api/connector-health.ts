import { ApiError, api } from './client';
import type { ConnectorHealth } from './types';

/** Each instance's health by name: its answer, or why it could not be read. */
export type HealthByInstance = Record<string, ConnectorHealth | ApiError>;

/** Requests in flight at once. */
const PARALLEL = 4;

/**
 * The health of each named instance (`GET /api/connectors/:id/health`), a
 * few at a time. The gateway remembers each check for 15 s, so reading
 * this often calls no provider more than that.
 */
export async function loadConnectorHealth(names: readonly string[]): Promise<HealthByInstance> {
  const health: HealthByInstance = {};
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      health[name] = await readHealth(name).catch((error: unknown) =>
        error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, names.length) }, worker));
  return health;
}

/** Checks the instance's credentials now, whatever the gateway remembers (`?refresh=1`). */
export function checkConnectorNow(name: string): Promise<ConnectorHealth> {
  return readHealth(name, true);
}

function readHealth(name: string, refresh = false): Promise<ConnectorHealth> {
  return api<ConnectorHealth>(`/connectors/${encodeURIComponent(name)}/health${refresh ? '?refresh=1' : ''}`);
}
