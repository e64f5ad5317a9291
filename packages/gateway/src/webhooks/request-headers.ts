import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** Reads a request header by its lower-cased name, as `Headers.get` does. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * The request's headers. On @hono/node-server they are read from Node's
 * own parsed headers: building the web `Headers` object from the raw ones
 * cost a webhook more than its signature check. Repeated headers are
 * joined with ", " either way.
 */
export function requestHeaders(c: Context): HeaderReader {
  const incoming = nodeRequest(c);
  return incoming?.headers ? nodeHeaders(incoming) : c.req.raw.headers;
}

/** A reader of Node's parsed request headers (see requestHeaders). */
export function nodeHeaders(incoming: IncomingMessage): HeaderReader {
  const headers = incoming.headers;
  return {
    get(name) {
      const value = headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Node's request under the web one, when the gateway runs on @hono/node-server. */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}
