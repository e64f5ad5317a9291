/**
 * Every code the CLI itself reports, with what it means. Errors from the
 * runtime and the backends keep their own codes (HUB_INVALID,
 * CONFIG_ENV_MISSING, REDIS_* …); the troubleshooting guide is checked
 * against this list and theirs.
 */
export const CLI_ERROR_CODES = {
  CONFIG_NOT_FOUND:
    'The --config file (default baton.config.json in the current folder) does not exist, or is a folder.',
  CONFIG_INVALID:
    'baton.config.json does not match the config schema, so baton send cannot read its sources.',
  SOURCE_NOT_FOUND: 'baton send names a source that baton.config.json does not declare.',
  SOURCE_SECRET_MISSING:
    'The source has neither verify.secret nor verify.secrets, so there is nothing to sign with.',
  DATA_NOT_FOUND: 'The --data file of baton send does not exist.',
  DATA_INVALID: 'The --data file of baton send is not valid JSON or not a JSON object.',
  GATEWAY_UNREACHABLE: 'baton send could not connect to the --url (is baton serve running there?).',
  EVENT_NOT_FOUND: 'The --event file of baton run does not exist.',
  EVENT_INVALID:
    'The --event file of baton run is not valid JSON, its id, source, type or time is not a string, or its data nests deeper than the maxBodyDepth of the flow source (default 64).',
  FLOW_NOT_FOUND: 'No flow file at that path and no flow with that id in the config.',
  FLOW_INVALID: 'baton graph was given a flow file that does not match the flow schema.',
  PORT_INVALID: '--port is not a whole number from 0 to 65535.',
  PORT_IN_USE: 'Another process already listens on the --host and --port of baton serve.',
  SERVE_TOKEN_REQUIRED: 'baton serve was asked to listen on a non-loopback address without BATON_API_TOKEN.',
  REDIS_URL_MISSING:
    'baton worker (and baton serve --no-worker) share work through Redis and need REDIS_URL.',
  OPTION_INVALID:
    'An option is malformed: --concurrency, --drain or --timeout is not a whole number in range, or --url is not an http(s) URL.',
  DURABILITY_INVALID: 'BATON_DURABILITY is neither "default" nor "strict".',
  DURATION_INVALID: 'BATON_LOCK_DURATION or BATON_STALLED_INTERVAL is not a duration such as 30s.',
  SANDBOX_LISTEN_FAILED: 'baton sandbox could not listen on its --host and --port.',
  CONNECTOR_NAME_INVALID: 'baton new connector was given a name that is not kebab-case.',
  DIRECTORY_NOT_EMPTY: 'baton new connector would write into a folder that exists and is not empty.',
  TEMPLATE_MISSING: 'The connector template is missing from the installed @baton/cli package.',
  USAGE:
    'The command line itself is wrong: an unknown command or option, or a missing argument; --help lists them.',
  UNEXPECTED: 'An error without a code reached the CLI; the message says what failed.',
} as const;

/** A code the CLI reports. */
export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/**
 * An error the CLI reports as `error <CODE>: <message>` and exits 1 on.
 * Every code is listed in `CLI_ERROR_CODES` and the troubleshooting guide.
 */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}
