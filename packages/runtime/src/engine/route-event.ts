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
 */
export async function route(
  flows: Iterable<CompiledFlow>,
  event: CloudEvent,
  onError: (flow: string, error: Error) => void = () => {},
): Promise<CompiledFlow[]> {
  const chosen: CompiledFlow[] = [];
  for (const flow of flows) {
    const trigger = flow.flow.trigger;
    if (!trigger || isScheduleTrigger(trigger)) continue;
    if (trigger.source !== event.source || !eventMatches(trigger.event, event.type)) continue;
    if (flow.triggerIf) {
      try {
        const value = await flow.triggerIf.evaluate({ event, steps: {}, run: {} });
        if (!truthy(value)) continue;
      } catch (error) {
        onError(flow.id, error as Error);
        continue;
      }
    }
    chosen.push(flow);
  }
  return chosen;
}
