import { BatonError } from '@baton/sdk';
import { errorDescriptions } from '@baton/sdk/host';

const ENGINE_CODES = [
  'FLOW_NOT_FOUND',
  'FLOW_VERSION_NOT_FOUND',
  'RUN_NOT_FOUND',
  'RUN_NOT_REPLAYABLE',
  'RUN_ALREADY_ENDED',
  'STEP_NOT_FOUND',
  'STEP_NOT_WAITING',
  'RUN_WAIT_TIMEOUT',
] as const;

/** A code of `EngineError`. */
export type EngineErrorCode = (typeof ENGINE_CODES)[number];

/**
 * A refusal of an engine operation (unknown flow, run not found, run not
 * replayable …). A `BatonError`: the gateway answers it with the HTTP status
 * of its code in `ERROR_CATALOG`, recognising it by marker and code.
 */
export class EngineError extends BatonError {
  declare readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(message, { code });
  }
}

/** The codes of `EngineError`: a view of `ERROR_CATALOG` in `@baton/sdk`. */
export const ENGINE_ERROR_CODES = errorDescriptions(ENGINE_CODES);

/** Codes of errors the engine records in runs (besides connector and SDK codes): a view of `ERROR_CATALOG`. */
export const RUN_ERROR_CODES = errorDescriptions([
  'INPUT_EXPRESSION_FAILED',
  'OUTPUT_EXPRESSION_FAILED',
  'CONNECTOR_NOT_FOUND',
  'BREAKER_OPEN',
  'RUN_CANCELLED',
  'FLOW_TIMEOUT',
  'FLOW_REMOVED',
  'STEP_INTERRUPTED',
  'WAIT_TIMEOUT',
  'APPROVAL_REJECTED',
  'DELAY_UNTIL_INVALID',
  'FOREACH_FAILED',
  'TASK_FAILED',
  'UNKNOWN',
]);
