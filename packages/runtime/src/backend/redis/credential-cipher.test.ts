import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialCipher, parseKey } from './credential-cipher';

const KEY = randomBytes(32).toString('base64');
const OTHER = randomBytes(32).toString('hex');
const SECRET = '{"fingerprint":"f","accessToken":"tok_live_9f8e7d"}';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('the credentials cipher', () => {
  it('reads keys of 32 bytes in base64, base64url or hex, and nothing else', () => {
    const bytes = randomBytes(32);
    expect(parseKey(bytes.toString('base64'), 'K')).toEqual(bytes);
    expect(parseKey(bytes.toString('base64url'), 'K')).toEqual(bytes);
    expect(parseKey(bytes.toString('hex'), 'K')).toEqual(bytes);
    for (const bad of [
      '',
      'short',
      randomBytes(16).toString('base64'),
      `${bytes.toString('hex')}00`,
      'a b',
    ]) {
      expect(codeOf(() => parseKey(bad, 'K'))).toBe('CREDENTIALS_KEY_INVALID');
    }
    let message = '';
    try {
      parseKey('not-a-key-but-a-secret', 'BATON_CREDENTIALS_KEY');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('BATON_CREDENTIALS_KEY must be 32 bytes');
    expect(message).not.toContain('not-a-key-but-a-secret');
  });

  it('has no cipher without a key, and refuses a previous key alone', () => {
    expect(CredentialCipher.fromKeys({})).toBeUndefined();
    expect(CredentialCipher.fromKeys({ current: '  ' })).toBeUndefined();
    expect(codeOf(() => CredentialCipher.fromKeys({ previous: KEY }))).toBe('CREDENTIALS_KEY_INVALID');
  });

  it('round-trips with a fresh IV each time, and authenticates the context', () => {
    const cipher = CredentialCipher.fromKeys({ current: KEY })!;
    const a = cipher.encrypt(SECRET, 'k:crm');
    const b = cipher.encrypt(SECRET, 'k:crm');
    expect(a).not.toBe(b);
    expect(a).not.toContain('tok_live');
    expect(a.startsWith(`v1.${cipher.keyId}.`)).toBe(true);
    expect(cipher.decrypt(a, 'k:crm', 'x')).toBe(SECRET);
    // The same bytes under another instance's key do not decrypt.
    expect(codeOf(() => cipher.decrypt(a, 'k:billing', 'x'))).toBe('CREDENTIALS_UNREADABLE');
  });

  it('fails clearly on a value from another key or an altered one, and reads the previous key while rotating', () => {
    const old = CredentialCipher.fromKeys({ current: OTHER })!;
    const written = old.encrypt(SECRET, 'ctx');
    const rotated = CredentialCipher.fromKeys({ current: KEY })!;
    let message = '';
    try {
      rotated.decrypt(written, 'ctx', 'the stored credentials of "crm"');
    } catch (error) {
      expect((error as { code?: string }).code).toBe('CREDENTIALS_UNREADABLE');
      message = (error as Error).message;
    }
    expect(message).toContain('encrypted with another key');
    expect(message).toContain('BATON_CREDENTIALS_KEY_PREVIOUS');

    const rotating = CredentialCipher.fromKeys({ current: KEY, previous: OTHER })!;
    expect(rotating.decrypt(written, 'ctx', 'x')).toBe(SECRET);
    // New writes use the new key.
    expect(rotating.encrypt(SECRET, 'ctx').split('.')[1]).toBe(rotated.keyId);

    const parts = written.split('.');
    const flipped = Buffer.from(parts[4]!, 'base64url');
    flipped[0]! ^= 1;
    parts[4] = flipped.toString('base64url');
    expect(codeOf(() => old.decrypt(parts.join('.'), 'ctx', 'x'))).toBe('CREDENTIALS_UNREADABLE');
    expect(codeOf(() => old.decrypt(SECRET, 'ctx', 'x'))).toBe('CREDENTIALS_UNREADABLE');
  });
});
