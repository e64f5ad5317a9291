import type { CredentialStore, StoredCredentials } from './types';

/**
 * A credential store in this process's memory: what an instance uses when
 * its host gives none, and what tests share between two instances to play
 * two workers. Records are copied in and out, so no caller can change a
 * stored record behind the store's back. Nothing survives the process.
 *
 * @example
 * ```ts
 * const credentials = memoryCredentialStore();
 * const a = createConnectorInstance(connector, config, { name: 'crm', credentials });
 * const b = createConnectorInstance(connector, config, { name: 'crm', credentials });
 * // a and b share one token, refreshed by one of them at a time.
 * ```
 */
export function memoryCredentialStore(): CredentialStore {
  const records = new Map<string, StoredCredentials>();
  const locks = new Map<string, number>();
  return {
    async get(instance) {
      const record = records.get(instance);
      return record === undefined ? undefined : structuredClone(record);
    },
    async set(instance, credentials) {
      records.set(instance, structuredClone(credentials));
    },
    async lock(instance, ttlMs) {
      const now = Date.now();
      const until = locks.get(instance);
      if (until !== undefined && until > now) return false;
      locks.set(instance, now + ttlMs);
      return true;
    },
    async unlock(instance) {
      locks.delete(instance);
    },
  };
}
