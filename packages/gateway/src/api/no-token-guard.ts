import type { Context, MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors';
import { isLoopbackHost } from './loopback-host';

/** Methods that change nothing; every other one is state-changing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What stands in for the token when `BATON_API_TOKEN` is not set (and the
 * gateway listens on loopback only): any program on this machine may use
 * the API, but a web page in the operator's browser may not.
 *
 * - The `Host` (and the request URL's host) must be a loopback name or
 *   address (see `isLoopbackHost`), else `403 HOST_NOT_ALLOWED`: a page that
 *   rebinds its own DNS name to 127.0.0.1 reaches the port, but its
 *   requests still carry its name, so it can neither read nor act.
 * - A state-changing request (any method but GET, HEAD and OPTIONS) from
 *   a browser page of another origin (`Sec-Fetch-Site: cross-site` or
 *   `same-site`, or an `Origin` that is not this server's own scheme, host
 *   and port) is refused with `403 ORIGIN_NOT_ALLOWED` before anything
 *   runs: a page may send a POST that needs no CORS preflight (a form, or
 *   `fetch` with a text/plain body) even though it cannot read the answer.
 *   Requests without these headers (curl, the CLI, scripts) pass.
 *
 * With a token nothing is checked here: the token is not something a
 * browser adds by itself, so a foreign page cannot send it; and a token is
 * what lets the API sit behind a proxy under another name.
 */
export function noTokenGuard(apiToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (apiToken) return next();
    const url = new URL(c.req.url);
    const host = c.req.header('host') ?? url.host;
    for (const given of new Set([host, url.host])) {
      if (!isLoopbackHost(given)) {
        throw new GatewayError(
          'HOST_NOT_ALLOWED',
          `Host "${given.slice(0, 100)}" is not a loopback name or address: without BATON_API_TOKEN the gateway answers this route only as localhost, 127.0.0.1 or [::1]`,
        );
      }
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const foreign = foreignPage(c, `${url.protocol}//${host}`);
      if (foreign) {
        throw new GatewayError(
          'ORIGIN_NOT_ALLOWED',
          `${foreign}: without BATON_API_TOKEN a page of another origin may not change anything`,
        );
      }
    }
    return next();
  };
}

/** Why the request comes from a page of another origin, or undefined when it does not. */
function foreignPage(c: Context, ownOrigin: string): string | undefined {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return `the request comes from a ${site} page`;
  const origin = c.req.header('origin');
  if (origin === undefined) return undefined;
  // `null` (a sandboxed frame, a file:// page) and anything unparsable are foreign too.
  if (parsedOrigin(origin) === parsedOrigin(ownOrigin)) return undefined;
  return `Origin ${origin.slice(0, 100)} is not this server's (${ownOrigin})`;
}

function parsedOrigin(value: string): string {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? `opaque:${value}` : origin;
  } catch {
    return `unparsable:${value}`;
  }
}
