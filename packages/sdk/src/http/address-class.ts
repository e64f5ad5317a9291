import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Ranges that are never a public destination, listed here rather than
 * only trusted to the library's `range()`, whose table differs between
 * its versions (site-local, discard-only and the documentation prefixes
 * came late). An address is public only when neither calls it special.
 */
const NON_PUBLIC: ReadonlyArray<[string, string]> = [
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  // What remains of ::/8 once the IPv4 forms in it are unwrapped: ::, ::1 and unassigned space.
  ['::/8', 'reserved'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/23', 'IETF protocol assignments (Teredo, benchmarking, ORCHID…)'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segment routing'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
];

const SPECIAL = NON_PUBLIC.map(([cidr, label]) => ({ range: ipaddr.parseCIDR(cidr), label }));
const WELL_KNOWN_NAT64 = ipaddr.parse('64:ff9b::') as ipaddr.IPv6;

/** What an address is, once every IPv6 form of an IPv4 address was seen through. */
export interface AddressClass {
  /** The address judged: the IPv4 address itself for the forms that are that address. */
  ip: IpAddress;
  /** How the written address carried `ip` (`IPv4-mapped` …), when it was one of those forms. */
  form?: string;
  /** IPv4 addresses a tunnel address (6to4, Teredo, ISATAP) leads to; each must be public too. */
  tunnelled: ipaddr.IPv4[];
}

/**
 * Classifies a literal address. IPv6 forms that are an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated `::ffff:0:a.b.c.d`,
 * IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) become that
 * IPv4 address; tunnel forms keep their IPv6 address and list the IPv4
 * addresses they lead to (6to4's, Teredo's server and de-obfuscated
 * client, ISATAP's). Throws on text that is not an address.
 */
export function classifyAddress(address: string): AddressClass {
  const parsed = parseAddress(address);
  if (parsed.kind() === 'ipv4') return { ip: parsed, tunnelled: [] };
  const ip = parsed as ipaddr.IPv6;
  const b = ip.toByteArray();
  const zero = (from: number, to: number) => b.slice(from, to).every((byte) => byte === 0);
  const v4 = (at: number, invert = false) =>
    new ipaddr.IPv4(b.slice(at, at + 4).map((byte) => (invert ? ~byte & 0xff : byte)));

  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff)
    return { ip: v4(12), form: 'IPv4-mapped', tunnelled: [] };
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12))
    return { ip: v4(12), form: 'IPv4-translated', tunnelled: [] };
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  if (zero(0, 12) && !zero(12, 15)) return { ip: v4(12), form: 'IPv4-compatible', tunnelled: [] };
  if (ip.match(WELL_KNOWN_NAT64, 96)) return { ip: v4(12), form: 'NAT64', tunnelled: [] };

  if (b[0] === 0x20 && b[1] === 0x02) return { ip, form: '6to4', tunnelled: [v4(2)] };
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0)
    return { ip, form: 'Teredo', tunnelled: [v4(4), v4(12, true)] };
  // ISATAP interface ids: 0000:5efe or 0200:5efe (universal/local bit), either group bit.
  if ((b[8]! & 0xfc) === 0 && b[9] === 0 && b[10] === 0x5e && b[11] === 0xfe)
    return { ip, form: 'ISATAP', tunnelled: [v4(12)] };
  return { ip, tunnelled: [] };
}

/**
 * Parses a literal address. IPv6 text goes through the WHATWG URL parser
 * first, the one that read the request's URL: ipaddr.js reads the
 * IPv4-compatible `::127.0.0.1` as IPv4-mapped, and this keeps both sides
 * agreeing on every spelling. A zone (`%eth0`) is dropped.
 */
export function parseAddress(address: string): IpAddress {
  if (!address.includes(':')) return ipaddr.parse(address);
  const bare = address.split('%')[0]!;
  let canonical = bare;
  try {
    canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    // Not an IPv6 address by WHATWG's rules either: ipaddr.js says why below.
  }
  return ipaddr.IPv6.parse(canonical);
}

/** Why an address is not public (`loopback`, `documentation` …), or undefined when it is. */
export function specialRange(ip: IpAddress): string | undefined {
  for (const { range, label } of SPECIAL) {
    if (range[0].kind() === ip.kind() && ip.match(range)) return label;
  }
  const range = ip.range();
  return range === 'unicast' ? undefined : range;
}
