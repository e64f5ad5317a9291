import type { Context } from 'hono';
import qs from 'qs';

/**
 * A request body as an object: JSON, or a form in bracket notation
 * (`shipment[parcel][weight]=10`, which EasyPost accepts too). Undefined
 * when the body is not an object or cannot be parsed; an empty body is `{}`.
 */
export async function readObjectBody(c: Context): Promise<Record<string, unknown> | undefined> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const type = c.req.header('content-type') ?? '';
  if (type.includes('x-www-form-urlencoded')) {
    return qs.parse(text, { depth: 5, parameterLimit: 1000 }) as Record<string, unknown>;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A field as a trimmed non-empty string, or undefined. */
export function text(source: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = source?.[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A field as a positive finite number (numbers or numeric strings), or undefined. */
export function positive(source: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = source?.[name];
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

/** A field as a plain object, or undefined. */
export function record(
  source: Record<string, unknown> | undefined,
  name: string,
): Record<string, unknown> | undefined {
  const value = source?.[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The origin the request came to, for absolute URLs (label downloads). */
export function originOf(c: Context): string {
  return new URL(c.req.url).origin;
}
