import { z } from 'zod';
import { durationSchema } from './duration';
import { commonStepFields } from './step-fields';

/**
 * Steps that wait for something outside the run: an event from another
 * system (`wait`), or a person's decision (`approval`). Neither holds a
 * worker while it waits; the step's `timeout` bounds the wait.
 */

const waitTimeout = durationSchema.optional().meta({
  description:
    'How long the step may wait; it then fails with WAIT_TIMEOUT. Without it, it waits until cancelled.',
});

export const waitStepSchema = z
  .strictObject({
    ...commonStepFields,
    wait: z
      .strictObject({
        source: z
          .string()
          .min(1)
          .meta({ description: 'The source (in baton.config.json) the event comes from.' }),
        event: z
          .string()
          .min(1)
          .meta({ description: 'The event type to wait for, such as "payment_intent.succeeded".' }),
        key: z.string().min(1).meta({
          description:
            'What this run waits for, evaluated in the run when the wait starts, such as "{{ steps.charge.output.id }}".',
        }),
        eventKey: z.string().min(1).meta({
          description:
            'Evaluated on each incoming event of that source and type (it sees `event`); the wait ends when it equals `key`.',
        }),
        lookback: durationSchema.optional().meta({
          description: 'An event that arrived this long before the wait started ends it too.',
          default: '0s',
        }),
      })
      .meta({ description: 'The event that ends the wait; the step’s output is that event.' }),
    timeout: waitTimeout,
  })
  .meta({ title: 'Wait step', description: 'Waits for a correlated event from another system.' });

export const approvalStepSchema = z
  .strictObject({
    ...commonStepFields,
    approval: z
      .strictObject({
        title: z.string().min(1).meta({
          description:
            'The question put to the approver, with `{{ }}` templates: "Admin access for {{ event.data.email }}?"',
        }),
        details: z
          .string()
          .optional()
          .meta({ description: 'More context for the approver, with `{{ }}` templates.' }),
      })
      .meta({
        description:
          'Waits for a person to approve or reject (admin API, `baton approve`, the dashboard); reject fails the step with APPROVAL_REJECTED.',
      }),
    timeout: waitTimeout,
  })
  .meta({ title: 'Approval step', description: 'Waits for a person’s decision.' });
