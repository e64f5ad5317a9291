import {
  type OnFailureStep,
  onFailureStepSchema,
  type Step,
  stepSchema,
  type Trigger,
  triggerSchema,
} from '../flow/schema';
import type { JsonPath } from '../json/json-document';

/**
 * A flow taken apart so the cross-checks can run even when part of it does
 * not match the schema: a file with a bad duration in one step still gets
 * its unknown actions and broken references reported in the others.
 */
export interface FlowParts {
  id: string | undefined;
  trigger: Trigger | undefined;
  steps: StepPart<Step>[];
  onFailure: StepPart<OnFailureStep>[];
  /** The flow's `output` template, when there is one. */
  output: { value: unknown } | undefined;
}

/** One step as written, with what could be read of it. */
export interface StepPart<TStep> {
  index: number;
  /** Where the step sits in the file. */
  path: JsonPath;
  /** Its id, when it is a string. */
  id: string | undefined;
  /** Its `needs`, when it is a list of strings. */
  needs: string[] | undefined;
  /** The step, when it matches the schema. */
  step: TStep | undefined;
}

/** Splits a parsed flow file into parts that each match the schema or are left out. */
export function flowParts(value: unknown): FlowParts {
  const flow = isRecord(value) ? value : {};
  const trigger = triggerSchema.safeParse(flow.trigger);
  return {
    id: typeof flow.id === 'string' ? flow.id : undefined,
    trigger: flow.trigger !== undefined && trigger.success ? trigger.data : undefined,
    steps: stepParts(flow.steps, 'steps', (raw) => stepSchema.safeParse(raw)),
    onFailure: stepParts(flow.onFailure, 'onFailure', (raw) => onFailureStepSchema.safeParse(raw)),
    output: Object.hasOwn(flow, 'output') ? { value: flow.output } : undefined,
  };
}

function stepParts<TStep>(
  list: unknown,
  key: string,
  parse: (raw: unknown) => { success: true; data: TStep } | { success: false },
): StepPart<TStep>[] {
  if (!Array.isArray(list)) return [];
  return list.map((raw, index) => {
    const parsed = parse(raw);
    const record = isRecord(raw) ? raw : {};
    const needs = record.needs;
    return {
      index,
      path: [key, index],
      id: typeof record.id === 'string' ? record.id : undefined,
      needs: Array.isArray(needs) && needs.every((n) => typeof n === 'string') ? needs : undefined,
      step: parsed.success ? parsed.data : undefined,
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
