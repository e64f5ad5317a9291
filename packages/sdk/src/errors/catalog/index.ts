import { CLI_CATALOG } from './cli';
import type { ErrorCodeEntry } from './entry';
import { GATEWAY_CATALOG } from './gateway';
import { RUNTIME_CATALOG } from './runtime';
import { SDK_CATALOG } from './sdk';

export type { ErrorCodeEntry } from './entry';

/**
 * Every error code Baton itself raises, each described once. One file per
 * area keeps the entries near their kind; a code two areas share (FLOW_NOT_FOUND
 * from the engine and the CLI, say) lives in one of them only, which a test
 * checks. Connectors may raise codes of their own (`BatonError.code` is a
 * string); those are not listed here.
 */
export const ERROR_CATALOG = {
  ...SDK_CATALOG,
  ...RUNTIME_CATALOG,
  ...GATEWAY_CATALOG,
  ...CLI_CATALOG,
} as const satisfies Record<string, ErrorCodeEntry>;

/** An error code from Baton's catalog. */
export type BatonErrorCode = keyof typeof ERROR_CATALOG;

type Catalog = typeof ERROR_CATALOG;

/** A code the gateway answers with: one whose entry has an HTTP status. */
export type HttpErrorCode = {
  [K in BatonErrorCode]: Catalog[K] extends { status: number } ? K : never;
}[BatonErrorCode];

/** The catalog's areas, for the test that no code is described twice. */
export const CATALOG_AREAS = {
  sdk: SDK_CATALOG,
  runtime: RUNTIME_CATALOG,
  gateway: GATEWAY_CATALOG,
  cli: CLI_CATALOG,
} as const;

/** True when `code` is one of Baton's own codes (not a connector's). */
export function isCatalogCode(code: string): code is BatonErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}

/** The catalog entry of a code, or undefined for a code Baton does not describe (a connector's own). */
export function errorEntry(code: string): ErrorCodeEntry | undefined {
  return isCatalogCode(code) ? ERROR_CATALOG[code] : undefined;
}

/**
 * The anchor of a code's entry in docs/troubleshooting.md, as GitHub makes
 * it from the `### CODE` heading: lower case, punctuation other than `_`
 * and `-` dropped (`HTTP_<status>` → `http_status`).
 */
export function errorAnchor(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

/** Where a code is explained, relative to the repository root. */
export function errorDocsPath(code: string): string {
  return `docs/troubleshooting.md#${errorAnchor(code)}`;
}

/** Code → description for the given codes: the per-package views (`GATEWAY_ERROR_CODES` …). */
export function errorDescriptions<C extends BatonErrorCode>(codes: readonly C[]): Record<C, string> {
  return Object.fromEntries(codes.map((code) => [code, ERROR_CATALOG[code].description])) as Record<
    C,
    string
  >;
}

/** Every code that has an HTTP status, with that status. */
export const HTTP_ERROR_STATUS = Object.fromEntries(
  Object.entries(ERROR_CATALOG as Record<string, ErrorCodeEntry>).flatMap(([code, entry]) =>
    entry.status === undefined ? [] : [[code, entry.status]],
  ),
) as Record<HttpErrorCode, number>;
