import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host';

describe('isLoopbackHost', () => {
  it('takes loopback names and addresses, with or without a port', () => {
    for (const host of [
      'localhost',
      'localhost:8080',
      'LOCALHOST:8080',
      'dash.localhost:8080',
      '127.0.0.1',
      '127.0.0.1:8080',
      '127.255.10.3:1',
      '127.1:8080',
      '2130706433',
      '0x7f.0.0.1',
      '[::1]',
      '[::1]:8080',
      '[0:0:0:0:0:0:0:1]:8080',
      '[::ffff:127.0.0.1]:8080',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('refuses every other name or address, and anything that is not a plain host', () => {
    for (const host of [
      '',
      'attacker.example',
      'attacker.example:8080',
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
      'localhost.',
      '0.0.0.0:8080',
      '10.0.0.1',
      '128.0.0.1',
      '[::]:8080',
      '[::2]',
      '[::ffff:10.0.0.1]',
      '127.0.0.1@attacker.example',
      'attacker.example@127.0.0.1',
      '127.0.0.1/x',
      '127.0.0.1:8080:80',
      'localhost:99999999',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
