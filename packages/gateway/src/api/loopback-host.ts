import { isIPv4 } from 'node:net';

/** A name or a bracketed IPv6 address, then an optional port: what a browser puts in `Host`. */
const HOST_SHAPE = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
/** `::ffff:127.x.y.z` as the URL parser writes it: `[::ffff:7fxx:yyzz]`. */
const MAPPED_LOOPBACK = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/;

/**
 * Whether a `Host` value (with or without a port) names this machine:
 * `localhost` and names under `.localhost` (RFC 6761 reserves them for
 * loopback, so no one can point them elsewhere by DNS), 127.0.0.0/8 in any
 * of the forms the URL parser reads as an IPv4 address, `[::1]` and
 * IPv4-mapped loopback. A DNS-rebinding page sends its own name here,
 * which is none of these.
 */
export function isLoopbackHost(host: string): boolean {
  if (!HOST_SHAPE.test(host)) return false;
  let hostname: string;
  try {
    // The parser lower-cases and normalises (`127.1`, `0x7f.0.0.1` and `2130706433` all become 127.0.0.1).
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (isIPv4(hostname)) return hostname.startsWith('127.');
  return hostname === '[::1]' || MAPPED_LOOPBACK.test(hostname);
}
