import { BatonError, type BatonErrorCode } from '@baton/sdk';
import { errorDescriptions, errorEntry } from '@baton/sdk/host';

/**
 * The codes the CLI itself reports. Each is described once, in
 * `ERROR_CATALOG` of `@baton/sdk`; errors from the runtime and the backends
 * keep their own codes (HUB_INVALID, CONFIG_ENV_MISSING, REDIS_* …).
 */
const CLI_CODES = [
  'CONFIG_NOT_FOUND',
  'CONFIG_INVALID',
  'SOURCE_NOT_FOUND',
  'SOURCE_SECRET_MISSING',
  'DATA_NOT_FOUND',
  'DATA_INVALID',
  'ENV_FILE_UNREADABLE',
  'GATEWAY_UNREACHABLE',
  'API_REFUSED',
  'EVENT_NOT_FOUND',
  'EVENT_INVALID',
  'FLOW_NOT_FOUND',
  'FLOW_INVALID',
  'PORT_INVALID',
  'PORT_IN_USE',
  'SERVE_TOKEN_REQUIRED',
  'REDIS_URL_MISSING',
  'OPTION_INVALID',
  'DURABILITY_INVALID',
  'DURATION_INVALID',
  'SANDBOX_LISTEN_FAILED',
  'CONNECTOR_NAME_INVALID',
  'DIRECTORY_NOT_EMPTY',
  'TEMPLATE_MISSING',
  'CONNECTOR_SOURCE_NOT_FOUND',
  'CONNECTOR_NOT_BUILT',
  'CONNECTOR_UNREADABLE',
  'PACKAGES_INVALID',
  'USAGE',
  'UNEXPECTED',
] as const satisfies readonly BatonErrorCode[];

/** A code the CLI reports. */
export type CliErrorCode = (typeof CLI_CODES)[number];

/** Every code the CLI itself reports, with what it means: a view of `ERROR_CATALOG`. */
export const CLI_ERROR_CODES = errorDescriptions(CLI_CODES);

/**
 * An error the CLI reports as `error <CODE>: <message>` and exits on with
 * `exitCode`: the one given, else the code's in the catalog (default 1).
 */
export class CliError extends BatonError {
  declare readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { code, cause: options.cause });
    this.exitCode = options.exitCode ?? exitCodeOf(code);
  }
}

/** The exit code for an error code: its catalog entry's `exitCode`, else 1 (a connector's code too). */
export function exitCodeOf(code: string): number {
  return errorEntry(code)?.exitCode ?? 1;
}
