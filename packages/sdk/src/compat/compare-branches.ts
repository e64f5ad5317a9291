import type { JsonSchema } from '../manifest';
import { type CompareContext, reportAs, resolveRef, typeList } from './context';
import { sameJson, showValue } from './json';

/** Keywords that describe a schema without constraining values. */
export const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'default',
]);

/** Whether a schema is a union (`anyOf` or `oneOf`), compared branch by branch. */
export function isUnion(schema: JsonSchema): boolean {
  return Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf);
}

/**
 * The alternatives a schema allows, each a plain schema of one type: a
 * union's branches with the union's own constraints added to each (`{ type,
 * anyOf }` means both), nested unions flattened, and a list of types split
 * (`{ type: ["string", "null"], minLength: 1 }` is a string of at least one
 * character or null: `minLength` applies to strings only).
 */
function branchesOf(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema[] {
  const list = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (!Array.isArray(list) || depth > 8) {
    const types = typeList(schema);
    return types && types.length > 1 ? types.map((type) => ({ ...schema, type })) : [schema];
  }
  const base = Object.fromEntries(
    Object.entries(schema).filter(([k]) => k !== 'anyOf' && k !== 'oneOf' && !ANNOTATIONS.has(k)),
  );
  return list.flatMap((branch) => {
    const resolved = resolveRef(branch as JsonSchema, root);
    if (resolved === false) return [];
    const merged = { ...base, ...(typeof resolved === 'object' ? resolved : {}) };
    return branchesOf(merged, root, depth + 1);
  });
}

/**
 * A branch as a reader knows it: its type, its constant, and the constant
 * fields that tell branches of a discriminated union apart
 * (`object kind="card"`). Branches of two versions are matched by it.
 */
export function describeBranch(schema: JsonSchema): string {
  if ('const' in schema) return showValue(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(showValue).join(', ')}`;
  return [typeList(schema)?.join(' or ') ?? 'any', ...tagsOf(schema)].join(' ');
}

/** The constant fields of an object branch: what tells the branches of a discriminated union apart. */
function tagsOf(schema: JsonSchema): string[] {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return Object.entries(properties)
    .filter(([, p]) => p !== null && typeof p === 'object' && 'const' in p)
    .map(([key, p]) => `${key}=${showValue((p as { const: unknown }).const)}`);
}

/** Whether two branches may be versions of one another: a type in common, and no tag that differs. */
function related(a: JsonSchema, b: JsonSchema): boolean {
  const tagsA = tagsOf(a);
  const tagsB = tagsOf(b);
  if (tagsA.length && tagsB.length && tagsA.join() !== tagsB.join()) return false;
  const ta = typeList(a);
  const tb = typeList(b);
  if (!ta || !tb) return true;
  const number = (t: string) => (t === 'integer' ? 'number' : t);
  return ta.some((t) => tb.map(number).includes(number(t)));
}

/**
 * Compares two schemas of which at least one is a union. Branches are paired
 * (equal ones first, then by type and tag, then by the only branch whose
 * type overlaps); a paired branch is compared like any schema, an unpaired
 * one is a branch removed or added.
 */
export function compareBranches(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): void {
  const before = branchesOf(oldSchema, context.oldRoot);
  const after = branchesOf(newSchema, context.newRoot);
  const unpairedOld = [...before];
  const unpairedNew = [...after];
  const pairs: Array<[JsonSchema, JsonSchema]> = [];
  const take = (match: (o: JsonSchema, n: JsonSchema) => boolean, onlyOne: boolean) => {
    for (const o of [...unpairedOld]) {
      const candidates = unpairedNew.filter((n) => match(o, n));
      const rivals = unpairedOld.filter((other) => candidates.some((n) => match(other, n)));
      if (candidates.length === 0 || (onlyOne && (candidates.length > 1 || rivals.length > 1))) continue;
      const n = candidates[0]!;
      pairs.push([o, n]);
      unpairedOld.splice(unpairedOld.indexOf(o), 1);
      unpairedNew.splice(unpairedNew.indexOf(n), 1);
    }
  };
  take(sameJson, false);
  take((o, n) => describeBranch(o) === describeBranch(n), true);
  take(related, true);

  const several = before.length > 1 || after.length > 1;
  const at = (branch: JsonSchema) => (several ? [...path, `(${describeBranch(branch)})`] : path);
  for (const [o, n] of pairs) context.compareSingle(o, n, at(o));
  const accepts = context.role === 'accepts';
  for (const o of unpairedOld) {
    const text = accepts
      ? `no longer accepts ${describeBranch(o)}`
      : `no longer returns ${describeBranch(o)}`;
    reportAs(context, at(o), 'union', accepts ? 'breaking' : 'additive', text);
  }
  for (const n of unpairedNew) {
    const text = accepts ? `now also accepts ${describeBranch(n)}` : `may now be ${describeBranch(n)}`;
    reportAs(context, at(n), 'union', accepts ? 'additive' : 'breaking', text);
  }
}
