/**
 * A refusal of an engine operation (unknown flow, run not found, run not
 * replayable …). The gateway maps each code to an HTTP status in one table.
 */
export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

export const ENGINE_ERROR_CODES = {
  FLOW_NOT_FOUND: 'No flow with that id is loaded.',
  RUN_NOT_FOUND: 'No run with that id exists (or it was dropped by retention).',
  RUN_NOT_REPLAYABLE: 'Only failed or cancelled runs can be replayed.',
  RUN_ALREADY_ENDED: 'The run already ended; it cannot be cancelled.',
  RUN_WAIT_TIMEOUT: 'The run did not end within the time given to wait for it.',
} as const;

export type EngineErrorCode = keyof typeof ENGINE_ERROR_CODES;

/** Codes of errors the engine records in runs (besides connector and SDK codes). */
export const RUN_ERROR_CODES = {
  INPUT_EXPRESSION_FAILED: "A step's input template failed to evaluate.",
  OUTPUT_EXPRESSION_FAILED: "The flow's output template failed to evaluate.",
  CONNECTOR_NOT_FOUND: 'A step names a connector instance that is not configured.',
  BREAKER_OPEN: "The connector instance's circuit breaker is open; the call was short-circuited.",
  RUN_CANCELLED: 'The run was cancelled.',
  FLOW_TIMEOUT: 'The run lasted longer than the flow timeout.',
  FLOW_REMOVED: 'The flow of a queued run is no longer loaded.',
  DELAY_UNTIL_INVALID: 'A delay step with "until" did not evaluate to a date.',
  FOREACH_FAILED: 'A forEach expression failed to evaluate.',
  TASK_FAILED:
    'Baton itself failed handling this run repeatedly (a bug or a backend fault); the run was ended.',
  UNKNOWN: 'A run failed without a recorded cause (a fallback that should not be reached).',
} as const;
