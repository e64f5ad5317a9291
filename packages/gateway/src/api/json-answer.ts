import type { Context } from 'hono';

/**
 * Levels of arrays and objects shown of a value too deep to serialize. Far
 * past what the gateway accepts (`maxBodyDepth` is at most 200), so only
 * values stored before it refused deep bodies, or started by code around
 * it, are ever cut.
 */
export const SHOWN_DEPTH = 1000;

/** What stands in for a part of a value nested deeper than {@link SHOWN_DEPTH}. */
export const CUT_MARKER = `[nested deeper than ${SHOWN_DEPTH} levels: not shown]`;

/**
 * Answers `value` as JSON, like `c.json`, even when it nests too deeply for
 * JSON.stringify (which recurses and throws a RangeError at a few thousand
 * levels): then it answers a copy cut at {@link SHOWN_DEPTH} levels. A
 * value that serializes costs nothing more than `c.json`.
 */
export function jsonAnswer(c: Context, value: unknown, status: 200 | 202 = 200): Response {
  try {
    return c.json(value as object, status);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return c.json(cutDeep(value, SHOWN_DEPTH) as object, status);
  }
}

type Container = Record<string, unknown> | unknown[];

/**
 * A copy of a JSON-like value with every array or object deeper than
 * `maxDepth` levels replaced by {@link CUT_MARKER}. Copies with its own
 * stack, not recursion, so it works at any depth.
 */
export function cutDeep(value: unknown, maxDepth: number): unknown {
  if (!isContainer(value)) return value;
  if (maxDepth < 1) return CUT_MARKER;
  const root = emptyLike(value);
  const stack: Array<{ from: Container; to: Container; depth: number }> = [
    { from: value, to: root, depth: 1 },
  ];
  while (stack.length > 0) {
    const { from, to, depth } = stack.pop()!;
    for (const [key, child] of Object.entries(from)) {
      let copy: unknown = child;
      if (isContainer(child)) {
        if (depth >= maxDepth) copy = CUT_MARKER;
        else {
          copy = emptyLike(child);
          stack.push({ from: child, to: copy as Container, depth: depth + 1 });
        }
      }
      // defineProperty keeps a "__proto__" key a key instead of setting the prototype.
      Object.defineProperty(to, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

function emptyLike(value: Container): Container {
  return Array.isArray(value) ? [] : {};
}
