import { type Attributes, context, trace } from '@opentelemetry/api';
import type { RunRecord } from '../model/run-record';
import type { CallOutcome, ThrottledCall } from '../plan/decision';
import { parentOf, recordFailure, recordThrown, runtimeTracer } from './spans';

/** What names an attempt (the executor's `CallRequest` is one). */
export interface AttemptFacts {
  runId: string;
  flow: string;
  step: string;
  route: { instance: string; action: string };
  /** 0 for the step's own action, 1 for its first fallback, … */
  routeIndex: number;
  attempt: number;
  item: number | undefined;
}

/**
 * One attempt of one route inside a `step <id>` span (`compensate <id>` for
 * a compensation), child of the task being handled (or of the run's trace):
 * connector instance, action, route (0 the step's own action, 1 its first
 * fallback …), attempt and outcome. The connector's outgoing HTTP calls are
 * its children (the SDK's client makes them, under this span made active).
 */
export async function traceAttempt(
  run: RunRecord,
  request: AttemptFacts,
  compensation: boolean,
  call: () => Promise<CallOutcome | ThrottledCall>,
  secrets: readonly string[],
): Promise<CallOutcome | ThrottledCall> {
  const attributes: Attributes = {
    'baton.flow': request.flow,
    'baton.run.id': request.runId,
    'baton.step': request.step,
    'baton.connector': request.route.instance,
    'baton.action': request.route.action,
    'baton.route': request.routeIndex,
    'baton.attempt': request.attempt,
  };
  if (request.item !== undefined) attributes['baton.item'] = request.item;
  if (compensation) attributes['baton.compensation'] = true;
  const parent = parentOf(run);
  const span = runtimeTracer().startSpan(
    `${compensation ? 'compensate' : 'step'} ${request.step}`,
    { attributes },
    parent,
  );
  try {
    const outcome = await context.with(trace.setSpan(parent, span), call);
    if ('throttled' in outcome) {
      // Not an attempt: the call waits in the queue for its instance's budget.
      span.setAttributes({ 'baton.outcome': 'throttled', 'baton.throttle.reason': outcome.reason });
    } else if (outcome.ok) {
      span.setAttribute('baton.outcome', 'succeeded');
    } else {
      span.setAttributes({ 'baton.outcome': 'failed', 'baton.retryable': outcome.serialized.retryable });
      recordFailure(span, outcome.serialized);
    }
    return outcome;
  } catch (error) {
    recordThrown(span, error, secrets);
    throw error;
  } finally {
    span.end();
  }
}
