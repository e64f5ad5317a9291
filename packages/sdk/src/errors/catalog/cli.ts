import type { ErrorCodeEntry } from './entry';

/** Codes only the `baton` CLI reports (it also reports shared ones: CONFIG_NOT_FOUND, FLOW_NOT_FOUND …). */
export const CLI_CATALOG = {
  DATA_NOT_FOUND: {
    description: 'The --data file of baton send or baton run does not exist.',
    retryable: false,
  },
  DATA_INVALID: {
    description: 'The --data file of baton send or baton run is not valid JSON or not a JSON object.',
    retryable: false,
  },
  ENV_FILE_UNREADABLE: {
    description:
      'An --env-file of baton validate cannot be read (or this Node.js has no util.parseEnv: use 20.12 or newer).',
    retryable: false,
  },
  API_REFUSED: {
    description: 'The admin API of the running hub refused the request; its own code and message follow.',
    retryable: false,
  },
  GATEWAY_UNREACHABLE: {
    description: 'baton send could not connect to the --url (is baton serve running there?).',
    retryable: true,
  },
  EVENT_NOT_FOUND: { description: 'The --event file of baton run does not exist.', retryable: false },
  EVENT_INVALID: {
    description:
      'The --event file of baton run is not valid JSON, its id, source, type or time is not a string, its data nests deeper than the maxBodyDepth of the flow source (default 64), or it is a bare body for a source that wraps its data (pass it with --data).',
    retryable: false,
  },
  FLOW_INVALID: {
    description: 'baton graph was given a flow file that does not match the flow schema.',
    retryable: false,
  },
  PORT_INVALID: {
    description:
      '--port is not a whole number from 0 to 65535 (from 1 for baton worker, whose metrics are scraped on a fixed port).',
    retryable: false,
  },
  PORT_IN_USE: {
    description: 'Another process already listens on the --host and --port of baton serve or baton worker.',
    retryable: true,
  },
  REDIS_URL_MISSING: {
    description:
      'baton worker (and baton serve --no-worker) share work through Redis and need REDIS_URL (or REDIS_CLUSTER_NODES).',
    retryable: false,
  },
  OPTION_INVALID: {
    description:
      'An option is malformed: --concurrency, --drain or --timeout is not a whole number in range, --url is not an http(s) URL, or --connectors or --name of baton init is not one it takes.',
    retryable: false,
  },
  DURABILITY_INVALID: {
    description: 'BATON_DURABILITY is neither "default" nor "strict".',
    retryable: false,
  },
  DURATION_INVALID: {
    description:
      'BATON_LOCK_DURATION or BATON_STALLED_INTERVAL is not a duration such as 30s (in a flow or the config, a duration that does not parse is a diagnostic of the same code).',
    retryable: false,
  },
  SANDBOX_LISTEN_FAILED: {
    description: 'baton sandbox could not listen on its --host and --port.',
    retryable: true,
  },
  CONNECTOR_NAME_INVALID: {
    description: 'baton new connector was given a name that is not kebab-case.',
    retryable: false,
  },
  DIRECTORY_NOT_EMPTY: {
    description:
      'baton new connector or baton init would write into a folder that exists and is not empty (a lone .git is fine for init).',
    retryable: false,
  },
  TEMPLATE_MISSING: {
    description: 'The connector or hub template is missing from the installed @baton/cli package.',
    retryable: false,
  },
  PACKAGES_INVALID: {
    description:
      'The --packages folder of baton init or baton new connector does not exist, holds no @baton/* tarballs, lacks one the new package needs, or holds two versions of one.',
    retryable: false,
  },
  CONNECTOR_SOURCE_NOT_FOUND: {
    description:
      'baton connector diff was given an OLD or NEW that is not a file, a folder or a package installed where it runs.',
    retryable: false,
    exitCode: 2,
  },
  CONNECTOR_NOT_BUILT: {
    description:
      'baton connector diff was given a connector folder whose built module (the one its package.json exports, usually dist/index.js) does not exist.',
    retryable: false,
    exitCode: 2,
  },
  CONNECTOR_UNREADABLE: {
    description:
      'baton connector diff cannot read a connector: a JSON file that is not a manifest, a tarball tar cannot unpack, or a module that throws when imported or exports no connector.',
    retryable: false,
    exitCode: 2,
  },
  USAGE: {
    description:
      'The command line itself is wrong: an unknown command or option, or a missing argument; --help lists them.',
    retryable: false,
  },
  UNEXPECTED: {
    description: 'An error without a code reached the CLI; the message says what failed.',
    retryable: false,
  },
} as const satisfies Record<string, ErrorCodeEntry>;
