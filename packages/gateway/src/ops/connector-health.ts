import { type CheckResult, checkInstance } from '@baton/runtime/internal';
import { BatonError, isBatonError } from '@baton/sdk';
import type { ConnectorInstance, CredentialStatus } from '@baton/sdk/host';

export type { CheckResult };

/** Options of `createConnectorHealth`. */
export interface ConnectorHealthOptions {
  instances: ReadonlyMap<string, ConnectorInstance>;
  /** A check that takes longer fails with TIMEOUT. @default 10 000 */
  timeoutMs?: number;
  /** How long a result is answered again without calling the provider. @default 15 000 */
  cacheMs?: number;
  now?: () => number;
}

/** Connector instances' health checks, run on demand and remembered briefly. */
export interface ConnectorHealth {
  /** True when the hub has an instance of that name. */
  has(instance: string): boolean;
  /**
   * The instance's check result: the remembered one while it is younger than
   * `cacheMs`, else a new check. `refresh` checks again whatever the age.
   * Callers asking while a check runs share it: never two checks of one
   * instance at once.
   */
  check(instance: string, options?: { refresh?: boolean }): Promise<CheckResult & { cached: boolean }>;
  /** The last result, without checking (metrics). */
  last(instance: string): CheckResult | undefined;
  /** The instance's credentials as its credential store holds them; a store that cannot be read says `unknown` and why. */
  credentials(instance: string): Promise<CredentialStatus>;
  names(): string[];
}

/**
 * The health checks behind `GET /api/connectors/:id/health`. A check is the
 * connector's own `check` (one cheap call that proves the credentials work;
 * for an OAuth2 instance without one, getting a token). Results are kept
 * for `cacheMs` and concurrent asks share one check, so the endpoint cannot
 * be used to hammer a provider.
 */
export function createConnectorHealth(options: ConnectorHealthOptions): ConnectorHealth {
  const { instances } = options;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cacheMs = options.cacheMs ?? 15_000;
  const results = new Map<string, CheckResult>();
  const running = new Map<string, Promise<CheckResult>>();

  const instanceOf = (name: string): ConnectorInstance => {
    const instance = instances.get(name);
    if (!instance) {
      throw new BatonError(`no connector instance "${name}"`, { code: 'CONNECTOR_NOT_FOUND' });
    }
    return instance;
  };

  const runCheck = (name: string, instance: ConnectorInstance): Promise<CheckResult> => {
    let pending = running.get(name);
    if (!pending) {
      pending = checkInstance(instance, { timeoutMs, now }).then((result) => {
        results.set(name, result);
        running.delete(name);
        return result;
      });
      running.set(name, pending);
    }
    return pending;
  };

  return {
    has: (name) => instances.has(name),
    names: () => [...instances.keys()],
    last: (name) => results.get(name),
    async check(name, checkOptions = {}) {
      const instance = instanceOf(name);
      const known = results.get(name);
      const fresh = known?.checkedAt !== undefined && now() - known.checkedAt < cacheMs;
      if (known && fresh && !checkOptions.refresh && !running.has(name)) return { ...known, cached: true };
      return { ...(await runCheck(name, instance)), cached: false };
    },
    async credentials(name) {
      try {
        return await instanceOf(name).credentialStatus();
      } catch (error) {
        if (isBatonError(error) && error.code === 'CONNECTOR_NOT_FOUND') throw error;
        return { state: 'unknown', reason: messageOf(error) };
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
