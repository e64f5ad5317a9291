import type { z } from 'zod';
import type { JsonPath } from './json-document';

/**
 * Reads the structure of a zod schema (through `_zod.def`, zod 4's
 * introspection surface) to know which property names are allowed at a
 * path, so an unknown property can be answered with "did you mean".
 */

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

const def = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every property name an object schema reachable at `path` declares (all union branches together). */
export function objectKeysAt(schema: z.ZodType, path: JsonPath): Set<string> {
  let current = [schema];
  for (const segment of path) current = current.flatMap(unwrap).flatMap((s) => child(s, segment));
  const keys = new Set<string>();
  for (const candidate of current.flatMap(unwrap)) {
    const shape = def(candidate).shape;
    if (def(candidate).type === 'object' && shape) for (const key of Object.keys(shape)) keys.add(key);
  }
  return keys;
}

function unwrap(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 20) return [];
  const d = def(schema);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return d.innerType ? unwrap(d.innerType, depth + 1) : [];
    case 'pipe':
      return d.in ? unwrap(d.in, depth + 1) : [];
    case 'lazy':
      return d.getter ? unwrap(d.getter(), depth + 1) : [];
    case 'union':
      return (d.options ?? []).flatMap((option) => unwrap(option, depth + 1));
    default:
      return [schema];
  }
}

function child(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const d = def(schema);
  if (d.type === 'object' && typeof segment === 'string' && d.shape?.[segment]) return [d.shape[segment]];
  if (d.type === 'array' && typeof segment === 'number' && d.element) return [d.element];
  if (d.type === 'tuple' && typeof segment === 'number' && d.items?.[segment]) return [d.items[segment]];
  if (d.type === 'record' && d.valueType) return [d.valueType];
  return [];
}

/** The value at `path` inside `root`, own properties only. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
