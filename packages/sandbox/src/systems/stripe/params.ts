import type { Context } from 'hono';
import qs from 'qs';
import type { StripeEnv, StripeParams } from './env';
import { invalidRequest } from './errors';

/**
 * Reads a request's parameters the way Stripe does: the query string for
 * GET, otherwise the body, form-encoded with bracket notation
 * (`metadata[order]=1`, `payment_method_types[0]=card`) or JSON.
 */
export async function readParams(c: Context<StripeEnv>): Promise<StripeParams> {
  if (c.req.method === 'GET' || c.req.method === 'DELETE') {
    return qs.parse(new URL(c.req.url).search.slice(1), { depth: 5 }) as StripeParams;
  }
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const type = c.req.header('content-type') ?? '';
  if (type.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidRequest('Invalid JSON received: the request body could not be parsed.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidRequest('Invalid JSON received: the request body must be an object.');
    }
    return parsed as StripeParams;
  }
  return qs.parse(text, { depth: 5, parameterLimit: 1000 }) as StripeParams;
}

/** Rejects parameters a route does not know, as Stripe does. */
export function rejectUnknown(params: StripeParams, known: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!known.includes(name)) {
      throw invalidRequest(`Received unknown parameter: ${name}`, { param: name, code: 'parameter_unknown' });
    }
  }
}

/** A required parameter's raw value. */
export function required(params: StripeParams, name: string): unknown {
  const value = params[name];
  if (value === undefined || value === '') {
    throw invalidRequest(`Missing required param: ${name}.`, { param: name, code: 'parameter_missing' });
  }
  return value;
}

/** A positive integer such as an amount in the smallest currency unit. */
export function positiveInteger(value: unknown, name: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw invalidRequest(`Invalid integer: ${String(value)}`, {
      param: name,
      code: 'parameter_invalid_integer',
    });
  }
  const number = Number(text);
  if (number < 1 || number > 99_999_999) {
    throw invalidRequest(
      `This value must be greater than or equal to 1 and less than or equal to 99999999.`,
      {
        param: name,
        code: 'parameter_invalid_integer',
      },
    );
  }
  return number;
}

/** An optional string parameter. */
export function optionalString(params: StripeParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, { param: name });
  }
  return value;
}

/** An optional boolean, `true`/`false` in forms or a JSON boolean. */
export function optionalBoolean(params: StripeParams, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${String(value)}`, { param: name });
}

/** A three-letter ISO currency code, lower-cased as Stripe stores it. */
export function currency(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-zA-Z]{3}$/.test(value)) {
    throw invalidRequest(
      `Invalid currency: ${String(value)}. Stripe currently supports these currencies: usd, eur, gbp, …`,
      {
        param: 'currency',
      },
    );
  }
  return value.toLowerCase();
}

/**
 * Metadata: up to 50 keys of at most 40 characters, string values of at
 * most 500 characters (numbers and booleans in JSON become strings).
 */
export function metadata(params: StripeParams): Record<string, string> {
  const value = params.metadata;
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('Invalid hash', { param: 'metadata' });
  }
  const entries = Object.entries(value);
  if (entries.length > 50) {
    throw invalidRequest('You can specify up to 50 keys in metadata.', { param: 'metadata' });
  }
  const result: Record<string, string> = {};
  for (const [key, raw] of entries) {
    if (key.length > 40) {
      throw invalidRequest(`Metadata keys can be at most 40 characters long: ${key}`, {
        param: `metadata[${key}]`,
      });
    }
    if (typeof raw === 'object' && raw !== null) {
      throw invalidRequest('Metadata values must be strings.', { param: `metadata[${key}]` });
    }
    const text = String(raw);
    if (text.length > 500) {
      throw invalidRequest('Metadata values can be at most 500 characters long.', {
        param: `metadata[${key}]`,
      });
    }
    result[key] = text;
  }
  return result;
}

/** Orders object keys so two equal parameter sets compare equal whatever order they came in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  // Forms carry strings; JSON may carry numbers and booleans. Stripe treats `1` and `"1"` alike.
  return JSON.stringify(value === undefined || value === null ? null : String(value));
}
