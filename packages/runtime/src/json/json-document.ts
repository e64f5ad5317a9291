import { findNodeAtLocation, getLocation, type Node, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { DiagnosticCode } from '../diagnostics/codes';
import { type Diagnostic, toPointer } from '../diagnostics/diagnostic';

/** A path into a JSON value: property names and array indexes. */
export type JsonPath = readonly (string | number)[];

/** Where a diagnostic points: the value at a path, or the name of the property that holds it. */
export type JsonTarget = 'value' | 'key';

/**
 * A parsed JSON file that remembers where every value is, so any check can
 * report `file:line:col` for a path.
 */
export interface JsonDocument {
  readonly file: string;
  readonly text: string;
  /** The parsed value; `undefined` when the text is not JSON. */
  readonly value: unknown;
  /** 1-based position of the value (or key) at `path`, or of its nearest ancestor that exists. */
  position(path: JsonPath, target?: JsonTarget): { line: number; col: number };
  /** A diagnostic at `path`, its message prefixed with the path's JSON pointer. */
  diagnostic(code: DiagnosticCode, path: JsonPath, text: string, target?: JsonTarget): Diagnostic;
}

/** Which codes the syntax-level problems of this kind of file carry. */
export interface JsonCodes {
  syntax: DiagnosticCode;
  duplicateKey: DiagnosticCode;
}

/**
 * Parses strict JSON (no comments, no trailing commas) and keeps positions.
 * Returns every syntax error and duplicated key, not only the first.
 */
export function parseJsonDocument(
  text: string,
  file: string,
  codes: JsonCodes,
): { document: JsonDocument; diagnostics: Diagnostic[] } {
  // A byte-order mark is not JSON, but editors write it; a space keeps offsets.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors: Array<{ error: number; offset: number; length: number }> = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false });
  const lines = lineStarts(source);
  const at = (offset: number) => toLineCol(lines, offset);
  const diagnostics: Diagnostic[] = [];

  const diagnosticAt = (
    code: DiagnosticCode,
    path: JsonPath,
    message: string,
    offset: number,
  ): Diagnostic => {
    const pointer = toPointer(path);
    return { file, ...at(offset), pointer, code, message: pointer ? `${pointer}: ${message}` : message };
  };
  const syntax = (offset: number, message: string) => {
    const path = getLocation(source, offset).path.filter((segment) => segment !== '');
    diagnostics.push(diagnosticAt(codes.syntax, path, message, offset));
  };
  if (source.trim() === '') {
    syntax(0, 'the file is empty; it must hold one JSON object');
  } else {
    // After an error the parser recovers and often trips again on the same
    // line; only the first error of a line is worth reading.
    const reportedLines = new Set<number>();
    for (const error of errors) {
      const described = describeSyntaxError(source, error.error, error.offset);
      const line = at(described.offset).line;
      if (reportedLines.has(line)) continue;
      reportedLines.add(line);
      syntax(described.offset, described.message);
    }
  }

  const duplicateKey = (keyNode: Node, path: JsonPath) => {
    const message = 'this property is given twice in the same object; remove one (JSON keeps only the last)';
    diagnostics.push(diagnosticAt(codes.duplicateKey, path, message, keyNode.offset));
  };
  const value = diagnostics.length === 0 && root ? nodeValue(root, duplicateKey) : undefined;

  const document: JsonDocument = {
    file,
    text,
    value,
    position: (path, target = 'value') => at(locate(root, path, target)),
    diagnostic: (code, path, message, target = 'value') =>
      diagnosticAt(code, path, message, locate(root, path, target)),
  };
  return { document, diagnostics };
}

function locate(root: Node | undefined, path: JsonPath, target: JsonTarget): number {
  if (!root) return 0;
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length) as (string | number)[]);
    if (!node) continue;
    const property = node.parent?.type === 'property' ? node.parent : undefined;
    if (target === 'key' && length === path.length && property?.children?.[0]) {
      return property.children[0].offset;
    }
    return node.offset;
  }
  return root.offset;
}

/**
 * The value of a tree node. Properties are defined, not assigned, so a key
 * such as `__proto__` stays an own property (as with `JSON.parse`).
 */
function nodeValue(
  node: Node,
  onDuplicate: (key: Node, path: JsonPath) => void,
  path: JsonPath = [],
): unknown {
  if (node.type === 'array') {
    return (node.children ?? []).map((child, i) => nodeValue(child, onDuplicate, [...path, i]));
  }
  if (node.type !== 'object') return node.value;
  const out: Record<string, unknown> = {};
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    if (Object.hasOwn(out, key)) onDuplicate(keyNode, [...path, key]);
    Object.defineProperty(out, key, {
      value: nodeValue(valueNode, onDuplicate, [...path, key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: 'expected the end of the file after the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in string',
  InvalidCharacter: 'control characters in strings must be escaped',
};

function describeSyntaxError(
  text: string,
  code: number,
  offset: number,
): { offset: number; message: string } {
  const name = printParseErrorCode(code as Parameters<typeof printParseErrorCode>[0]);
  if (name === 'PropertyNameExpected' || name === 'ValueExpected') {
    const closer = text[offset];
    const comma = previousNonSpace(text, offset);
    if ((closer === '}' || closer === ']') && comma !== -1 && text[comma] === ',') {
      return { offset: comma, message: 'trailing commas are not allowed in JSON' };
    }
  }
  return { offset, message: SYNTAX_MESSAGES[name] ?? name };
}

function previousNonSpace(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') starts.push(i + 1);
    else if (char === '\r' && text[i + 1] !== '\n') starts.push(i + 1);
  }
  return starts;
}

function toLineCol(starts: readonly number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, col: offset - starts[low]! + 1 };
}
