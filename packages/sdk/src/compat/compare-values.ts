import type { JsonSchema } from '../manifest';
import { type CompareContext, report, typeList } from './context';
import { sameJson, showValue } from './json';

/** A type is covered by a list that names it, or `number` for `integer`. */
function covered(type: string, list: readonly string[]): boolean {
  return list.includes(type) || (type === 'integer' && list.includes('number'));
}

/**
 * Compares `type`. Returns false when the two types have nothing in common
 * (`string` became `number`): one change says it all, and the constraints
 * of the old type are not worth comparing.
 */
export function compareTypes(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): boolean {
  const before = typeList(oldSchema);
  const after = typeList(newSchema);
  const verb = context.role === 'accepts' ? 'accepts' : 'returns';
  const also = context.role === 'accepts' ? 'now also accepts' : 'may now be';
  if (!before && !after) return true;
  if (!before) {
    report(context, path, 'type', 'narrower', `now limited to ${after!.join(' or ')}`);
    return true;
  }
  if (!after) {
    report(context, path, 'type', 'wider', `${also} any type, not only ${before.join(' or ')}`);
    return true;
  }
  const shared = before.some((t) => covered(t, after) || after.some((u) => covered(u, [t])));
  if (!shared) {
    report(
      context,
      path,
      'type',
      'changed',
      `type changed from ${before.join(' or ')} to ${after.join(' or ')}`,
    );
    return false;
  }
  const lost = before.filter((t) => !covered(t, after));
  const gained = after.filter((t) => !covered(t, before));
  const show = (t: string) =>
    t === 'number' && after.includes('integer') ? 'numbers other than integers' : t;
  if (lost.length)
    report(context, path, 'type', 'narrower', `no longer ${verb} ${lost.map(show).join(' or ')}`);
  if (gained.length) report(context, path, 'type', 'wider', `${also} ${gained.join(' or ')}`);
  return true;
}

/** The values `enum` or `const` allow, or undefined when any value of the type goes. */
function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

/** Compares `enum` and `const`: which values a field may hold. */
export function compareValues(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): void {
  const before = allowedValues(oldSchema);
  const after = allowedValues(newSchema);
  if (!before && !after) return;
  const list = (values: unknown[]) => values.map(showValue).join(', ');
  if (!before) {
    report(context, path, 'values', 'narrower', `now limited to ${list(after!)}`);
    return;
  }
  if (!after) {
    report(context, path, 'values', 'wider', `no longer limited to ${list(before)}`);
    return;
  }
  const removed = before.filter((v) => !after.some((w) => sameJson(v, w)));
  const added = after.filter((v) => !before.some((w) => sameJson(v, w)));
  const verb = context.role === 'accepts' ? 'accepts' : 'returns';
  if (removed.length) report(context, path, 'values', 'narrower', `no longer ${verb} ${list(removed)}`);
  if (added.length) {
    const text = context.role === 'accepts' ? 'now also accepts' : 'may now be';
    report(context, path, 'values', 'wider', `${text} ${list(added)}`);
  }
}

interface Bound {
  value: number;
  exclusive: boolean;
}

/** The tighter of an inclusive and an exclusive bound; `sign` 1 for lower bounds, -1 for upper. */
function bound(schema: JsonSchema, inclusive: string, exclusive: string, sign: 1 | -1): Bound | undefined {
  const candidates: Bound[] = [];
  if (typeof schema[inclusive] === 'number') candidates.push({ value: schema[inclusive], exclusive: false });
  if (typeof schema[exclusive] === 'number') candidates.push({ value: schema[exclusive], exclusive: true });
  return candidates.reduce<Bound | undefined>((tightest, b) => {
    if (!tightest) return b;
    if (b.value !== tightest.value) return (b.value - tightest.value) * sign > 0 ? b : tightest;
    return b.exclusive ? b : tightest;
  }, undefined);
}

/** Whether `after` lets fewer values through than `before` (`sign` 1 for a lower bound). */
function tighter(after: Bound | undefined, before: Bound | undefined, sign: 1 | -1): boolean {
  if (!after) return false;
  if (!before) return true;
  if (after.value !== before.value) return (after.value - before.value) * sign > 0;
  return after.exclusive && !before.exclusive;
}

/** The bounds compared, each as [label, inclusive keyword, exclusive keyword, 1 lower | -1 upper]. */
const BOUNDS: ReadonlyArray<readonly [string, string, string, 1 | -1]> = [
  ['minimum', 'minimum', 'exclusiveMinimum', 1],
  ['maximum', 'maximum', 'exclusiveMaximum', -1],
  ['minLength', 'minLength', '', 1],
  ['maxLength', 'maxLength', '', -1],
  ['minItems', 'minItems', '', 1],
  ['maxItems', 'maxItems', '', -1],
  ['minProperties', 'minProperties', '', 1],
  ['maxProperties', 'maxProperties', '', -1],
];

/** Compares the numeric bounds: a raised minimum or a lowered maximum lets fewer values through. */
export function compareBounds(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): void {
  for (const [label, inclusive, exclusive, sign] of BOUNDS) {
    const before = bound(oldSchema, inclusive, exclusive, sign);
    const after = bound(newSchema, inclusive, exclusive, sign);
    const show = (b: Bound | undefined) =>
      b === undefined ? 'none' : `${b.exclusive ? (sign === 1 ? '> ' : '< ') : ''}${b.value}`;
    const text = `${label} ${show(before)} → ${show(after)}`;
    if (tighter(after, before, sign)) report(context, path, 'bounds', 'narrower', text);
    else if (tighter(before, after, sign)) report(context, path, 'bounds', 'wider', text);
  }
}

/** Keywords that only ever narrow: present is narrower than absent, and another value is another rule. */
const CONSTRAINTS = ['format', 'pattern', 'multipleOf'] as const;

/** Compares `format`, `pattern`, `multipleOf` and `uniqueItems`. */
export function compareConstraints(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): void {
  for (const keyword of CONSTRAINTS) {
    const before = oldSchema[keyword];
    const after = newSchema[keyword];
    if (sameJson(before, after)) continue;
    if (before === undefined)
      report(context, path, 'constraint', 'narrower', `${keyword} ${showValue(after)} added`);
    else if (after === undefined)
      report(context, path, 'constraint', 'wider', `${keyword} ${showValue(before)} removed`);
    else
      report(
        context,
        path,
        'constraint',
        'changed',
        `${keyword} changed from ${showValue(before)} to ${showValue(after)}`,
      );
  }
  const uniqueBefore = oldSchema.uniqueItems === true;
  const uniqueAfter = newSchema.uniqueItems === true;
  if (uniqueAfter && !uniqueBefore)
    report(context, path, 'constraint', 'narrower', 'items must now be unique');
  if (uniqueBefore && !uniqueAfter)
    report(context, path, 'constraint', 'wider', 'items no longer need be unique');
}
