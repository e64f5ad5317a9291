import { flowOf, type PlanCase, runOf, STARTED, stepTask } from './_test-plan';
import type { Decision } from './decision';

/** Test support shared by the forEach tables: the flow whose "ship" step loops, and its runs and tasks. */

/** One case of a table: the planner's input, its name, and the decision expected. */
export interface Case extends PlanCase {
  name: string;
  expected: Decision;
}

/** "ship" loops over `event.data.items`, two at a time, with a retry and a fallback; "next" needs it. */
export const flow = flowOf({
  steps: [
    {
      id: 'ship',
      action: 'ship.create',
      needs: [],
      forEach: '{{ event.data.items }}',
      concurrency: 2,
      retry: { maxAttempts: 2, initialInterval: '1s' },
      fallback: [{ action: 'backup.create' }],
    },
    { id: 'next', action: 'svc.next' },
  ],
});

/** A run whose "ship" step fanned out `total` items. */
export const shipping = (total: number) =>
  runOf(flow, { ship: { ...STARTED, items: { total, succeeded: 0, failed: 0 } } });

/** The task of item `index` of "ship". */
export const item = (index: number, fields: { route?: number; attempt?: number } = {}) =>
  stepTask('ship', { item: index, ...fields });
