import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the payload parts, one after the other, with `key`. */
export function hmac(key: string | Buffer, ...payload: Array<string | Buffer>): Buffer {
  const mac = createHmac('sha256', key);
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
