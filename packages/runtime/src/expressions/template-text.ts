/**
 * Splits a string into literal text and `{{ }}` expressions. The closing
 * `}}` is found by scanning JSONata tokens, not by a regular expression, so
 * an expression may hold object constructors and strings with braces:
 * `{{ $merge([{"a": {"b": 1}}]) }}` is one expression.
 */

/** A literal part or one expression of a templated string. */
export type TemplatePiece =
  | { kind: 'text'; text: string }
  | {
      kind: 'expression';
      /** The text between the braces, untrimmed. */
      source: string;
      /** Index of the opening `{{` in the string. */
      offset: number;
    };

/** A `{{` without its `}}`; the caller turns it into an expression error. */
export class UnclosedTemplateError extends Error {
  readonly offset: number;

  constructor(offset: number) {
    super(`"{{" at character ${offset + 1} has no matching "}}"`);
    this.name = 'UnclosedTemplateError';
    this.offset = offset;
  }
}

/** Splits `text` into pieces; throws `UnclosedTemplateError` for a `{{` that is never closed. */
export function splitTemplate(text: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let cursor = 0;
  for (;;) {
    const open = text.indexOf('{{', cursor);
    if (open === -1) break;
    const close = findClose(text, open + 2);
    if (close === -1) throw new UnclosedTemplateError(open);
    if (open > cursor) pieces.push({ kind: 'text', text: text.slice(cursor, open) });
    pieces.push({ kind: 'expression', source: text.slice(open + 2, close), offset: open });
    cursor = close + 2;
  }
  if (cursor < text.length) pieces.push({ kind: 'text', text: text.slice(cursor) });
  return pieces;
}

/**
 * How a string evaluates: `none` holds no expression (a literal), `whole` is
 * exactly one expression (keeps the expression's type), `mixed` is text with
 * expressions (always a string).
 */
export type TemplateShape = 'none' | 'whole' | 'mixed';

/** The shape of a string's template; throws `UnclosedTemplateError` like `splitTemplate`. */
export function templateShape(text: string): TemplateShape {
  if (!text.includes('{{')) return 'none';
  return wholeExpression(splitTemplate(text)) ? 'whole' : 'mixed';
}

/** The one expression of pieces that are an expression with at most blank text around it. */
export function wholeExpression(
  pieces: readonly TemplatePiece[],
): Extract<TemplatePiece, { kind: 'expression' }> | undefined {
  const expressions = pieces.filter((p) => p.kind === 'expression');
  if (expressions.length !== 1) return undefined;
  const blankAround = pieces.every((p) => p.kind === 'expression' || p.text.trim() === '');
  return blankAround ? expressions[0] : undefined;
}

function findClose(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'" || char === '`') {
      i = skipQuoted(text, i, char);
      if (i === -1) return -1;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return -1;
      i = end + 1;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      // A stray "}" at depth 0 is left for JSONata to report as a syntax error.
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** Index of the closing quote of the string or backtick name opened at `start`, or -1. */
function skipQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    // Backtick names have no escapes in JSONata; strings do.
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
