import type { z } from 'zod';
import type { DiagnosticCode } from '../diagnostics/codes';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { describeValue, didYouMean } from '../diagnostics/suggest';
import { DURATION_PATTERN } from '../flow/duration';
import type { JsonDocument, JsonPath, JsonTarget } from './json-document';
import { objectKeysAt, valueAt } from './zod-shape';

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into positioned diagnostics with messages written for
 * people: `required`, `expected a number, got the string "ten"`, `unknown
 * property; did you mean "action"?`. For a union (a step is an action step
 * or a delay step), only the issues of the branch the author most likely
 * meant are reported.
 */
export function schemaDiagnostics(
  document: JsonDocument,
  schema: z.ZodType,
  issues: readonly Issue[],
  code: DiagnosticCode,
): Diagnostic[] {
  const found: Finding[] = [];
  collect(issues, [], { document, schema, found });
  return found.map((f) => document.diagnostic(f.code ?? code, f.path, f.text, f.target));
}

interface Finding {
  path: JsonPath;
  text: string;
  target: JsonTarget;
  code?: DiagnosticCode;
}

interface Context {
  document: JsonDocument;
  schema: z.ZodType;
  found: Finding[];
}

function collect(issues: readonly Issue[], base: JsonPath, context: Context): void {
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    const value = valueAt(context.document.value, path);
    const push = (text: string, target: JsonTarget = 'value', code?: DiagnosticCode) =>
      context.found.push({ path, text, target, ...(code ? { code } : {}) });
    switch (issue.code) {
      case 'invalid_type':
        push(
          value === undefined
            ? 'required'
            : `expected ${typeName(issue.expected)}, got ${describeValue(value)}`,
        );
        break;
      case 'unrecognized_keys': {
        const known = objectKeysAt(context.schema, path);
        for (const key of issue.keys) {
          context.found.push({
            path: [...path, key],
            text: `unknown property${didYouMean(key, known)}`,
            target: 'key',
          });
        }
        break;
      }
      case 'invalid_union':
        collectUnion(issue, path, value, context, push);
        break;
      case 'invalid_value':
        push(`must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map(literal).join(', ')}`);
        break;
      case 'invalid_format': {
        const isDuration = issue.format === 'regex' && issue.pattern === String(DURATION_PATTERN);
        push(issue.message, 'value', isDuration ? 'DURATION_INVALID' : undefined);
        break;
      }
      case 'too_small':
      case 'too_big':
        push(sizeMessage(issue));
        break;
      case 'invalid_key': {
        const reason = issue.issues[0]?.message ?? issue.message;
        push(`the name "${String(path.at(-1))}" is not allowed: ${reason}`, 'key');
        break;
      }
      default:
        push(issue.message);
    }
  }
}

function collectUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: JsonPath,
  value: unknown,
  context: Context,
  push: (text: string) => void,
): void {
  if (issue.errors.length === 0) {
    // A discriminated union whose discriminator (such as `scheme`) matched no option.
    const options = ((issue as { options?: unknown[] }).options ?? []).map(literal);
    const allowed = options.length ? `one of ${options.join(', ')}` : 'a known value';
    push(value === undefined ? `required: ${allowed}` : `must be ${allowed}, got ${describeValue(value)}`);
    return;
  }
  const expected = typeMismatches(issue.errors);
  if (expected) {
    const types = [...new Set(expected)].map(typeName);
    push(
      value === undefined
        ? 'required'
        : `expected ${types.slice(0, -1).join(', ')}${types.length > 1 ? ' or ' : ''}${types.at(-1)}, got ${describeValue(value)}`,
    );
    return;
  }
  const best = issue.errors.reduce((a, b) => (score(b) < score(a) ? b : a));
  collect(best, path, context);
}

/** The expected types when every branch failed only because the value has another type. */
function typeMismatches(branches: readonly (readonly Issue[])[]): string[] | undefined {
  const expected: string[] = [];
  for (const branch of branches) {
    if (branch.length !== 1 || branch[0]!.path.length !== 0) return undefined;
    const only = branch[0]!;
    if (only.code === 'invalid_type') expected.push(only.expected);
    else if (only.code === 'invalid_union' && only.errors.length > 0) {
      const nested = typeMismatches(only.errors);
      if (!nested) return undefined;
      expected.push(...nested);
    } else return undefined;
  }
  return expected;
}

/**
 * How far a branch is from what was written: a value of the wrong type for
 * the whole branch counts most, an unknown or missing property counts one.
 */
function score(issues: readonly Issue[]): number {
  let total = 0;
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') total += issue.keys.length;
    else if (issue.path.length > 0) total += 1;
    else if (issue.code === 'invalid_type') total += 100;
    else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      total += Math.min(...issue.errors.map(score));
    } else total += 1;
  }
  return total;
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = Number(
    small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum,
  );
  const bound =
    issue.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most';
  switch (issue.origin) {
    case 'array':
      return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
    case 'string':
      return small && limit === 1 ? 'must not be empty' : `must have ${bound} ${limit} characters`;
    default:
      return `must be ${bound} ${limit}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
  record: 'an object',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
