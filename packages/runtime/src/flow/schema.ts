import { z } from 'zod';
import { durationSchema } from './duration';
import { commonStepFields, conditionSchema } from './step-fields';
import { approvalStepSchema, waitStepSchema } from './waiting-steps';

/**
 * The flow file language. This zod schema is the single source: types are
 * inferred from it and the shipped JSON Schema is generated from it.
 * Strings may hold `{{ expression }}` templates wherever a value is
 * computed (see the expressions module); the schema checks only structure.
 */

// Spelled out rather than with the `i` flag: JSON Schema patterns have no flags.
const ACTION = /^[A-Za-z0-9_-]+\.[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const actionRefSchema = z
  .string()
  .regex(ACTION, { error: 'must be "<connector instance>.<action-name>", such as "payment.charge"' })
  .meta({ description: 'The action to call: `<connector instance>.<action-name>`.' });

const triggerCondition = conditionSchema.meta({
  description:
    'A condition over `event`, usually one `{{ expression }}`; the flow starts only when it is truthy.',
});

export const retrySchema = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(100).optional().meta({
      description: 'Attempts in all, the first included. 1 disables retries.',
      default: 3,
    }),
    initialInterval: durationSchema
      .optional()
      .meta({ description: 'Wait before the first retry.', default: '1s' }),
    backoffCoefficient: z.number().min(1).max(10).optional().meta({
      description: 'Each wait is the previous one times this.',
      default: 2,
    }),
    maximumInterval: durationSchema.optional().meta({
      description: 'No wait is longer than this.',
      default: '100 × initialInterval',
    }),
    nonRetryable: z.array(z.string().min(1)).optional().meta({
      description: 'Error codes that fail at once, even when the error says it is retryable.',
    }),
  })
  .meta({ description: 'How often and how patiently a failing call is tried again (Temporal names).' });

const callFields = {
  input: z.unknown().optional().meta({ description: 'The input, with `{{ }}` templates.' }),
  retry: retrySchema.optional(),
  timeout: durationSchema
    .optional()
    .meta({ description: 'Per attempt; the action is aborted after it.', default: '30s' }),
};

export const routeSchema = z
  .strictObject({
    action: actionRefSchema,
    ...callFields,
    input: z.unknown().optional().meta({ description: "The input; the step's own input when absent." }),
  })
  .meta({
    description: 'An alternate route, tried when the routes before it failed or their breaker is open.',
  });

export const compensateSchema = z
  .strictObject({ action: actionRefSchema, ...callFields })
  .meta({ description: "Undoes this step's effect when the run fails later." });

export const actionStepSchema = z
  .strictObject({
    ...commonStepFields,
    action: actionRefSchema,
    ...callFields,
    forEach: z
      .union([z.string(), z.array(z.unknown())])
      .optional()
      .meta({
        description:
          'Runs the action once per item (`item` and `index` in expressions); outputs are collected in order.',
      }),
    concurrency: z.number().int().min(1).max(1000).optional().meta({
      description: 'With forEach: how many items run at once.',
      default: 10,
    }),
    fallback: z.array(routeSchema).optional().meta({
      description: 'Alternate routes, tried in order once the action fails for good or its breaker is open.',
    }),
    compensate: compensateSchema.optional(),
    continueOnError: z
      .boolean()
      .optional()
      .meta({ description: 'A failure of this step does not fail the run.' }),
  })
  .meta({ title: 'Action step', description: 'Calls a connector action.' });

export const delayStepSchema = z
  .strictObject({
    ...commonStepFields,
    delay: z.union([durationSchema, z.strictObject({ until: z.string().min(1) })]).meta({
      description:
        'How long to wait ("10m"), or until when ({ "until": "{{ event.data.startDate }}" }). No worker is held.',
    }),
  })
  .meta({ title: 'Delay step', description: 'Waits durably, then lets later steps run.' });

export const stepSchema = z.union([actionStepSchema, delayStepSchema, waitStepSchema, approvalStepSchema]);

export const onFailureStepSchema = actionStepSchema
  .omit({ needs: true, forEach: true, concurrency: true, compensate: true })
  .meta({
    title: 'onFailure step',
    description: 'Runs after a failed run is compensated; sees `run.error`.',
  });

export const webhookTriggerSchema = z
  .strictObject({
    source: z.string().min(1).meta({ description: 'A source named in baton.config.json.' }),
    event: z
      .string()
      .min(1)
      .meta({ description: 'Event type; a trailing `*` matches a family, such as "order.*".' }),
    if: triggerCondition.optional(),
    orderKey: z.string().min(1).optional().meta({
      description:
        'Runs of this flow with the same key run one at a time, in arrival order, across every worker; runs with different keys run in parallel. Usually one `{{ expression }}` over `event`, such as "{{ event.data.customerId }}". A key that evaluates to nothing (null, "") leaves the run unordered.',
    }),
    respond: z.enum(['async', 'sync']).optional().meta({
      description: '"sync" holds the webhook answer until the run ends (up to respondTimeout).',
      default: 'async',
    }),
    respondTimeout: durationSchema.optional().meta({
      description:
        'With respond "sync": how long the answer waits before falling back to 202 and a status URL.',
      default: '10s',
    }),
  })
  .meta({ title: 'Webhook trigger' });

export const scheduleTriggerSchema = z
  .strictObject({
    schedule: z
      .string()
      .min(1)
      .meta({ description: 'A cron expression (5 or 6 fields), such as "0 2 * * *".' }),
    timezone: z.string().optional().meta({ description: 'An IANA time zone.', default: 'UTC' }),
    catchUp: z.boolean().optional().meta({
      description: 'Run once for a tick missed while Baton was stopped.',
      default: false,
    }),
  })
  .meta({ title: 'Schedule trigger' });

export const triggerSchema = z.union([webhookTriggerSchema, scheduleTriggerSchema]);

export const flowSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path or URL of the flow JSON Schema, for editors.' }),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be kebab-case, such as "order-fulfillment"' })
      .meta({ description: 'The flow id, kebab-case, unique in the hub.' }),
    name: z.string().optional().meta({ description: 'A human name, shown in the dashboard.' }),
    description: z.string().optional().meta({ description: 'What the flow is for, shown in the dashboard.' }),
    trigger: triggerSchema.optional().meta({
      description: 'What starts the flow. Every flow can also be started by hand through the API.',
    }),
    timeout: durationSchema.optional().meta({ description: 'The whole run fails when it lasts longer.' }),
    steps: z
      .array(stepSchema)
      .min(1)
      .meta({ description: 'What the flow does, in order unless `needs` says otherwise.' }),
    onFailure: z.array(onFailureStepSchema).optional().meta({
      description: 'Steps run after a failed run was compensated; they see `run.error`.',
    }),
    output: z
      .unknown()
      .optional()
      .meta({ description: "The run's output, with `{{ }}` templates over the steps." }),
  })
  .meta({ title: 'Baton flow', description: 'A flow: what starts it and the steps it runs.' });

export type Flow = z.output<typeof flowSchema>;
export type Step = z.output<typeof stepSchema>;
export type ActionStep = z.output<typeof actionStepSchema>;
export type DelayStep = z.output<typeof delayStepSchema>;
export type WaitStep = z.output<typeof waitStepSchema>;
export type ApprovalStep = z.output<typeof approvalStepSchema>;
export type OnFailureStep = z.output<typeof onFailureStepSchema>;
export type Route = z.output<typeof routeSchema>;
export type RetryPolicy = z.output<typeof retrySchema>;
export type Trigger = z.output<typeof triggerSchema>;
export type WebhookTrigger = z.output<typeof webhookTriggerSchema>;
export type ScheduleTrigger = z.output<typeof scheduleTriggerSchema>;

export function isDelayStep(step: Step): step is DelayStep {
  return 'delay' in step;
}

export function isWaitStep(step: Step): step is WaitStep {
  return 'wait' in step;
}

export function isApprovalStep(step: Step): step is ApprovalStep {
  return 'approval' in step;
}

export function isActionStep(step: Step): step is ActionStep {
  return 'action' in step;
}

export function isScheduleTrigger(trigger: Trigger | undefined): trigger is ScheduleTrigger {
  return trigger !== undefined && 'schedule' in trigger;
}
