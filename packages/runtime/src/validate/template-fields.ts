import { isActionStep, isApprovalStep, isDelayStep, isWaitStep } from '../flow/schema';
import type { JsonPath } from '../json/json-document';
import type { FlowParts } from './flow-parts';

/** Which names an expression at some place in a flow may read. */
export interface ReadScope {
  /** `trigger` sees the event only; `step` sees its dependencies; `final` (onFailure, output) sees every step. */
  kind: 'trigger' | 'step' | 'final';
  /** Kind `trigger`: which field, as messages name it. @default "the trigger's if" */
  where?: string;
  /** The step the expression belongs to (kind `step`). */
  stepIndex?: number;
  /** The onFailure step the expression belongs to: it also sees the onFailure steps before it. */
  failureIndex?: number;
  /** The step may read its own result (its compensation runs after it succeeded). */
  self?: boolean;
  /** `item` and `index` are set (inside a forEach step). */
  item?: boolean;
}

/** A string of a flow that may hold `{{ }}` templates, where it sits and what it may read. */
export interface TemplateField {
  path: JsonPath;
  text: string;
  scope: ReadScope;
}

/** Every string in a flow that is evaluated as a template. */
export function templateFields(parts: FlowParts): TemplateField[] {
  const fields: TemplateField[] = [];
  const add = (value: unknown, path: JsonPath, scope: ReadScope) =>
    collectStrings(value, path, scope, fields);

  const trigger = parts.trigger;
  if (trigger && 'if' in trigger) add(trigger.if, ['trigger', 'if'], { kind: 'trigger' });
  if (trigger && 'orderKey' in trigger) {
    add(trigger.orderKey, ['trigger', 'orderKey'], { kind: 'trigger', where: "the trigger's orderKey" });
  }

  for (const part of parts.steps) {
    const step = part.step;
    if (!step) continue;
    const scope: ReadScope = { kind: 'step', stepIndex: part.index };
    add(step.if, [...part.path, 'if'], scope);
    if (!isActionStep(step)) {
      if (isDelayStep(step) && typeof step.delay === 'object') {
        add(step.delay.until, [...part.path, 'delay', 'until'], scope);
      }
      if (isWaitStep(step)) {
        add(step.wait.key, [...part.path, 'wait', 'key'], scope);
        // Evaluated on each incoming event, before any run is found: it sees the event alone.
        add(step.wait.eventKey, [...part.path, 'wait', 'eventKey'], {
          kind: 'trigger',
          where: "a wait's eventKey",
        });
      }
      if (isApprovalStep(step)) {
        add(step.approval.title, [...part.path, 'approval', 'title'], scope);
        add(step.approval.details, [...part.path, 'approval', 'details'], scope);
      }
      continue;
    }
    add(step.forEach, [...part.path, 'forEach'], scope);
    const inLoop: ReadScope = { ...scope, item: step.forEach !== undefined };
    add(step.input, [...part.path, 'input'], inLoop);
    for (const [j, route] of (step.fallback ?? []).entries()) {
      add(route.input, [...part.path, 'fallback', j, 'input'], inLoop);
    }
    // A compensation runs once for the whole step, after it succeeded: no item, but its own output.
    if (step.compensate)
      add(step.compensate.input, [...part.path, 'compensate', 'input'], { ...scope, self: true });
  }

  for (const part of parts.onFailure) {
    if (!part.step) continue;
    const scope: ReadScope = { kind: 'final', failureIndex: part.index };
    add(part.step.if, [...part.path, 'if'], scope);
    add(part.step.input, [...part.path, 'input'], scope);
    for (const [j, route] of (part.step.fallback ?? []).entries()) {
      add(route.input, [...part.path, 'fallback', j, 'input'], scope);
    }
  }
  if (parts.output) add(parts.output.value, ['output'], { kind: 'final' });
  return fields;
}

function collectStrings(value: unknown, path: JsonPath, scope: ReadScope, out: TemplateField[]): void {
  if (typeof value === 'string') out.push({ path, text: value, scope });
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) collectStrings(item, [...path, i], scope, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) collectStrings(member, [...path, key], scope, out);
  }
}
