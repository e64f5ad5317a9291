import { isUtf8 } from 'node:buffer';
import { GatewayError } from '../errors';
import { assertDepth, DEFAULT_MAX_BODY_DEPTH } from './json-depth';

/** A parsed body, with its JSON text when it was JSON (the event's data is stored as that text). */
export interface ParsedBody {
  value: unknown;
  json?: string;
}

/** How a body is parsed. */
export interface ParseBodyOptions {
  /** Levels of arrays and objects the JSON may nest; deeper is 400 BODY_TOO_DEEP. @default 64 */
  maxDepth?: number;
}

/**
 * Parses a verified body strictly by its content type: JSON (`application/json`
 * or any `+json`) or a URL-encoded form; anything else is 415. Keys such as
 * `__proto__` stay plain data. A GitHub form delivery (`payload=<json>`) is
 * unwrapped to its JSON. JSON nested deeper than `maxDepth` is refused, so
 * every accepted event can be evaluated, stored and shown again.
 */
export function parseBody(
  raw: Buffer,
  contentType: string | null,
  options: ParseBodyOptions = {},
): ParsedBody {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_BODY_DEPTH;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) {
    const text = decode(raw);
    return { value: parseJson(text, maxDepth), json: text };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = parseForm(decode(raw));
    const payload = form.payload;
    if (Object.keys(form).length === 1 && typeof payload === 'string' && /^\s*[{[]/.test(payload))
      return { value: parseJson(payload, maxDepth), json: payload };
    return { value: form };
  }
  throw new GatewayError(
    'UNSUPPORTED_MEDIA_TYPE',
    type
      ? `content type ${type} is not accepted; send application/json or application/x-www-form-urlencoded`
      : 'the request has no Content-Type',
  );
}

function decode(raw: Buffer): string {
  if (!isUtf8(raw)) throw new GatewayError('BODY_INVALID', 'the body is not valid UTF-8');
  // A byte order mark is not part of the text (TextDecoder drops it too).
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  return raw.toString('utf8', bom ? 3 : 0);
}

function parseJson(text: string, maxDepth: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') throw new GatewayError('BODY_INVALID', 'the body is empty; expected JSON');
    throw new GatewayError('BODY_INVALID', `the body is not valid JSON: ${(error as Error).message}`);
  }
  assertDepth(value, maxDepth);
  return value;
}

function parseForm(text: string): Record<string, unknown> {
  const values = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) values.set(key, [...(values.get(key) ?? []), value]);
  // Object.fromEntries defines own properties: a "__proto__" key stays a key.
  return Object.fromEntries([...values].map(([key, list]) => [key, list.length === 1 ? list[0] : list]));
}
