import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from '@baton/sdk/host';
import { describeValue, didYouMean } from '../diagnostics/suggest';
import type { JsonPath } from '../json/json-document';
import { resolveRef as resolve, type SchemaNode, typeList } from './json-schema-ref';

/**
 * Checks the literal parts of a value against a JSON Schema (draft 2020-12,
 * as zod generates it): required fields, types, enum and const values, and
 * fields the schema does not have. Values computed at run time (a `{{ }}`
 * template, an `$env` reference) are opaque and skipped; a string with text
 * around its templates is known to be a string and checked as one.
 */

/** What the checker may assume about a value: computed at run time, or a string of unknown text. */
export type Opacity = 'any' | 'string' | false;

/** One mismatch, with a path relative to the checked value. */
export interface LiteralIssue {
  path: JsonPath;
  kind: 'missing' | 'type' | 'value' | 'unknown';
  /** What is wrong, phrased to follow the name of what expects it: `expects a number, got …`. */
  text: string;
}

export interface LiteralCheckOptions {
  /** How a value is computed at run time; `false` for a literal. */
  opacity(value: unknown): Opacity;
}

/** Checks `value` against `schema`; an absent value counts as an empty object when the schema wants one. */
export function checkLiterals(
  value: unknown,
  schema: JsonSchema,
  options: LiteralCheckOptions,
): LiteralIssue[] {
  const issues: LiteralIssue[] = [];
  const start = value === undefined && accepts(schema, schema, 'object') ? {} : value;
  check(start, schema, [], { root: schema, issues, options, depth: 0 });
  return issues;
}

interface Context {
  root: JsonSchema;
  issues: LiteralIssue[];
  options: LiteralCheckOptions;
  depth: number;
}

type Schema = SchemaNode;

function check(value: unknown, rawSchema: Schema, path: JsonPath, context: Context): void {
  const schema = resolve(rawSchema, context.root);
  if (schema === undefined || schema === true || context.depth > 64) return;
  if (schema === false) {
    context.issues.push({ path, kind: 'unknown', text: 'does not allow this field' });
    return;
  }
  const opacity = context.options.opacity(value);
  if (opacity === 'any') return;
  if (opacity === 'string') {
    if (!accepts(schema, context.root, 'string')) {
      const text = `expects ${expectedTypes(schema, context.root)}, got a text template (always a string)`;
      context.issues.push({ path, kind: 'type', text });
    }
    return;
  }
  const inner = { ...context, depth: context.depth + 1 };
  for (const part of (schema.allOf as Schema[] | undefined) ?? []) check(value, part, path, inner);
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) checkBranches(value, branches, path, inner);

  const types = typeList(schema.type);
  if (types && !types.some((t) => hasType(value, t))) {
    context.issues.push({
      path,
      kind: 'type',
      text: `expects ${typeNames(types)}, got ${describeValue(value)}`,
    });
    return;
  }
  if ('const' in schema && !isDeepStrictEqual(schema.const, value)) {
    context.issues.push({
      path,
      kind: 'value',
      text: `expects ${JSON.stringify(schema.const)}, got ${describeValue(value)}`,
    });
    return;
  }
  const allowed = schema.enum as unknown[] | undefined;
  if (Array.isArray(allowed) && !allowed.some((v) => isDeepStrictEqual(v, value))) {
    const list = allowed.map((v) => JSON.stringify(v)).join(', ');
    context.issues.push({ path, kind: 'value', text: `expects one of ${list}, got ${describeValue(value)}` });
    return;
  }
  if (isRecord(value)) checkObject(value, schema, path, inner);
  else if (Array.isArray(value)) checkArray(value, schema, path, inner);
}

function checkBranches(value: unknown, branches: Schema[], path: JsonPath, context: Context): void {
  const results = branches.map((branch) => {
    const issues: LiteralIssue[] = [];
    check(value, branch, path, { ...context, issues });
    return issues;
  });
  if (results.some((r) => r.length === 0)) return;
  const typeOnly = results.every(
    (r) => r.length === 1 && r[0]!.kind === 'type' && r[0]!.path.length === path.length,
  );
  if (typeOnly) {
    const types = branches.flatMap((b) => {
      const resolved = resolve(b, context.root);
      return typeof resolved === 'object' ? (typeList(resolved.type) ?? []) : [];
    });
    context.issues.push({
      path,
      kind: 'type',
      text: `expects ${typeNames(types)}, got ${describeValue(value)}`,
    });
    return;
  }
  context.issues.push(...results.reduce((a, b) => (b.length < a.length ? b : a)));
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  path: JsonPath,
  context: Context,
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const key of (schema.required as string[] | undefined) ?? []) {
    if (!Object.hasOwn(value, key))
      context.issues.push({ path: [...path, key], kind: 'missing', text: 'required' });
  }
  const extra = schema.additionalProperties as Schema;
  // zod's plain z.object() drops unknown keys and says nothing in its JSON
  // Schema; a field the action never sees is a mistake in a flow file.
  const closed =
    extra === false || (extra === undefined && schema.properties !== undefined && !schema.patternProperties);
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) check(value[key], properties[key], [...path, key], context);
    else if (closed) {
      const text = `has no field "${key}"${didYouMean(key, Object.keys(properties))}`;
      context.issues.push({ path: [...path, key], kind: 'unknown', text });
    } else if (typeof extra === 'object') check(value[key], extra, [...path, key], context);
  }
}

function checkArray(value: unknown[], schema: JsonSchema, path: JsonPath, context: Context): void {
  const prefix = (schema.prefixItems as Schema[] | undefined) ?? [];
  value.forEach((item, i) => {
    check(item, i < prefix.length ? prefix[i] : (schema.items as Schema), [...path, i], context);
  });
}

/** True when some value of JSON type `type` can match the schema. */
export function accepts(schema: Schema, root: JsonSchema, type: string): boolean {
  const resolved = resolve(schema, root);
  if (resolved === undefined || resolved === true) return true;
  if (resolved === false) return false;
  const branches = (resolved.anyOf ?? resolved.oneOf) as Schema[] | undefined;
  if (branches && !branches.some((b) => accepts(b, root, type))) return false;
  const types = typeList(resolved.type);
  return !types || types.includes(type) || (type === 'integer' && types.includes('number'));
}

function expectedTypes(schema: JsonSchema, root: JsonSchema): string {
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  const types = branches
    ? branches.flatMap((b) => {
        const r = resolve(b, root);
        return typeof r === 'object' ? (typeList(r.type) ?? []) : [];
      })
    : (typeList(schema.type) ?? []);
  return types.length ? typeNames(types) : 'another type';
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

const NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeNames(types: readonly string[]): string {
  const names = [...new Set(types)].map((t) => NAMES[t] ?? t);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'nothing');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
