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

/** Size and levels of the objects measured, packed as size × LEVELS_SPAN + levels. */
const measured = new WeakMap<object, number>();
const LEVELS_SPAN = 512;
/**
 * Objects smaller than this are not remembered: measuring them again costs
 * less than remembering them (most are an event's leaves, fresh for each
 * evaluation), and a value grown from them is soon large enough to be.
 */
const REMEMBER_FROM = 256;

/**
 * The JSON characters of an object or array (an upper bound, escapes aside).
 * Throws `LimitExceeded` when it is larger or deeper than the limits allow.
 */
export function jsonSize(value: object): number {
  return Math.floor(measureObject(value, 0) / LEVELS_SPAN);
}

/** Size and levels of an object or array, packed; levels is 1 for one with no object inside. */
function measureObject(value: object, depth: number): number {
  const known = measured.get(value);
  if (known !== undefined) {
    if (depth + (known % LEVELS_SPAN) > EXPRESSION_LIMITS.valueDepth) throw tooDeep();
    return known;
  }
  if (depth >= EXPRESSION_LIMITS.valueDepth) throw tooDeep();
  // A JSONata function value holds its environment and syntax tree; as text it is "".
  if (isJsonataFunction(value)) return 2 * LEVELS_SPAN + 1;
  let size = 2;
  let levels = 0;
  const array = Array.isArray(value) ? value : undefined;
  const keys = array ? undefined : Object.keys(value);
  const count = array ? array.length : keys!.length;
  for (let i = 0; i < count; i++) {
    const member = array ? array[i] : (value as Record<string, unknown>)[keys![i]!];
    size += array ? 1 : keys![i]!.length + 4;
    if (member !== null && typeof member === 'object') {
      const packed = measureObject(member, depth + 1);
      size += Math.floor(packed / LEVELS_SPAN);
      levels = Math.max(levels, packed % LEVELS_SPAN);
    } else {
      size += primitiveLength(member);
    }
    if (size > EXPRESSION_LIMITS.valueSize) throw tooLarge();
  }
  const packed = size * LEVELS_SPAN + levels + 1;
  if (size >= REMEMBER_FROM) measured.set(value, packed);
  return packed;
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
