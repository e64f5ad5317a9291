import type { ExpressionScope } from '../expressions/template';
import type { RunRecord } from '../model/run-record';

/**
 * What expressions see for a run: the event, every step's output, status
 * and error, and the run's own facts. Nothing else: no environment, no
 * config, no secrets.
 */
export function scopeOf(run: RunRecord, extra?: { item?: unknown; index?: number }): ExpressionScope {
  const steps: ExpressionScope['steps'] = {};
  for (const step of run.steps) {
    steps[step.id] = {
      status: step.status,
      ...(step.output !== undefined ? { output: step.output } : {}),
      ...(step.error !== undefined ? { error: step.error } : {}),
    };
  }
  return {
    event: run.event,
    steps,
    run: {
      id: run.id,
      flow: run.flow,
      trigger: run.trigger,
      status: run.status,
      createdAt: run.createdAt,
      ...(run.error ? { error: run.error } : {}),
      ...(run.replayOf ? { replayOf: run.replayOf } : {}),
    },
    ...(extra && 'item' in extra ? { item: extra.item, index: extra.index } : {}),
  };
}

/** The scope of a template that reads nothing (a static one). */
export const EMPTY_SCOPE: ExpressionScope = Object.freeze({ event: null, steps: {}, run: {} });

/** JSONata's truthiness is JavaScript's, but an empty array and an empty object count as false too. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}
