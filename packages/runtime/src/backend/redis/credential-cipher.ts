import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { BatonError } from '@baton/sdk';

/** The keys credentials are encrypted with, as the environment gives them (base64 or hex). */
export interface CredentialKeys {
  /** `BATON_CREDENTIALS_KEY`: encrypts every write, and reads what it wrote. */
  current?: string | undefined;
  /** `BATON_CREDENTIALS_KEY_PREVIOUS`: during a rotation, still reads what the old key wrote. */
  previous?: string | undefined;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

interface NamedKey {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM for credentials at rest. A stored value is
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url): a random IV per write,
 * the authentication tag, and the id of the key that wrote it (a hash, not
 * the key), so a value written before a rotation is read with the previous
 * key and a value written with a key this process does not have fails
 * clearly instead of decrypting to garbage. `context` (the Redis key) is
 * authenticated too: a value copied under another instance's key does not
 * decrypt.
 */
export class CredentialCipher {
  private readonly current: NamedKey;
  private readonly readable: NamedKey[];

  private constructor(current: Buffer, previous: Buffer | undefined) {
    this.current = named(current);
    this.readable = [this.current, ...(previous ? [named(previous)] : [])];
  }

  /**
   * The cipher for the given keys, or undefined without a current key.
   * Throws CREDENTIALS_KEY_INVALID for a key that is not 32 bytes in base64
   * or hex, and for a previous key without a current one.
   */
  static fromKeys(keys: CredentialKeys): CredentialCipher | undefined {
    const current = present(keys.current);
    const previous = present(keys.previous);
    if (current === undefined) {
      if (previous !== undefined) {
        throw new BatonError(
          'BATON_CREDENTIALS_KEY_PREVIOUS is set without BATON_CREDENTIALS_KEY: set the new key too (the previous one only reads)',
          { code: 'CREDENTIALS_KEY_INVALID' },
        );
      }
      return undefined;
    }
    return new CredentialCipher(
      parseKey(current, 'BATON_CREDENTIALS_KEY'),
      previous === undefined ? undefined : parseKey(previous, 'BATON_CREDENTIALS_KEY_PREVIOUS'),
    );
  }

  /** The id of the key that encrypts, as stored values carry it. */
  get keyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.current.id, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  /** The plaintext; `what` names the value in errors. */
  decrypt(stored: string, context: string, what: string): string {
    const parts = stored.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) {
      throw unreadable(`${what} are not in Baton's encrypted format`);
    }
    const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
    const named = this.readable.find((k) => k.id === keyId);
    if (!named) {
      throw unreadable(
        `${what} were encrypted with another key (key id ${keyId}; BATON_CREDENTIALS_KEY has id ${this.current.id}): set BATON_CREDENTIALS_KEY_PREVIOUS to the key they were written with`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', named.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw unreadable(`${what} failed authentication: they were altered, or copied from another key`);
    }
  }
}

/**
 * A 32-byte key from its text: 64 hex digits, or base64 (standard or URL
 * alphabet). The message never repeats the value.
 */
export function parseKey(text: string, variable: string): Buffer {
  const value = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) key = Buffer.from(value, 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new BatonError(
      `${variable} must be ${KEY_BYTES} bytes written as base64 (44 characters) or hex (64 characters); make one with: openssl rand -base64 32`,
      { code: 'CREDENTIALS_KEY_INVALID' },
    );
  }
  return key;
}

function named(key: Buffer): NamedKey {
  return {
    id: createHash('sha256').update('baton-credentials-key\0').update(key).digest('hex').slice(0, 12),
    key,
  };
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function unreadable(message: string): BatonError {
  return new BatonError(message, { code: 'CREDENTIALS_UNREADABLE', retryable: false });
}
