import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac, keyOf } from './crypto';

describe('HMAC keys', () => {
  const base64 = (secret: string) => Buffer.from(secret, 'base64');

  it('keeps a decoded secret apart from a plain one, whatever their text', () => {
    expect(keyOf('YWJj', base64).export()).toEqual(Buffer.from('abc'));
    // The plain secret whose text looks like a tag for the decoded one gets its own bytes.
    expect(keyOf('decoded:YWJj').export()).toEqual(Buffer.from('decoded:YWJj'));
    expect(keyOf('YWJj').export()).toEqual(Buffer.from('YWJj'));
    expect(keyOf('YWJj', base64)).toBe(keyOf('YWJj', base64));
  });

  it('signs as createHmac does with the secret, from its text or its key', () => {
    const expected = createHmac('sha256', 's3cret').update('a.').update(Buffer.from('body')).digest();
    expect(hmac('s3cret', 'a.', Buffer.from('body'))).toEqual(expected);
    expect(hmac(keyOf('s3cret'), 'a.', Buffer.from('body'))).toEqual(expected);
  });
});
