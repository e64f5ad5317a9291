import type { JsonSchema } from '../manifest';
import { compareArrays, describesArray } from './compare-array';
import { ANNOTATIONS, compareBranches, isUnion } from './compare-branches';
import { compareObjects, describesObject } from './compare-object';
import { compareBounds, compareConstraints, compareTypes, compareValues } from './compare-values';
import { type CompareContext, reportAs, resolveRef, type SchemaNode } from './context';
import { sameJson, showValue } from './json';
import type { SchemaChange, SchemaRole } from './types';

/** Keywords compared by their own rules; any other keyword that differs is unclassified. */
const CLASSIFIED = new Set([
  'type',
  'enum',
  'const',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'format',
  'pattern',
  'multipleOf',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'anyOf',
  'oneOf',
  '$ref',
]);

/** Options of `compareSchemas`. */
export interface CompareOptions {
  /**
   * Who writes the values an `accepts` schema checks, as messages name them.
   * @default 'callers'
   */
  writers?: string;
}

/** Deeper than this, a schema is taken as it is (a guard against pathological nesting). */
const MAX_DEPTH = 64;

/**
 * Compares two JSON Schemas (draft 2020-12, as zod 4 writes them) and lists
 * what changed for the schema's users, each change classified by `role`:
 * for what a connector `accepts` (input, config) narrowing breaks; for what
 * it `returns` (output) widening, or a field that may now be missing, does.
 * Keywords it cannot classify (`allOf`, `not`, `if`, `patternProperties` …)
 * are reported as `possibly-breaking` when they differ.
 *
 * @example
 * ```ts
 * compareSchemas(
 *   { type: 'object', properties: { email: { type: 'string' } } },
 *   { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
 *   'accepts',
 * ); // [{ path: ['email'], kind: 'constraint', severity: 'breaking', message: 'format "email" added' }]
 * ```
 */
export function compareSchemas(
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  role: SchemaRole,
  options: CompareOptions = {},
): SchemaChange[] {
  const context: CompareContext = {
    role,
    writers: options.writers ?? 'callers',
    oldRoot: oldSchema,
    newRoot: newSchema,
    refPairs: new Set(),
    changes: [],
    compare: (o, n, path) => compareNode(context, o, n, path),
    compareSingle: (o, n, path) => compareSingle(context, o, n, path),
  };
  compareNode(context, oldSchema, newSchema, []);
  return context.changes;
}

/** `true` and nothing are "anything"; `false` and `{ not: {} }` (zod's never) are "nothing". */
function normalize(node: SchemaNode): JsonSchema | false {
  if (node === false) return false;
  if (node === undefined || node === true) return {};
  const constraining = Object.keys(node).filter((k) => !ANNOTATIONS.has(k));
  if (constraining.length === 1 && sameJson(node.not, {})) return false;
  return node;
}

function compareNode(
  context: CompareContext,
  oldNode: SchemaNode,
  newNode: SchemaNode,
  path: readonly string[],
): void {
  if (path.length > MAX_DEPTH) return;
  const oldRef = typeof oldNode === 'object' ? oldNode.$ref : undefined;
  const newRef = typeof newNode === 'object' ? newNode.$ref : undefined;
  if (typeof oldRef === 'string' && typeof newRef === 'string') {
    // A recursive schema reaches the same pair of definitions again: compared once is enough.
    const pair = `${oldRef}\u0000${newRef}`;
    if (context.refPairs.has(pair)) return;
    context.refPairs.add(pair);
  }
  const before = normalize(resolveRef(oldNode, context.oldRoot));
  const after = normalize(resolveRef(newNode, context.newRoot));
  const accepts = context.role === 'accepts';
  if (before === false || after === false) {
    if (before === after) return;
    const nothing = before === false;
    const text = nothing ? 'now allowed (no value was before)' : 'no value allowed any more';
    const breaks = accepts ? !nothing : nothing;
    reportAs(context, path, 'type', breaks ? 'breaking' : 'additive', text);
    return;
  }
  if (accepts) compareDefault(context, before, after, path);
  if (isUnion(before) || isUnion(after)) compareBranches(context, before, after, path);
  else compareSingle(context, before, after, path);
}

/**
 * A default is what a flow that omits the field gets: another default
 * changes what those flows do without any of them changing.
 */
function compareDefault(
  context: CompareContext,
  before: JsonSchema,
  after: JsonSchema,
  path: readonly string[],
): void {
  if (sameJson(before.default, after.default)) return;
  const text =
    before.default === undefined
      ? `default ${showValue(after.default)} added`
      : `default changed from ${showValue(before.default)} to ${showValue(after.default)}`;
  reportAs(context, path, 'default', before.default === undefined ? 'additive' : 'possibly-breaking', text);
}

function compareSingle(
  context: CompareContext,
  before: JsonSchema,
  after: JsonSchema,
  path: readonly string[],
): void {
  if (!compareTypes(context, before, after, path)) return;
  compareValues(context, before, after, path);
  compareBounds(context, before, after, path);
  compareConstraints(context, before, after, path);
  if (describesObject(before) || describesObject(after)) compareObjects(context, before, after, path);
  if (describesArray(before) || describesArray(after)) compareArrays(context, before, after, path);
  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (CLASSIFIED.has(keyword) || ANNOTATIONS.has(keyword)) continue;
    if (sameJson(before[keyword], after[keyword])) continue;
    reportAs(
      context,
      path,
      'unclassified',
      'possibly-breaking',
      `${keyword} changed; its effect on callers is not classified`,
    );
  }
}
