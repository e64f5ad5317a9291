import type { SerializedError } from '@baton/sdk/host';
import type { EngineEvent } from './events';

/** The longest a text field of a live event may be (ids, names, reasons). */
export const LIVE_TEXT_LIMIT = 200;
/** The longest error message a live event carries: enough to read in a list, not a whole answer body. */
export const LIVE_MESSAGE_LIMIT = 500;

/**
 * An engine event as it is sent to the other processes of a hub: the same
 * shape, bounded. Strings are cut to `LIVE_TEXT_LIMIT` characters, an
 * error keeps its name, code, message (cut to `LIVE_MESSAGE_LIMIT`) and
 * whether it is retryable, and nothing else nested is kept (an error's
 * `details` and `cause` may hold whatever a provider answered). A live
 * event is a hint that something moved; readers fetch the run for the rest.
 * Secrets are already replaced: the engine serializes errors with the
 * secrets its process knows.
 */
export function liveEventOf(event: EngineEvent): EngineEvent {
  const out: Record<string, unknown> = {};
  for (const key in event) {
    const value = (event as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = clip(value, LIVE_TEXT_LIMIT);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (key === 'error' && value !== null && typeof value === 'object') {
      out[key] = liveError(value as SerializedError);
    }
  }
  return out as EngineEvent;
}

function liveError(error: SerializedError): SerializedError {
  return {
    name: clip(String(error.name), LIVE_TEXT_LIMIT),
    code: clip(String(error.code), LIVE_TEXT_LIMIT),
    message: clip(String(error.message), LIVE_MESSAGE_LIMIT),
    retryable: error.retryable === true,
  };
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * Whether a value received from another process looks like a live event:
 * an object with a string `type`, `runId` and `flow` (the fields every
 * reader keys on). Anything else is ignored, never passed on.
 */
export function isLiveEvent(value: unknown): value is EngineEvent {
  if (value === null || typeof value !== 'object') return false;
  const event = value as Record<string, unknown>;
  return typeof event.type === 'string' && typeof event.runId === 'string' && typeof event.flow === 'string';
}
