import type { Server, ServerOptions } from 'node:http';
import { type HubConfig, parseDuration } from '@baton/runtime';

/**
 * Limits on the gateway's HTTP connections, so that slow or abusive clients
 * can neither exhaust its memory nor hold it (or its shutdown) open.
 */
export interface HttpLimits {
  /** How long a client may take to send the request headers; then `408` and the connection closes. @default 10 000 (10 s) */
  headersTimeoutMs: number;
  /** How long a client may take to send a whole request, headers and body; then `408` and the connection closes. @default 30 000 (30 s) */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. @default 5 000 (5 s) */
  keepAliveTimeoutMs: number;
  /** Connections open at once; further ones are closed as they arrive. @default 1024 */
  maxConnections: number;
  /** Bytes of webhook bodies being read at once, past each body's first 64 KiB; over it webhooks get `503 BUSY`. @default 64 MiB */
  maxBodyBytesInFlight: number;
}

/** The limits when neither `baton.config.json` (`http`) nor the gateway's options set them. */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  maxBodyBytesInFlight: 64 * 1024 * 1024,
});

/** The limits in force: the gateway's options over the hub's `http` config over the defaults. */
export function resolveHttpLimits(config: HubConfig['http'], options: Partial<HttpLimits> = {}): HttpLimits {
  const ms = (value: string | undefined) => (value === undefined ? undefined : parseDuration(value));
  const limits: HttpLimits = {
    headersTimeoutMs:
      options.headersTimeoutMs ?? ms(config?.headersTimeout) ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs,
    requestTimeoutMs:
      options.requestTimeoutMs ?? ms(config?.requestTimeout) ?? DEFAULT_HTTP_LIMITS.requestTimeoutMs,
    keepAliveTimeoutMs:
      options.keepAliveTimeoutMs ?? ms(config?.keepAliveTimeout) ?? DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
    maxConnections: options.maxConnections ?? config?.maxConnections ?? DEFAULT_HTTP_LIMITS.maxConnections,
    maxBodyBytesInFlight:
      options.maxBodyBytesInFlight ??
      config?.maxBodyBytesInFlight ??
      DEFAULT_HTTP_LIMITS.maxBodyBytesInFlight,
  };
  for (const [name, value] of Object.entries(limits)) {
    // 0 would turn Node's check off, which is what these limits exist to prevent.
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`HTTP limit ${name} must be a whole number ≥ 1 (got ${value})`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new RangeError(
      `HTTP limit headersTimeoutMs (${limits.headersTimeoutMs}) must not be longer than requestTimeoutMs (${limits.requestTimeoutMs})`,
    );
  return limits;
}

/** Options for `http.createServer`: the timeouts Node checks itself, answering `408` and closing. */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default, which would let a
    // slow client stay that much longer); a quarter of the shorter one, at most 1 s.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** What `http.createServer` takes no option for on every Node version we support. */
export function applyHttpLimits(server: Server, limits: HttpLimits): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
