import type { CompiledFlow } from '../compile/compile-flow';
import type { EngineLogger } from '../log/logger';
import type { CloudEvent } from '../model/run-record';
import { keyText } from '../plan/waiting';

/**
 * The order key of a new run of `flow` for `event`: the flow's
 * `trigger.orderKey` evaluated on the event (under the expression limits,
 * as every template), as the backends' lines hold it: strings as they are,
 * other values as JSON, keys over 200 characters by their SHA-256, as wait
 * keys are.
 *
 * Undefined leaves the run unordered: the flow has no orderKey, the key
 * evaluates to nothing (undefined, null, ''), or it fails. A key that fails
 * on an event is logged and the run starts unordered, as a wait's
 * `eventKey` that fails is logged and skipped: the event is not lost for
 * the flow, which a dropped run would be.
 */
export async function orderKeyOf(
  flow: CompiledFlow,
  event: CloudEvent,
  log: EngineLogger,
): Promise<string | undefined> {
  if (!flow.orderKey) return undefined;
  let value: unknown;
  try {
    value = await flow.orderKey.evaluate({ event, steps: {}, run: {} });
  } catch (error) {
    log.warn(
      { flow: flow.id, eventId: event.id, err: (error as Error).message },
      'trigger orderKey failed on an event; the run starts unordered',
    );
    return undefined;
  }
  if (value === undefined || value === null || value === '') return undefined;
  return keyText(value);
}
