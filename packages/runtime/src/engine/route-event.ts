import type { CompiledFlow } from '../compile/compile-flow';
import { truthy } from '../compile/scope';
import { isScheduleTrigger } from '../flow/schema';
import type { CloudEvent } from '../model/run-record';

/** True when an event type matches a trigger's pattern: exact, `*`, or a `prefix.*` family. */
export function eventMatches(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  if (pattern.endsWith('*')) return type.startsWith(pattern.slice(0, -1));
  return false;
}

/**
 * The flows an event starts: those whose trigger names its source and
 * matches its type, and whose `if` holds. A trigger `if` that fails to
 * evaluate does not start the flow (and is reported through `onError`).
 * At once when no matching flow has an `if` (every event pays this: no
 * async frame for it then), else a promise.
 */
export function route(
  flows: Iterable<CompiledFlow>,
  event: CloudEvent,
  onError: (flow: string, error: Error) => void = () => {},
): CompiledFlow[] | Promise<CompiledFlow[]> {
  const chosen: CompiledFlow[] = [];
  const rest = flows[Symbol.iterator]();
  for (let next = rest.next(); !next.done; next = rest.next()) {
    const flow = next.value;
    if (!triggeredBy(flow, event)) continue;
    if (flow.triggerIf) return routeWithIf(chosen, flow, rest, event, onError);
    chosen.push(flow);
  }
  return chosen;
}

/** Whether the flow's trigger names the event's source and matches its type. */
function triggeredBy(flow: CompiledFlow, event: CloudEvent): boolean {
  const trigger = flow.flow.trigger;
  if (!trigger || isScheduleTrigger(trigger)) return false;
  return trigger.source === event.source && eventMatches(trigger.event, event.type);
}

/** route() from the first matching flow with an `if` on: `flow`, then those `rest` has left. */
async function routeWithIf(
  chosen: CompiledFlow[],
  flow: CompiledFlow,
  rest: Iterator<CompiledFlow>,
  event: CloudEvent,
  onError: (flow: string, error: Error) => void,
): Promise<CompiledFlow[]> {
  if (await ifHolds(flow, event, onError)) chosen.push(flow);
  for (let next = rest.next(); !next.done; next = rest.next()) {
    const candidate = next.value;
    if (triggeredBy(candidate, event) && (await ifHolds(candidate, event, onError))) chosen.push(candidate);
  }
  return chosen;
}

/** Whether the flow's trigger `if` (when it has one) holds for the event; false when it fails. */
async function ifHolds(
  flow: CompiledFlow,
  event: CloudEvent,
  onError: (flow: string, error: Error) => void,
): Promise<boolean> {
  if (!flow.triggerIf) return true;
  try {
    return truthy(await flow.triggerIf.evaluate({ event, steps: {}, run: {} }));
  } catch (error) {
    onError(flow.id, error as Error);
    return false;
  }
}
