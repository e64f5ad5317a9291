import { GatewayError } from '../errors';

/** Longest event id taken from a body: it becomes part of a storage key and of every answer. */
export const MAX_BODY_EVENT_ID_LENGTH = 512;

/**
 * The event id a source's `eventIdFromBody` names: the value at one dotted
 * path of the parsed (and verified) body, or, for several paths, their
 * values as a JSON array, so that `["a:b", "c"]` and `["a", "b:c"]` stay
 * apart. Strings and whole numbers JSON holds exactly are taken; anything
 * else is a 400 EVENT_ID_MISSING that says which field and why, since
 * taking the delivery header instead would undo what the option is for.
 */
export function bodyEventId(body: unknown, paths: string | readonly string[]): string {
  const list = typeof paths === 'string' ? [paths] : paths;
  const values = list.map((path) => valueAt(body, path));
  const id = values.length === 1 ? values[0]! : JSON.stringify(values);
  if (id.length > MAX_BODY_EVENT_ID_LENGTH) {
    throw new GatewayError(
      'EVENT_ID_MISSING',
      `the event id taken from the body (eventIdFromBody) is longer than ${MAX_BODY_EVENT_ID_LENGTH} characters`,
    );
  }
  return id;
}

function valueAt(body: unknown, path: string): string {
  let value: unknown = body;
  for (const name of path.split('.')) {
    // Own fields only: `__proto__` or `constructor` in a path reads the body's data, never a prototype.
    value =
      value !== null && typeof value === 'object' && Object.hasOwn(value, name)
        ? (value as Record<string, unknown>)[name]
        : undefined;
  }
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  const why =
    value === undefined || value === null || value === ''
      ? 'has no value there'
      : typeof value === 'number'
        ? 'holds a number JSON cannot carry exactly (point eventIdFromBody at a string field)'
        : `holds ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}, not a string or a whole number`;
  throw new GatewayError('EVENT_ID_MISSING', `the body's "${path}" (eventIdFromBody) ${why}`);
}
