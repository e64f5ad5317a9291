import { BatonError, hasCode } from '@baton/sdk';
import { errorDescriptions } from '@baton/sdk/host';
import jsonata from 'jsonata';
import { guardEvaluation } from './guard';
import { EXPRESSION_LIMITS, isLimitError, JSONATA_OPTIONS, jsonataMessage, stringTooLong } from './limits';
import { unsupportedRegex } from './linear-regex';
import { toPlainData } from './plain-data';
import { splitTemplate, type TemplatePiece, UnclosedTemplateError, wholeExpression } from './template-text';

/**
 * `{{ }}` templates. A string that is exactly one `{{ expression }}` keeps the
 * expression's type; any other string with templates is joined into a
 * string. Objects and arrays are templated member by member. Expressions are
 * JSONata, compiled once when the flow loads, evaluated over a scope that
 * holds `event`, `steps`, `item`, `index` and `run` and nothing else, with
 * bounds on time, depth, sequence and string size. JSONata does not execute
 * JavaScript, reads own properties only, and results are handed back as
 * plain JSON data (no functions, no prototype-polluting keys).
 */

export { EXPRESSION_LIMITS } from './limits';

/** What an expression can see. */
export interface ExpressionScope {
  event: unknown;
  steps: Record<string, { output?: unknown; status: string; error?: unknown }>;
  item?: unknown;
  index?: number;
  run: Record<string, unknown>;
}

/** One `{{ }}` occurrence, for error messages and static checks. */
export interface ExpressionSite {
  /** The text between the braces, trimmed. */
  source: string;
  /** The JSONata AST, for static checks. */
  ast: unknown;
}

export interface CompiledTemplate {
  /** True when the value holds no expression: `evaluate` returns it as is. */
  readonly isStatic: boolean;
  /** Every expression in the value. */
  readonly sites: readonly ExpressionSite[];
  evaluate(scope: ExpressionScope): Promise<unknown>;
  /** For a static value: the value, at once (a fresh copy of objects and arrays each call). */
  readonly build?: () => unknown;
}

const EXPRESSION_CODES = [
  'EXPRESSION_SYNTAX',
  'EXPRESSION_EMPTY',
  'EXPRESSION_FAILED',
  'EXPRESSION_LIMIT',
  'EXPRESSION_FORBIDDEN',
  'EXPRESSION_REGEX_UNSUPPORTED',
] as const;

/** The codes of `ExpressionError`: a view of `ERROR_CATALOG` in `@baton/sdk`. */
export const EXPRESSION_ERROR_CODES = errorDescriptions(EXPRESSION_CODES);

/**
 * An expression that does not compile (`EXPRESSION_SYNTAX`, `EXPRESSION_EMPTY`,
 * `EXPRESSION_REGEX_UNSUPPORTED`), or fails when evaluated (`EXPRESSION_FAILED`,
 * `EXPRESSION_LIMIT`, `EXPRESSION_FORBIDDEN`).
 */
export class ExpressionError extends BatonError {
  declare readonly code: (typeof EXPRESSION_CODES)[number];
  readonly expression: string;

  constructor(code: (typeof EXPRESSION_CODES)[number], expression: string, message: string) {
    super(message, { code });
    this.expression = expression;
  }
}

/** True for an `ExpressionError`, recognised by marker and code (two copies of the runtime may be loaded). */
export function isExpressionError(error: unknown): error is ExpressionError {
  return hasCode(error, ...EXPRESSION_CODES);
}

/** Compiles a templated value. Throws `ExpressionError` on a syntax error. */
export function compileTemplate(value: unknown): CompiledTemplate {
  if (typeof value === 'string') return compileString(value);
  if (Array.isArray(value)) return compileComposite(value.map(compileTemplate), (parts) => parts);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const parts = keys.map((key) => compileTemplate((value as Record<string, unknown>)[key]));
    // Assigning a "__proto__" key would set the prototype: such objects are built apart (the
    // spread of a null-prototype object defines it as a plain key), the others directly.
    const unsafe = keys.includes('__proto__');
    if (!unsafe && parts.every((p) => p.build)) return staticObject(keys, parts);
    return compileComposite(parts, (results) => {
      const out: Record<string, unknown> = unsafe ? Object.create(null) : {};
      for (let i = 0; i < keys.length; i++) {
        if (results[i] !== undefined) out[keys[i]!] = results[i];
      }
      return unsafe ? { ...out } : out;
    });
  }
  return staticTemplate(value);
}

/** True when `text` contains at least one `{{ }}`. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

function staticTemplate(value: unknown): CompiledTemplate {
  return { isStatic: true, sites: [], evaluate: async () => value, build: () => value };
}

/**
 * An object without expressions (a step's input often is), rebuilt on every
 * call so callers may mutate it: its plain fields copied by one spread of a
 * template made once, which V8 copies whole, its objects and arrays rebuilt.
 */
function staticObject(keys: readonly string[], parts: readonly CompiledTemplate[]): CompiledTemplate {
  const template: Record<string, unknown> = {};
  const nested: Array<[key: string, build: () => unknown]> = [];
  for (let i = 0; i < keys.length; i++) {
    const value = parts[i]!.build!();
    if (value === undefined) continue;
    template[keys[i]!] = value;
    if (value !== null && typeof value === 'object') nested.push([keys[i]!, parts[i]!.build!]);
  }
  const build =
    nested.length === 0
      ? () => ({ ...template })
      : () => {
          const out = { ...template };
          for (const [key, part] of nested) out[key] = part();
          return out;
        };
  return { isStatic: true, sites: [], evaluate: async () => build(), build };
}

function compileComposite(
  parts: CompiledTemplate[],
  assemble: (results: unknown[]) => unknown,
): CompiledTemplate {
  if (parts.every((p) => p.build)) {
    // Nothing to compute; keep the literal value but rebuild it once per call
    // so callers may mutate results safely.
    const build = () => assemble(parts.map((p) => p.build!()));
    return { isStatic: true, sites: [], evaluate: async () => build(), build };
  }
  return {
    isStatic: false,
    sites: parts.flatMap((p) => p.sites),
    evaluate: async (scope) => assemble(await Promise.all(parts.map((p) => p.evaluate(scope)))),
  };
}

function compileString(text: string): CompiledTemplate {
  if (!hasTemplate(text)) return staticTemplate(text);
  let pieces: TemplatePiece[];
  try {
    pieces = splitTemplate(text);
  } catch (error) {
    if (!(error instanceof UnclosedTemplateError)) throw error;
    throw new ExpressionError('EXPRESSION_SYNTAX', text, `"${text}": ${error.message}`);
  }
  const whole = wholeExpression(pieces);
  if (whole) {
    const expression = compileExpression(whole.source);
    return { isStatic: false, sites: [expression.site], evaluate: (scope) => expression.evaluate(scope) };
  }
  const parts = pieces.map((p) => (p.kind === 'text' ? p.text : compileExpression(p.source)));
  const sites = parts.filter((p): p is CompiledExpression => typeof p !== 'string').map((p) => p.site);
  if (sites.length === 0) return staticTemplate(text);
  return {
    isStatic: false,
    sites,
    async evaluate(scope) {
      const values = await Promise.all(parts.map((p) => (typeof p === 'string' ? p : p.evaluate(scope))));
      const texts = values.map((v, i) => (typeof parts[i] === 'string' ? (v as string) : stringify(v)));
      let length = 0;
      for (const t of texts) length += t.length;
      if (length > EXPRESSION_LIMITS.stringLength) {
        throw new ExpressionError('EXPRESSION_LIMIT', text, `"${text}" ${stringTooLong()}`);
      }
      return texts.join('');
    },
  };
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface CompiledExpression {
  site: ExpressionSite;
  evaluate(scope: ExpressionScope): Promise<unknown>;
}

/** Bindings that shadow JSONata built-ins we do not offer. */
const DISABLED = {
  // $eval parses text from data at run time: expressions are compiled once, at load.
  eval: () => {
    throw new ExpressionError('EXPRESSION_FORBIDDEN', '$eval', '$eval is not available in Baton expressions');
  },
};

function compileExpression(rawSource: string): CompiledExpression {
  const source = rawSource.trim();
  if (source === '') throw new ExpressionError('EXPRESSION_EMPTY', source, 'empty expression "{{ }}"');
  const path = simplePath(source);
  let compiled: ReturnType<typeof jsonata>;
  try {
    compiled = jsonata(source, JSONATA_OPTIONS);
  } catch (error) {
    throw new ExpressionError('EXPRESSION_SYNTAX', source, `"{{ ${source} }}": ${jsonataMessage(error)}`);
  }
  const ast = compiled.ast();
  const regexProblem = unsupportedRegex(ast);
  if (regexProblem) {
    throw new ExpressionError('EXPRESSION_REGEX_UNSUPPORTED', source, `"{{ ${source} }}": ${regexProblem}`);
  }
  guardEvaluation(compiled);
  const site = { source, ast };
  return {
    site,
    async evaluate(scope) {
      if (path) {
        const fast = readPath(scope, path);
        if (fast.done) return toPlainData(fast.value);
      }
      try {
        return toPlainData(await compiled.evaluate(scope, DISABLED));
      } catch (error) {
        if (isExpressionError(error)) throw error;
        throw new ExpressionError(
          isLimitError(error) ? 'EXPRESSION_LIMIT' : 'EXPRESSION_FAILED',
          source,
          `"{{ ${source} }}" failed: ${jsonataMessage(error)}`,
        );
      }
    },
  };
}

/**
 * `event.data.sku`, the most common expression, read directly: own
 * properties only, and no arrays on the way (JSONata maps over those, so
 * they take the general path).
 */
const SIMPLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function simplePath(source: string): string[] | undefined {
  return SIMPLE_PATH.test(source) ? source.split('.') : undefined;
}

function readPath(root: unknown, path: string[]): { done: boolean; value?: unknown } {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return { done: false };
    if (!Object.hasOwn(current, key)) return { done: true, value: undefined };
    current = (current as Record<string, unknown>)[key];
  }
  if (Array.isArray(current)) return { done: false };
  return { done: true, value: current };
}
