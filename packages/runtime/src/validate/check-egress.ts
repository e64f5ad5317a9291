import { isIP } from 'node:net';
import { createEgressGuard } from '@baton/sdk/host';
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { JsonDocument, JsonPath } from '../json/json-document';

/**
 * Warnings about connector configs that point at a loopback or private
 * address (a literal `http(s)://` URL whose host is an IP or `localhost`)
 * while the instance's `egress.allow` does not let it through: every call
 * would fail with `EGRESS_BLOCKED`. A warning, not an error: a name may
 * resolve elsewhere where the hub runs. `{ "$env" }` values are not known
 * here and are not checked.
 */
export function egressWarnings(document: JsonDocument): Diagnostic[] {
  const root = record(document.value);
  const warnings: Diagnostic[] = [];
  for (const [name, entry] of Object.entries(record(root.connectors))) {
    const instance = record(entry);
    const allow = Array.isArray(record(instance.egress).allow)
      ? (record(instance.egress).allow as unknown[]).filter((a): a is string => typeof a === 'string')
      : [];
    const guard = createEgressGuard({ allow });
    for (const [path, url] of urls(instance.config, ['connectors', name, 'config'])) {
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const localName = host === 'localhost' || host.endsWith('.localhost');
      if (!isIP(host) && !localName) continue;
      if (localName && allow.some((a) => a.trim().toLowerCase() === host)) continue;
      try {
        guard.checkHost(localName ? '127.0.0.1' : host);
      } catch (error) {
        const entry = (error as { details?: { allow?: string } }).details?.allow ?? host;
        warnings.push({
          ...document.diagnostic(
            'EGRESS_NOT_ALLOWED',
            path,
            `connector instance "${name}" points at ${url.host}, which is not a public address, and its egress.allow does not list it: every call would fail with EGRESS_BLOCKED. If this is intended, add "egress": { "allow": ["${entry}"] } to the instance`,
          ),
          severity: 'warning',
        });
      }
    }
  }
  return warnings;
}

/** Every string of `value` that parses as an http(s) URL, with its path. */
function* urls(value: unknown, path: JsonPath): Generator<[JsonPath, URL]> {
  if (typeof value === 'string') {
    if (!/^https?:\/\//i.test(value)) return;
    try {
      yield [path, new URL(value)];
    } catch {
      // Not a URL after all: the connector's own schema says what it wants.
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* urls(item, [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* urls(item, [...path, key]);
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
