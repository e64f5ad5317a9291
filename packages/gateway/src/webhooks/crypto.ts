import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** How a secret's text becomes its key bytes. */
type Decode = (secret: string) => Buffer;

const utf8: Decode = (secret) => Buffer.from(secret, 'utf8');

/** Keys made from secrets, by decoding and secret: a key object is made once, not on every request. */
const keys = new Map<Decode, Map<string, KeyObject>>();

/**
 * The HMAC key of a secret: its UTF-8 bytes, or with `decode`, the bytes it
 * encodes (a Standard Webhooks `whsec_` secret is base64).
 */
export function keyOf(secret: string, decode: Decode = utf8): KeyObject {
  let byDecode = keys.get(decode);
  if (!byDecode) {
    byDecode = new Map();
    keys.set(decode, byDecode);
  }
  let key = byDecode.get(secret);
  if (!key) {
    key = createSecretKey(decode(secret));
    byDecode.set(secret, key);
  }
  return key;
}

/** HMAC-SHA256 of the payload parts, one after the other, with the key of `secret` (see keyOf). */
export function hmac(secret: string | KeyObject, ...payload: Array<string | Buffer>): Buffer {
  const mac = createHmac('sha256', typeof secret === 'string' ? keyOf(secret) : secret);
  for (const part of payload) mac.update(part);
  return mac.digest();
}

/**
 * Compares a computed MAC with a claimed one in constant time. A claim of
 * another length (or not decodable) is simply not equal.
 */
export function safeEqual(expected: Buffer, claimed: Buffer): boolean {
  return expected.length === claimed.length && timingSafeEqual(expected, claimed);
}

export function fromHex(text: string): Buffer {
  return /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.alloc(0);
}

export function fromBase64(text: string): Buffer {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
}
