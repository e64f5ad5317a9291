import { randomBytes } from 'node:crypto';
import { BatonError } from '@baton/sdk';
import type { CredentialStore, StoredCredentials } from '@baton/sdk/host';
import type { RedisClient } from './client';
import type { CredentialCipher } from './credential-cipher';
import { guard } from './errors';
import type { Keys } from './keys';
import { UNLOCK_OWN_LUA } from './lua/unlock-own';

/**
 * Connector instances' OAuth2 credentials in Redis, shared by every process
 * of the hub: one key per instance holding the credentials as JSON,
 * encrypted with AES-256-GCM (credential-cipher.ts), so the tokens are never
 * in Redis's memory, its AOF or a backup in clear. Without a key
 * (`BATON_CREDENTIALS_KEY` unset) reads and writes fail with
 * CREDENTIALS_KEY_MISSING rather than store tokens in clear.
 *
 * The refresh lock is `SET NX PX` holding a random token of this store, and
 * is released only while it still holds that token (a Lua compare and
 * delete), so a holder that outlived its lock never frees another's.
 */
export class RedisCredentialStore implements CredentialStore {
  /** The token of each lock this store holds, by instance. */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly cipher: CredentialCipher | undefined,
  ) {}

  async get(instance: string): Promise<StoredCredentials | undefined> {
    const cipher = this.requireCipher(instance);
    const key = this.keys.credentials(instance);
    const stored = await guard(() => this.redis.get(key));
    if (stored === null) return undefined;
    // A value still under the previous key is read with it; the next write re-encrypts it with the new one.
    return parseCredentials(cipher.decrypt(stored, key, `the stored credentials of "${instance}"`), instance);
  }

  async set(instance: string, credentials: StoredCredentials): Promise<void> {
    const cipher = this.requireCipher(instance);
    const key = this.keys.credentials(instance);
    const value = cipher.encrypt(JSON.stringify(credentials), key);
    await guard(() => this.redis.set(key, value));
  }

  async lock(instance: string, ttlMs: number): Promise<boolean> {
    const token = randomBytes(12).toString('hex');
    const taken = await guard(() =>
      this.redis.set(this.keys.credentialsLock(instance), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
    );
    if (taken !== 'OK') return false;
    this.held.set(instance, token);
    return true;
  }

  async unlock(instance: string): Promise<void> {
    const token = this.held.get(instance);
    if (token === undefined) return;
    this.held.delete(instance);
    await guard(() => this.redis.eval(UNLOCK_OWN_LUA, 1, this.keys.credentialsLock(instance), token));
  }

  private requireCipher(instance: string): CredentialCipher {
    if (this.cipher) return this.cipher;
    throw new BatonError(
      `connector instance "${instance}" uses OAuth2, and the Redis backend keeps its tokens only encrypted: set BATON_CREDENTIALS_KEY (32 bytes as base64, such as the output of: openssl rand -base64 32) in the environment of every Baton process`,
      { code: 'CREDENTIALS_KEY_MISSING', retryable: false },
    );
  }
}

function parseCredentials(plaintext: string, instance: string): StoredCredentials {
  let value: unknown;
  try {
    value = JSON.parse(plaintext);
  } catch {
    value = undefined;
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as StoredCredentials).fingerprint !== 'string'
  ) {
    throw new BatonError(`the stored credentials of "${instance}" are not credentials Baton wrote`, {
      code: 'CREDENTIALS_UNREADABLE',
      retryable: false,
    });
  }
  return value as StoredCredentials;
}
