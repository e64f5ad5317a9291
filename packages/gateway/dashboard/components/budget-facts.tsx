import type { Step } from '../api/types';
import { Time } from './bits';

const REASONS = {
  rate: 'its rate limit is used up for now',
  concurrency: 'as many calls as it allows are in flight',
  paused: 'the provider asked it to pause',
} as const;

/**
 * A step whose call waits in the queue for its turn under its connector
 * instance's limits: which instance, why, since when and when it asks
 * again. Waiting is no attempt, so the attempt table does not show it.
 */
export function BudgetFacts({ step }: { step: Step }) {
  const { throttle } = step;
  if (!throttle || step.endedAt) return null;
  return (
    <dl class="facts budget-facts">
      <dt>Waits for its turn at</dt>
      <dd>
        <span class="mono">{throttle.instance}</span>: {REASONS[throttle.reason]}
      </dd>
      <dt>Waiting since</dt>
      <dd>
        <Time iso={throttle.since} />
      </dd>
      <dt>Asks again at</dt>
      <dd>
        <Time iso={throttle.until} />
      </dd>
    </dl>
  );
}
