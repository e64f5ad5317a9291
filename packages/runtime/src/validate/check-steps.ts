import type { Diagnostic } from '../diagnostics/diagnostic';
import { templateShape } from '../expressions/template-text';
import { parseDuration } from '../flow/duration';
import { type ActionStep, isDelayStep, type RetryPolicy } from '../flow/schema';
import type { JsonDocument, JsonPath } from '../json/json-document';
import type { FlowParts } from './flow-parts';

/**
 * Checks within one step that the schema cannot express: a condition that
 * is a plain string (always true), a forEach that is not one expression,
 * `concurrency` without `forEach`, a zero timeout, retry intervals in the
 * wrong order, and a delay `until` that is neither a date nor an expression.
 */
export function checkSteps(parts: FlowParts, document: JsonDocument): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const push = (d: Diagnostic) => diagnostics.push(d);
  const condition = (value: unknown, path: JsonPath) => {
    const problem = conditionProblem(value);
    if (problem) push(document.diagnostic('CONDITION_NOT_EXPRESSION', path, problem));
  };

  const trigger = parts.trigger;
  if (trigger && 'if' in trigger) condition(trigger.if, ['trigger', 'if']);
  if (trigger && 'respondTimeout' in trigger) {
    positive(trigger.respondTimeout, ['trigger', 'respondTimeout'], document, push);
  }

  for (const part of [...parts.steps, ...parts.onFailure]) {
    const step = part.step;
    if (!step) continue;
    condition(step.if, [...part.path, 'if']);
    if (isDelayStep(step)) {
      const until = typeof step.delay === 'object' ? step.delay.until : undefined;
      if (until !== undefined && shapeOf(until) === 'none' && Number.isNaN(Date.parse(until))) {
        push(
          document.diagnostic(
            'DELAY_BAD_UNTIL',
            [...part.path, 'delay', 'until'],
            `"${until}" is not a date-time such as "2030-01-31T09:00:00Z" nor one {{ }} expression`,
          ),
        );
      }
      continue;
    }
    const action = step as ActionStep;
    if (typeof action.forEach === 'string' && shapeOf(action.forEach) !== 'whole') {
      push(
        document.diagnostic(
          'FOREACH_NOT_EXPRESSION',
          [...part.path, 'forEach'],
          'must be a list or exactly one {{ }} expression that gives a list, such as "{{ event.data.items }}"',
        ),
      );
    }
    if (action.concurrency !== undefined && action.forEach === undefined) {
      push(
        document.diagnostic(
          'STEP_CONCURRENCY_WITHOUT_FOREACH',
          [...part.path, 'concurrency'],
          'concurrency applies to forEach steps only; add a forEach or remove it',
        ),
      );
    }
    positive(action.timeout, [...part.path, 'timeout'], document, push);
    retryOrder(action.retry, [...part.path, 'retry'], document, push);
    action.fallback?.forEach((route, j) => {
      positive(route.timeout, [...part.path, 'fallback', j, 'timeout'], document, push);
      retryOrder(route.retry, [...part.path, 'fallback', j, 'retry'], document, push);
    });
    if (action.compensate) {
      positive(action.compensate.timeout, [...part.path, 'compensate', 'timeout'], document, push);
      retryOrder(action.compensate.retry, [...part.path, 'compensate', 'retry'], document, push);
    }
  }
  return diagnostics;
}

function conditionProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const shape = shapeOf(value);
  if (shape === 'whole' || shape === 'error') return undefined;
  if (shape === 'mixed') {
    return 'must be exactly one {{ }} expression; text around it makes a non-empty string, which is always true';
  }
  return `a plain string is always true; write the condition as an expression: "{{ ${value} }}"`;
}

function positive(
  duration: string | undefined,
  path: JsonPath,
  document: JsonDocument,
  push: (d: Diagnostic) => void,
) {
  if (duration !== undefined && parseDuration(duration) === 0) {
    push(document.diagnostic('DURATION_INVALID', path, 'must be longer than 0'));
  }
}

function retryOrder(
  retry: RetryPolicy | undefined,
  path: JsonPath,
  document: JsonDocument,
  push: (d: Diagnostic) => void,
) {
  if (!retry?.initialInterval || !retry.maximumInterval) return;
  if (parseDuration(retry.maximumInterval) < parseDuration(retry.initialInterval)) {
    push(
      document.diagnostic(
        'DURATION_INVALID',
        [...path, 'maximumInterval'],
        `must not be shorter than initialInterval (${retry.initialInterval})`,
      ),
    );
  }
}

/** The template shape, or `error` for an unclosed `{{` (reported by the expression check). */
function shapeOf(text: string): ReturnType<typeof templateShape> | 'error' {
  try {
    return templateShape(text);
  } catch {
    return 'error';
  }
}
