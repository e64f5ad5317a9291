import { describe, expect, it } from 'vitest';
import { EgressBlockedError } from '../errors/http-error';
import { classifyAddress } from './address-class';
import { createEgressGuard, type Resolver } from './egress-guard';

const refused = (allow: string[] = []) => {
  const guard = createEgressGuard({ allow });
  return (host: string) => {
    try {
      guard.checkHost(host);
      return false;
    } catch (error) {
      expect(error).toBeInstanceOf(EgressBlockedError);
      return true;
    }
  };
};

describe('classifyAddress', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', '127.0.0.1', 'IPv4-mapped'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', '169.254.169.254', 'IPv4-mapped'],
    ['::ffff:0:a00:1', '10.0.0.1', 'IPv4-translated'],
    ['::127.0.0.1', '127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', '127.0.0.1', 'IPv4-compatible'],
    ['::a9fe:a9fe', '169.254.169.254', 'IPv4-compatible'],
    ['64:ff9b::127.0.0.1', '127.0.0.1', 'NAT64'],
    ['64:ff9b::808:808', '8.8.8.8', 'NAT64'],
  ])('sees %s as %s (%s)', (address, ipv4, form) => {
    const result = classifyAddress(address);
    expect(result.ip.kind()).toBe('ipv4');
    expect(result.ip.toString()).toBe(ipv4);
    expect(result.form).toBe(form);
  });

  it.each([
    ['2002:7f00:1::', '6to4', ['127.0.0.1']],
    ['2002:c0a8:101::1', '6to4', ['192.168.1.1']],
    // Teredo: server 65.54.227.120, client 127.0.0.1 obfuscated (every bit inverted).
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo', ['65.54.227.120', '127.0.0.1']],
    ['2001:db9::5efe:10.0.0.1', 'ISATAP', ['10.0.0.1']],
    ['2a00:1450::200:5efe:7f00:1', 'ISATAP', ['127.0.0.1']],
  ])('lists where the tunnel address %s leads (%s)', (address, form, targets) => {
    const result = classifyAddress(address);
    expect(result.form).toBe(form);
    expect(result.ip.kind()).toBe('ipv6');
    expect(result.tunnelled.map(String)).toEqual(targets);
  });

  it('keeps IPv6 loopback and unspecified as themselves', () => {
    expect(classifyAddress('::1')).toMatchObject({ tunnelled: [] });
    expect(classifyAddress('::1').ip.kind()).toBe('ipv6');
    expect(classifyAddress('::').ip.kind()).toBe('ipv6');
  });
});

describe('egress guard: which literal addresses are refused by default', () => {
  const isRefused = refused();

  it.each([
    // IPv4 special ranges
    '0.0.0.0',
    '0.1.2.3',
    '10.1.2.3',
    '100.64.0.1',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.31.255.255',
    '192.0.0.170',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.0.1',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6 special ranges
    '::',
    '::1',
    '[::1]',
    '::2',
    '100::1',
    '2001:db8::1',
    '3fff::1',
    '5f00::1',
    'fc00::1',
    'fd00:ec2::254',
    'fe80::1',
    'fec0::1',
    'ff02::1',
    '64:ff9b:1::a00:1',
    // IPv6 forms of non-public IPv4 addresses
    '::ffff:127.0.0.1',
    '[::ffff:7f00:1]',
    '::ffff:169.254.169.254',
    '::ffff:0:10.0.0.1',
    '::127.0.0.1',
    '[::7f00:1]',
    '::0.0.0.0',
    '::10.0.0.1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::c0a8:1',
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
    '2001:0:808:808:8000:63bf:f7f7:f7f7',
    '2001:db9::5efe:10.0.0.1',
    '2a00:1450::200:5efe:7f00:1',
  ])('refuses %s', (address) => {
    expect(isRefused(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '2a00:1450:4001:82b::200e',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2a00:1450::200:5efe:808:808',
  ])('lets %s through', (address) => {
    expect(isRefused(address)).toBe(false);
  });

  it('lets names through to the resolved-address check', () => {
    expect(isRefused('localhost')).toBe(false);
    expect(isRefused('metadata.google.internal')).toBe(false);
  });
});

describe('egress guard: allow entries', () => {
  it('allows the IPv6 forms of an allowed IPv4 address, and nothing tunnelled', () => {
    const isRefused = refused(['loopback']);
    for (const address of [
      '127.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
    ])
      expect(isRefused(address), address).toBe(false);
    // A tunnel leads elsewhere than this machine's loopback: still refused.
    expect(isRefused('2002:7f00:1::')).toBe(true);
    expect(isRefused('10.0.0.1')).toBe(true);
    expect(isRefused('::ffff:10.0.0.1')).toBe(true);
  });

  it('allows an address written in an IPv6 form, and a tunnel range listed as such', () => {
    expect(refused(['::ffff:10.0.0.5'])('10.0.0.5')).toBe(false);
    expect(refused(['10.0.0.5'])('::ffff:a00:5')).toBe(false);
    expect(refused(['2002::/16'])('2002:a00:1::')).toBe(false);
    expect(refused(['private'])('::ffff:192.168.1.1')).toBe(false);
  });
});

describe('egress guard: resolved addresses', () => {
  const answering =
    (...addresses: string[]): Resolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it.each([
    ['::ffff:127.0.0.1'],
    ['::7f00:1'],
    ['64:ff9b::a9fe:a9fe'],
    ['2002:a00:1::1'],
    ['fec0::1'],
    ['93.184.216.34', '::ffff:10.0.0.1'],
  ])('refuses a name when any address it resolves to is not public: %s', async (...addresses) => {
    const guard = createEgressGuard({}, answering(...addresses));
    await expect(guard.lookup('api.example.com', {})).rejects.toBeInstanceOf(EgressBlockedError);
  });

  it('resolves a name with only public addresses', async () => {
    const guard = createEgressGuard({}, answering('93.184.216.34', '64:ff9b::5db8:d822'));
    await expect(guard.lookup('api.example.com', {})).resolves.toHaveLength(2);
  });
});
