import { analyticsReport, type FlowAnalytics } from '../analytics/report';
import { spanOf } from '../analytics/tiers';
import type { Backend } from '../backend/types';
import type { CompiledFlow } from '../compile/compile-flow';
import { EngineError } from './engine-error';

/**
 * A flow's analytics over `since` to `until` (epoch ms), from the counters
 * its runs added as they ended: one read per time bucket in the window.
 * Throws FLOW_NOT_FOUND for a flow that is not current, and a RangeError
 * for a window no kept bucket can answer (check it with `spanOf` first).
 */
export async function flowAnalytics(
  backend: Backend,
  flows: ReadonlyMap<string, CompiledFlow>,
  flowId: string,
  window: { since: number; until: number },
  now: number,
): Promise<FlowAnalytics> {
  const flow = flows.get(flowId);
  if (!flow) throw new EngineError('FLOW_NOT_FOUND', `No flow "${flowId}"`);
  const span = spanOf(window.since, window.until, now);
  if (typeof span === 'string') throw new RangeError(span);
  const [counts, openings] = await Promise.all([
    backend.analytics.read(flowId, span),
    backend.analytics.breakerOpenings(span),
  ]);
  const breakers = new Map([...instancesOf(flow)].map((name) => [name, openings.get(name) ?? 0]));
  return analyticsReport(counts, {
    flow: flowId,
    span,
    until: window.until,
    stepOrder: flow.steps.map((step) => step.id),
    breakers,
  });
}

/** The connector instances a flow calls: its steps' routes (fallbacks included) and compensations. */
function instancesOf(flow: CompiledFlow): Set<string> {
  const instances = new Set<string>();
  for (const step of flow.steps) {
    for (const route of step.routes) instances.add(route.instance);
    if (step.compensate) instances.add(step.compensate.instance);
  }
  return instances;
}
