import { NonRetryableError } from '@baton/sdk';
import { type SerializedError, serializeError } from '@baton/sdk/host';
import type { CompiledFlow, CompiledStep } from '../compile/compile-flow';
import { scopeOf, truthy } from '../compile/scope';
import type { CompiledTemplate } from '../expressions/template';
import type { RunRecord } from '../model/run-record';
import { waitEntryOf } from '../model/wait';
import type { Ask, Facts } from '../plan/decision';
import type { ExecuteContext } from './context';

/** What gathering a fact gave: facts to add, the run read again, or `gone` when it no longer exists. */
export type Gathered = { facts: Facts; run?: RunRecord } | 'gone';

/** Computes the fact the planner asked for: evaluates expressions, or reads the store. */
export async function gather(
  ctx: ExecuteContext,
  flow: CompiledFlow,
  run: RunRecord,
  ask: Ask,
): Promise<Gathered> {
  switch (ask.fact) {
    case 'conditions': {
      const conditions = new Map<string, string | undefined>();
      for (const id of ask.steps) conditions.set(id, await skipReason(flow.byId.get(id)!, ask.run));
      return { facts: { conditions } };
    }
    case 'output':
      return { facts: { output: await evaluated(flow.output!, ask.run) } };
    case 'delayUntil':
      return { facts: { delayUntil: await evaluated(flow.byId.get(ask.step)!.delayUntil!, ask.run) } };
    case 'list':
      return { facts: { list: await listOf(flow.byId.get(ask.step)!, ask.run) } };
    case 'items':
      return { facts: { items: await ctx.backend.runs.items(run.id, ask.step) } };
    case 'waitKey':
      return { facts: { waitKey: await evaluated(flow.byId.get(ask.step)!.wait!.key, ask.run) } };
    case 'approvalText':
      return { facts: { approvalText: await approvalText(flow.byId.get(ask.step)!, ask.run) } };
    case 'match': {
      // Asked only for a step waiting with its wait recorded (plan.ts): its entry says where to look.
      const wait = run.steps.find((s) => s.id === ask.step)?.wait;
      const event = wait ? await ctx.backend.waits.matched(waitEntryOf(run, ask.step, wait)) : undefined;
      return { facts: { match: { event } } };
    }
    case 'run': {
      const fresh = await ctx.backend.runs.get(run.id);
      return fresh ? { facts: { fresh: true }, run: fresh } : 'gone';
    }
  }
}

async function evaluated(
  template: CompiledTemplate,
  run: RunRecord,
): Promise<{ value: unknown } | { error: string }> {
  try {
    return { value: await template.evaluate(scopeOf(run)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** An approval step's question, evaluated in the run, as text. */
async function approvalText(step: CompiledStep, run: RunRecord): Promise<Facts['approvalText'] & object> {
  const approval = step.approval!;
  const title = await evaluated(approval.title, run);
  if ('error' in title) return title;
  const details = approval.details ? await evaluated(approval.details, run) : undefined;
  if (details && 'error' in details) return details;
  return {
    title: asText(title.value),
    ...(details !== undefined ? { details: asText(details.value) } : {}),
  };
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** Why a ready step with a condition is skipped; undefined when it runs. */
async function skipReason(step: CompiledStep, run: RunRecord): Promise<string | undefined> {
  let value: unknown;
  try {
    value = await step.condition!.evaluate(scopeOf(run));
  } catch (error) {
    // A condition that cannot be evaluated does not run the step; the reason says why.
    return `condition failed: ${(error as Error).message}`;
  }
  return truthy(value) ? undefined : 'condition is false';
}

/** The forEach list, or the error that says why there is none. */
async function listOf(step: CompiledStep, run: RunRecord): Promise<unknown[] | SerializedError> {
  try {
    const value = await step.forEach!.evaluate(scopeOf(run));
    if (Array.isArray(value)) return value;
    // JSONata collapses a one-item result to the item itself: a single value is a list of one.
    return value === undefined || value === null ? [] : [value];
  } catch (error) {
    return serializeError(
      new NonRetryableError(
        `Step "${step.id}": forEach could not be evaluated: ${(error as Error).message}`,
        {
          code: 'FOREACH_FAILED',
        },
      ),
    );
  }
}
