import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { EgressBlockedError } from '../errors/http-error';
import { classifyAddress, type IpAddress, parseAddress, specialRange } from './address-class';

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

/** How names are resolved: `dns.lookup` with `all: true`. */
export type Resolver = (
  hostname: string,
  options: { all: true; verbatim: true },
) => Promise<Array<{ address: string; family: number }>>;

/**
 * The guard behind every connector's HTTP client. An address is judged
 * after every IPv6 form of an IPv4 address was seen through (see
 * address-class.ts): `::ffff:127.0.0.1`, `::7f00:1` and `64:ff9b::7f00:1`
 * are all 127.0.0.1, and a 6to4, Teredo or ISATAP address is refused when
 * an IPv4 address it leads to is not public.
 *
 * @param resolver how names are resolved @default dns.lookup
 */
export function createEgressGuard(policy: EgressPolicy = {}, resolver: Resolver = dnsLookup): EgressGuard {
  const names: string[] = [];
  const ranges: Array<[IpAddress, number]> = [];
  for (const entry of policy.allow ?? []) {
    const value = entry.trim().toLowerCase();
    if (value === 'loopback' || value === 'private') {
      for (const cidr of value === 'loopback' ? LOOPBACK : PRIVATE) ranges.push(ipaddr.parseCIDR(cidr));
    } else if (value.includes('/')) {
      ranges.push(ipaddr.parseCIDR(value));
    } else if (ipaddr.isValid(stripBrackets(value))) {
      const { ip } = classifyAddress(stripBrackets(value));
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else {
      names.push(value);
    }
  }

  const nameAllowed = (hostname: string) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return names.some((n) => (n.startsWith('*.') ? host.endsWith(n.slice(1)) : host === n));
  };

  const listed = (ip: IpAddress) =>
    ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));

  /** Why `address` is refused, or undefined when it may be reached. */
  const refusal = (address: string): string | undefined => {
    const written = parseAddress(address);
    // An entry for the address as written (an IPv6 range, say) lets it through whatever it carries.
    if (listed(written)) return undefined;
    const { ip, form, tunnelled } = classifyAddress(address);
    const as = form ? `, the ${form} form of ${ip.toString()}` : '';
    for (const target of tunnelled) {
      const range = specialRange(target);
      if (range && !listed(target)) return `a ${form} address leading to ${target.toString()} (${range})`;
    }
    if (listed(ip)) return undefined;
    const range = specialRange(ip);
    return range ? `${range}${as}` : undefined;
  };

  const refuse = (hostname: string, address: string, why: string) => {
    const allow = allowEntryFor(address);
    return new EgressBlockedError(
      `Refused to connect to ${hostname} (${address}: ${why}): not a public address. ` +
        `If this is intended, allow it on the connector instance in baton.config.json: "egress": { "allow": ["${allow}"] }.`,
      { details: { host: hostname, allow } },
    );
  };

  return {
    checkHost(hostname) {
      const bare = stripBrackets(hostname);
      if (!isIP(bare) || nameAllowed(bare)) return;
      const why = refusal(bare);
      if (why) throw refuse(hostname, bare, why);
    },
    async lookup(hostname, options) {
      const results = await resolver(hostname, { ...options, all: true, verbatim: true });
      if (!nameAllowed(hostname)) {
        // Every address is checked, not only the first: the socket may dial any of them.
        for (const result of results) {
          const why = refusal(result.address);
          if (why) throw refuse(hostname, result.address, why);
        }
      }
      return results;
    },
  };
}

/**
 * The `egress.allow` entry that lets `address` through: the keyword
 * `loopback` or `private` when it is in one of those ranges (in any of its
 * IPv6 forms), else the address itself.
 */
export function allowEntryFor(address: string): string {
  const { ip } = classifyAddress(address);
  const within = (cidrs: readonly string[]) =>
    cidrs.some((cidr) => {
      const [base, bits] = ipaddr.parseCIDR(cidr);
      return base.kind() === ip.kind() && ip.match(base, bits);
    });
  if (within(LOOPBACK)) return 'loopback';
  if (within(PRIVATE)) return 'private';
  return ip.toString();
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
