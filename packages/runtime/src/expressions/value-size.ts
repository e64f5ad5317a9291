import { EXPRESSION_LIMITS, LimitExceeded } from './limits';
import { isJsonataFunction } from './plain-data';

/**
 * The size of a value as its JSON text would be, and its depth, checked
 * against the limits after every evaluation step. An expression can build a
 * value far larger than the memory it takes: an array of 100 000 references
 * to one long string costs 800 KB, but turning it into text (`$string`,
 * `&`, a template, the run record) would build gigabytes. Measuring each new
 * value as it is built keeps every value an expression can hold small
 * enough to turn into text.
 *
 * Sizes are remembered per object, so a value built from measured parts
 * costs only its own members: the steps of a loop that wraps or appends to
 * its accumulator are measured in constant time each. JSONata does not
 * change a value once an evaluation step has returned it.
 */

const sizes = new WeakMap<object, number>();
/** Levels of an object: 1 for one with no object inside. */
const depths = new WeakMap<object, number>();

/**
 * The JSON characters of an object or array (an upper bound, escapes aside).
 * Throws `LimitExceeded` when it is larger or deeper than the limits allow.
 */
export function jsonSize(value: object): number {
  return measureObject(value, 0);
}

/** JSON characters of an object or array, measured once. */
function measureObject(value: object, depth: number): number {
  const known = sizes.get(value);
  if (known !== undefined) {
    if (depth + (depths.get(value) ?? 0) > EXPRESSION_LIMITS.valueDepth) throw tooDeep();
    return known;
  }
  if (depth >= EXPRESSION_LIMITS.valueDepth) throw tooDeep();
  // A JSONata function value holds its environment and syntax tree; as text it is "".
  if (isJsonataFunction(value)) return 2;
  let size = 2;
  let levels = 0;
  const add = (member: unknown, overhead: number) => {
    if (member !== null && typeof member === 'object') {
      size += measureObject(member, depth + 1) + overhead;
      levels = Math.max(levels, depths.get(member) ?? 0);
    } else {
      size += primitiveLength(member) + overhead;
    }
    if (size > EXPRESSION_LIMITS.valueSize) throw tooLarge();
  };
  if (Array.isArray(value)) {
    for (const item of value) add(item, 1);
  } else {
    for (const key of Object.keys(value)) add((value as Record<string, unknown>)[key], key.length + 4);
  }
  sizes.set(value, size);
  depths.set(value, levels + 1);
  return size;
}

/** JSON characters of a primitive (escapes aside: a bound within a small factor). */
function primitiveLength(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number') return String(value).length;
  if (typeof value === 'boolean') return 5;
  return value === null ? 4 : 0;
}

function tooLarge(): LimitExceeded {
  return new LimitExceeded(
    `built a value larger than ${EXPRESSION_LIMITS.valueSize} characters as JSON (the limit)`,
  );
}

function tooDeep(): LimitExceeded {
  return new LimitExceeded(
    `built a value nested deeper than ${EXPRESSION_LIMITS.valueDepth} levels (the limit)`,
  );
}
