import type { JsonSchema } from '@baton/sdk/host';
import type { PathName } from '../expressions/inspect';
import { resolveRef as resolve, type SchemaNode, typeList } from './json-schema-ref';

/**
 * Follows `output.a.b` through an action's output JSON Schema the way
 * JSONata reads it (arrays are mapped over), to find a name that cannot
 * exist. Anything the schema leaves open (no type, `{}`, extra properties
 * allowed) stops the check: only a certain miss is reported.
 */

/** A schema and the document its `$ref`s resolve in. */
interface Located {
  schema: SchemaNode;
  root: JsonSchema;
}

/** Why `names[at]` cannot exist. */
export interface OutputPathProblem {
  at: number;
  /** The names the schema allows there. */
  known: string[];
  /** The value before `names[at]` is always of this primitive type, such as "a string". */
  primitive?: string;
}

/** The first name of `names` that no output schema allows, if any. */
export function findOutputPathProblem(
  schemas: readonly JsonSchema[],
  names: readonly PathName[],
): OutputPathProblem | undefined {
  let current: Located[] = schemas.map((schema) => ({ schema, root: schema }));
  for (let at = 0; at < names.length; at++) {
    const name = names[at]!.name;
    const next: Located[] = [];
    const known = new Set<string>();
    const primitives = new Set<string>();
    for (const located of current.flatMap((c) => expand(c, 0))) {
      const schema = located.schema;
      if (schema === undefined || schema === true) return undefined;
      if (schema === false) continue;
      const types = typeList(schema.type);
      const properties = schema.properties as Record<string, JsonSchema> | undefined;
      const isObject = properties !== undefined || types?.includes('object');
      if (!isObject) {
        if (!types) return undefined;
        for (const t of types) if (t !== 'null') primitives.add(t);
        continue;
      }
      if (properties && Object.hasOwn(properties, name)) {
        next.push({ schema: properties[name], root: located.root });
        continue;
      }
      const extra = schema.additionalProperties as JsonSchema | boolean | undefined;
      if (extra !== false || schema.patternProperties) {
        if (extra === undefined || extra === true || schema.patternProperties) return undefined;
        next.push({ schema: extra, root: located.root });
        continue;
      }
      for (const key of Object.keys(properties ?? {})) known.add(key);
    }
    if (next.length === 0) {
      const only = primitives.size === 1 && known.size === 0 ? [...primitives][0] : undefined;
      return { at, known: [...known], ...(only ? { primitive: only } : {}) };
    }
    current = next;
  }
  return undefined;
}

/** Resolves refs and unions, and maps arrays to their items, as a JSONata path step does. */
function expand(located: Located, depth: number): Located[] {
  if (depth > 32) return [{ schema: undefined, root: located.root }];
  const schema = resolve(located.schema, located.root);
  if (typeof schema !== 'object') return [{ schema, root: located.root }];
  const branches = [
    ...((schema.anyOf as JsonSchema[] | undefined) ?? []),
    ...((schema.oneOf as JsonSchema[] | undefined) ?? []),
    ...((schema.allOf as JsonSchema[] | undefined) ?? []),
  ];
  if (branches.length > 0 && schema.type === undefined && schema.properties === undefined) {
    return branches.flatMap((b) => expand({ schema: b, root: located.root }, depth + 1));
  }
  const types = typeList(schema.type);
  if (types?.includes('array')) {
    const items = schema.items as JsonSchema | boolean | undefined;
    const rest = types.filter((t) => t !== 'array');
    const mapped = expand({ schema: items, root: located.root }, depth + 1);
    return rest.length ? [...mapped, { schema: { ...schema, type: rest }, root: located.root }] : mapped;
  }
  return [{ schema, root: located.root }];
}
