import { isAbsolute, relative } from 'node:path';
import type { DiagnosticCode } from './codes';

/** One problem found at load time, where it is. */
export interface Diagnostic {
  /** The file, as it was given (absolute when found through the config). */
  file: string;
  /** 1-based line of the offending value. */
  line: number;
  /** 1-based column of the offending value. */
  col: number;
  /** RFC 6901 JSON pointer to the offending value ("" for the whole document). */
  pointer: string;
  /** A stable code, listed in `DIAGNOSTIC_CODES`. */
  code: DiagnosticCode;
  /** What is wrong, starting with the pointer: `/steps/1/action: ...`. */
  message: string;
  /** A warning does not make the file invalid: it says what will likely not work. @default error */
  severity?: 'warning';
}

/** Options of `formatDiagnostic`. */
export interface FormatDiagnosticOptions {
  /** Absolute file names are shown relative to this folder. @default the file as stored */
  cwd?: string;
}

/**
 * `file:line:col message [CODE]`, the form editors and terminals turn into
 * links.
 *
 * @example
 * ```ts
 * formatDiagnostic(d, { cwd: process.cwd() });
 * // flows/order.json:7:17 /steps/1/action: connector "payment" has no action "chrage" [STEP_UNKNOWN_ACTION]
 * ```
 */
export function formatDiagnostic(diagnostic: Diagnostic, options: FormatDiagnosticOptions = {}): string {
  const file =
    options.cwd && isAbsolute(diagnostic.file) ? relative(options.cwd, diagnostic.file) : diagnostic.file;
  const warning = diagnostic.severity === 'warning' ? 'warning: ' : '';
  return `${file}:${diagnostic.line}:${diagnostic.col} ${warning}${diagnostic.message} [${diagnostic.code}]`;
}

/** Diagnostics of one file in reading order (line, then column); the sort is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Encodes a path as an RFC 6901 JSON pointer. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
