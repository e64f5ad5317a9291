import type { CredentialStore, StoredCredentials } from '@baton/sdk/host';
import { EmbeddedCredentialStore } from '../backend/embedded/credential-store';

/**
 * The one credential store every connector instance of a hub goes through.
 * A hub is loaded (and its instances made) before its backend is opened,
 * since the backend's options come from the hub's config; so the instances
 * get this handle, which keeps tokens in this process until
 * `createHubEngine` points it at the backend's store with `use`. From then
 * on every worker of the hub shares one token per instance. Without a
 * backend (`baton validate --online`) tokens stay in this process.
 */
export class HubCredentials implements CredentialStore {
  private store: CredentialStore = new EmbeddedCredentialStore();

  /** Keeps credentials in `store` from now on (the hub's backend's); the latest call wins. */
  use(store: CredentialStore): void {
    this.store = store;
  }

  get(instance: string): Promise<StoredCredentials | undefined> {
    return this.store.get(instance);
  }

  set(instance: string, credentials: StoredCredentials): Promise<void> {
    return this.store.set(instance, credentials);
  }

  lock(instance: string, ttlMs: number): Promise<boolean> {
    return this.store.lock(instance, ttlMs);
  }

  unlock(instance: string): Promise<void> {
    return this.store.unlock(instance);
  }
}
