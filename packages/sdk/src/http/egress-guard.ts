import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { EgressBlockedError } from '../errors/http-error';

/**
 * Which non-public hosts a connector instance may reach. Public unicast
 * addresses are always allowed; everything else (loopback, private,
 * link-local, cloud metadata, multicast, reserved) only when listed here.
 *
 * Entries: a hostname (`localhost`), a wildcard (`*.corp.example`), an IP
 * (`127.0.0.1`, `::1`), a CIDR range (`10.0.0.0/8`), or the keywords
 * `loopback` and `private` for those whole ranges.
 */
export interface EgressPolicy {
  allow?: readonly string[];
}

const LOOPBACK = ['127.0.0.0/8', '::1/128'];
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '100.64.0.0/10'];

export interface EgressGuard {
  /** Throws when `hostname` is an IP literal the policy forbids. */
  checkHost(hostname: string): void;
  /** A `dns.lookup` replacement that refuses forbidden resolved addresses. */
  lookup(hostname: string, options: object): Promise<Array<{ address: string; family: number }>>;
}

export function createEgressGuard(policy: EgressPolicy = {}): EgressGuard {
  const names: string[] = [];
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const entry of policy.allow ?? []) {
    const value = entry.trim().toLowerCase();
    if (value === 'loopback' || value === 'private') {
      for (const cidr of value === 'loopback' ? LOOPBACK : PRIVATE) ranges.push(ipaddr.parseCIDR(cidr));
    } else if (value.includes('/')) {
      ranges.push(ipaddr.parseCIDR(value));
    } else if (ipaddr.isValid(stripBrackets(value))) {
      const ip = normalize(ipaddr.parse(stripBrackets(value)));
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else {
      names.push(value);
    }
  }

  const nameAllowed = (hostname: string) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return names.some((n) => (n.startsWith('*.') ? host.endsWith(n.slice(1)) : host === n));
  };

  const addressAllowed = (address: string) => {
    const ip = normalize(ipaddr.parse(address));
    if (ip.range() === 'unicast') return true;
    return ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));
  };

  const refuse = (hostname: string, address: string) =>
    new EgressBlockedError(
      `Refused to connect to ${hostname} (${address}): not a public address. ` +
        `Allow it in the connector instance's "egress.allow" if this is intended.`,
      { details: { host: hostname } },
    );

  return {
    checkHost(hostname) {
      const bare = stripBrackets(hostname);
      if (!isIP(bare) || nameAllowed(bare)) return;
      if (!addressAllowed(bare)) throw refuse(hostname, bare);
    },
    async lookup(hostname, options) {
      const results = await dnsLookup(hostname, { ...options, all: true, verbatim: true });
      if (!nameAllowed(hostname)) {
        for (const result of results) {
          if (!addressAllowed(result.address)) throw refuse(hostname, result.address);
        }
      }
      return results;
    },
  };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 it carries. */
function normalize(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (ip as ipaddr.IPv6).toIPv4Address();
  }
  return ip;
}
