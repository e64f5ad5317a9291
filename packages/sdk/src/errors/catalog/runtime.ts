import type { ErrorCodeEntry } from './entry';

/**
 * Codes the runtime raises: loading a hub, expressions, engine operations,
 * failures recorded in runs, the Redis backend. The load-time diagnostics
 * (`DIAGNOSTIC_CODES` in `@baton/runtime`) are findings, not raised errors,
 * and keep their own table.
 */
export const RUNTIME_CATALOG = {
  // Loading a hub.
  HUB_INVALID: {
    description:
      'The config or a flow has diagnostics, so the hub refuses to start; the message lists each one as baton validate does.',
    retryable: false,
  },
  CONFIG_NOT_FOUND: {
    description:
      'The baton.config.json given (--config, default baton.config.json in the current folder) does not exist, or is a folder.',
    retryable: false,
  },
  CONFIG_READ_FAILED: {
    description: 'The baton.config.json given exists but cannot be read (permissions, a folder).',
    retryable: false,
  },
  SOURCE_SECRET_MISSING: {
    description:
      'A source has neither verify.secret nor verify.secrets: webhooks would be refused, and baton send has nothing to sign with.',
    retryable: false,
  },
  // Expressions.
  EXPRESSION_SYNTAX: {
    description: 'The text in {{ }} is not valid JSONata, or a {{ is not closed.',
    retryable: false,
  },
  EXPRESSION_EMPTY: { description: 'A {{ }} holds no expression.', retryable: false },
  EXPRESSION_FAILED: {
    description: 'The expression failed while it was evaluated (a type error, for example).',
    retryable: false,
  },
  EXPRESSION_LIMIT: {
    description:
      'The expression reached one of the limits on time, depth, sequence, string or value size while it was evaluated.',
    retryable: false,
  },
  EXPRESSION_FORBIDDEN: {
    description: 'The expression calls a function Baton does not offer ($eval).',
    retryable: false,
  },
  EXPRESSION_REGEX_UNSUPPORTED: {
    description:
      'A regular expression uses a feature the linear-time engine (RE2) does not support, such as a backreference or lookahead.',
    retryable: false,
  },
  // Refusals of engine operations (the admin API answers them with their status).
  FLOW_NOT_FOUND: {
    description: 'No flow with that id is loaded (for baton graph: no flow file at that path either).',
    status: 404,
    retryable: false,
  },
  RUN_NOT_FOUND: {
    description: 'No run with that id exists (or it was dropped by retention).',
    status: 404,
    retryable: false,
  },
  FLOW_VERSION_NOT_FOUND: {
    description:
      "A replay on the run's own version was asked for, and that version's definition is no longer kept (no retained run used it): replay on the current version.",
    status: 404,
    retryable: false,
  },
  RUN_NOT_REPLAYABLE: {
    description: 'Only failed or cancelled runs can be replayed.',
    status: 409,
    retryable: false,
  },
  STEP_NOT_FOUND: {
    description: 'The run has no step with that id.',
    status: 404,
    retryable: false,
  },
  STEP_NOT_WAITING: {
    description:
      'The step is not an approval step waiting for a decision (it was decided already, or timed out).',
    status: 409,
    retryable: false,
  },
  RUN_ALREADY_ENDED: {
    description: 'The run already ended; it cannot be cancelled.',
    status: 409,
    retryable: false,
  },
  RUN_WAIT_TIMEOUT: {
    description: 'The run did not end within the time given to wait for it.',
    status: 504,
    retryable: true,
  },
  // Failures the engine records in runs (besides connector and SDK codes).
  INPUT_EXPRESSION_FAILED: { description: "A step's input template failed to evaluate.", retryable: false },
  OUTPUT_EXPRESSION_FAILED: {
    description: "The flow's output template failed to evaluate.",
    retryable: false,
  },
  CONNECTOR_NOT_FOUND: {
    description:
      'A step names a connector instance that is not configured, or an admin API request names one the hub does not have.',
    status: 404,
    retryable: false,
  },
  BREAKER_OPEN: {
    description: "The connector instance's circuit breaker is open; the call was short-circuited.",
    retryable: true,
  },
  RUN_CANCELLED: { description: 'The run was cancelled.', retryable: false },
  FLOW_TIMEOUT: { description: 'The run lasted longer than the flow timeout.', retryable: false },
  FLOW_REMOVED: { description: 'The flow of a queued run is no longer loaded.', retryable: false },
  WAIT_TIMEOUT: {
    description: 'A wait or approval step waited longer than its timeout for its event or decision.',
    retryable: false,
  },
  APPROVAL_REJECTED: {
    description: 'An approver rejected the approval step.',
    retryable: false,
  },
  STEP_INTERRUPTED: {
    description:
      'The run turned to failure while this step waited (for its delay, a retry, or a forEach item); it was not tried again.',
    retryable: false,
  },
  DELAY_UNTIL_INVALID: {
    description: 'A delay step with "until" did not evaluate to a date.',
    retryable: false,
  },
  FOREACH_FAILED: { description: 'A forEach expression failed to evaluate.', retryable: false },
  TASK_FAILED: {
    description:
      'Baton itself failed handling this run repeatedly (a bug or a backend fault); the run was ended.',
    retryable: false,
  },
  UNKNOWN: {
    description: 'A run failed without a recorded cause (a fallback that should not be reached).',
    retryable: false,
  },
  // The Redis backend. The gateway answers the first two with 503 and Retry-After.
  BACKEND_UNAVAILABLE: {
    description:
      'The backend (Redis) cannot be reached, is loading, read-only or out of memory; nothing was acknowledged (a webhook answered so was not). Retry after Retry-After seconds.',
    status: 503,
    retryable: true,
  },
  DURABILITY_TIMEOUT: {
    description:
      'Strict mode: Redis did not confirm in time that the write reached its append-only file; retry after Retry-After seconds (a webhook was not acknowledged).',
    status: 503,
    retryable: true,
  },
  REDIS_EVICTION_POLICY: {
    description:
      'Redis may evict keys (maxmemory-policy is not noeviction), which would lose acknowledged events.',
    retryable: false,
  },
  REDIS_DURABILITY_UNMET: {
    description: 'Strict mode was asked for, but the Redis server cannot guarantee it.',
    retryable: false,
  },
  REDIS_VERSION_UNSUPPORTED: { description: 'The Redis server is older than 6.2.', retryable: false },
  REDIS_PREFIX_INVALID: {
    description: 'The key prefix has no Redis Cluster hash tag such as "{baton}".',
    retryable: false,
  },
  REDIS_URL_INVALID: { description: 'The Redis URL cannot be parsed.', retryable: false },
  REDIS_CLUSTER_NODES_INVALID: {
    description:
      'REDIS_CLUSTER_NODES is malformed (a seed that is not host:port, seeds with different credentials), or is set together with REDIS_URL.',
    retryable: false,
  },
  REDIS_PARTITIONS_INVALID: {
    description:
      'BATON_REDIS_PARTITIONS is not a whole number from 1 to 64, or BATON_WORKER_PARTITIONS names a partition the hub does not have.',
    retryable: false,
  },
  REDIS_PARTITIONS_MISMATCH: {
    description:
      "A process asks for another partition count (BATON_REDIS_PARTITIONS) than the hub's keys are spread over; every process of a hub must use the hub's count.",
    retryable: false,
  },
  // OAuth2 credentials at rest.
  CREDENTIALS_KEY_MISSING: {
    description:
      'A connector instance uses OAuth2 on the Redis backend, where tokens are kept only encrypted, and BATON_CREDENTIALS_KEY is not set.',
    retryable: false,
  },
  CREDENTIALS_KEY_INVALID: {
    description:
      'BATON_CREDENTIALS_KEY or BATON_CREDENTIALS_KEY_PREVIOUS is not 32 bytes written as base64 or hex, or the previous key is set without a current one.',
    retryable: false,
  },
  CREDENTIALS_UNREADABLE: {
    description:
      "An instance's stored OAuth2 credentials cannot be decrypted: they were written with a key this process does not have, or were altered.",
    retryable: false,
  },
} as const satisfies Record<string, ErrorCodeEntry>;
