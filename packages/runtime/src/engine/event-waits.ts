import type { EventWaitKeys } from '../backend/types';
import type { CompiledFlow } from '../compile/compile-flow';
import type { CompiledTemplate } from '../expressions/template';
import type { EngineLogger } from '../log/logger';
import type { CloudEvent } from '../model/run-record';
import { keyText } from '../plan/waiting';

/** The `eventKey`s of the wait steps on one (source, type), with the longest lookback of each. */
type WaitSpecs = Array<{ eventKey: CompiledTemplate; lookbackMs: number; where: string }>;

/** An event's wait keys: at once when no wait step names its (source, type), the common event. */
export type WaitKeysOf = (
  event: CloudEvent,
) => EventWaitKeys | undefined | Promise<EventWaitKeys | undefined>;

/**
 * The keys an incoming event may end waits with: each wait step's
 * `eventKey` evaluated on the event, once per distinct expression. Built
 * from the loaded flows once; an event of a (source, type) no wait names
 * costs one map lookup.
 */
export function eventWaitKeys(flows: Iterable<CompiledFlow>, log: EngineLogger): WaitKeysOf {
  // By source, then type: an event's lookup builds no key.
  const bySource = new Map<string, Map<string, WaitSpecs>>();
  for (const flow of flows) {
    for (const step of flow.steps) {
      if (!step.wait) continue;
      let byType = bySource.get(step.wait.source);
      if (!byType) {
        byType = new Map();
        bySource.set(step.wait.source, byType);
      }
      const specs = byType.get(step.wait.event) ?? [];
      const text = sitesOf(step.wait.eventKey);
      const same = specs.find((s) => sitesOf(s.eventKey) === text);
      if (same) same.lookbackMs = Math.max(same.lookbackMs, step.wait.lookbackMs);
      else
        specs.push({
          eventKey: step.wait.eventKey,
          lookbackMs: step.wait.lookbackMs,
          where: `${flow.id}.${step.id}`,
        });
      byType.set(step.wait.event, specs);
    }
  }

  return function keysOf(event: CloudEvent) {
    const specs = bySource.get(event.source)?.get(event.type);
    return specs ? evaluateKeys(event, specs, log) : undefined;
  };
}

async function evaluateKeys(event: CloudEvent, specs: WaitSpecs, log: EngineLogger): Promise<EventWaitKeys> {
  const keys = new Map<string, number>();
  for (const spec of specs) {
    let value: unknown;
    try {
      value = await spec.eventKey.evaluate({ event, steps: {}, run: {} });
    } catch (error) {
      log.warn(
        { step: spec.where, eventId: event.id, err: (error as Error).message },
        'wait eventKey failed on an event',
      );
      continue;
    }
    // An event without the field ends no wait.
    if (value === undefined || value === null) continue;
    const key = keyText(value);
    keys.set(key, Math.max(keys.get(key) ?? 0, spec.lookbackMs));
  }
  return { keys: [...keys].map(([key, lookbackMs]) => ({ key, lookbackMs })) };
}

function sitesOf(template: CompiledTemplate): string {
  return template.sites.map((site) => site.source).join('\u0000');
}
