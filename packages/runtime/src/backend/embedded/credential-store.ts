import type { CredentialStore, StoredCredentials } from '@baton/sdk/host';

/**
 * Connector instances' OAuth2 credentials in process memory: the embedded
 * backend's one process is the whole hub, so nothing is shared and nothing
 * is written to disk. Values are copied in and out, so a caller that edits
 * what it read cannot change what is stored.
 */
export class EmbeddedCredentialStore implements CredentialStore {
  private readonly credentials = new Map<string, StoredCredentials>();
  /** The refresh lock of each instance: when it expires (epoch ms). */
  private readonly locks = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(instance: string): Promise<StoredCredentials | undefined> {
    const stored = this.credentials.get(instance);
    return stored ? structuredClone(stored) : undefined;
  }

  async set(instance: string, credentials: StoredCredentials): Promise<void> {
    this.credentials.set(instance, structuredClone(credentials));
  }

  async lock(instance: string, ttlMs: number): Promise<boolean> {
    const until = this.locks.get(instance);
    if (until !== undefined && until > this.now()) return false;
    this.locks.set(instance, this.now() + ttlMs);
    return true;
  }

  async unlock(instance: string): Promise<void> {
    this.locks.delete(instance);
  }
}
