import { type CompiledTemplate, compileTemplate } from '../expressions/template';
import { parseDuration } from '../flow/duration';
import {
  type ActionStep,
  type Flow,
  isApprovalStep,
  isDelayStep,
  isScheduleTrigger,
  isWaitStep,
  type Step,
} from '../flow/schema';
import { flowVersionOf } from './flow-version';
import { type ResolvedRetry, resolveRetry } from './retry-policy';

/** The default per-attempt timeout. */
export const DEFAULT_STEP_TIMEOUT_MS = 30_000;
/** The default forEach concurrency. */
export const DEFAULT_CONCURRENCY = 10;

/** One way to serve a step: its own action, or a fallback. */
export interface CompiledRoute {
  /** `<instance>.<action>` */
  action: string;
  instance: string;
  actionName: string;
  input: CompiledTemplate;
  retry: ResolvedRetry;
  timeoutMs: number;
}

export interface CompiledStep {
  id: string;
  index: number;
  phase: 'main' | 'onFailure';
  /** Step ids that must end first, resolved (a missing `needs` means the previous step). */
  needs: readonly string[];
  /** Where each of `needs` is in the flow's steps (and so in a run's step records), or -1. */
  needIndexes: readonly number[];
  condition?: CompiledTemplate;
  kind: 'action' | 'delay' | 'wait' | 'approval';
  /** Routes in order: the step's action first, then its fallbacks. Empty for delays. */
  routes: readonly CompiledRoute[];
  forEach?: CompiledTemplate;
  concurrency: number;
  compensate?: CompiledRoute;
  continueOnError: boolean;
  /** Delay steps: a fixed wait, or a template giving the time to wake. */
  delayMs?: number;
  delayUntil?: CompiledTemplate;
  /** Wait steps: the event that ends the wait. */
  wait?: CompiledWait;
  /** Approval steps: what the approver is asked. */
  approval?: { title: CompiledTemplate; details?: CompiledTemplate };
  /** Wait and approval steps: how long they may wait (none: until cancelled). */
  waitTimeoutMs?: number;
}

/** What a wait step waits for: an event of `source` and `event` whose `eventKey` equals its `key`. */
export interface CompiledWait {
  source: string;
  event: string;
  /** Evaluated in the run when the wait starts. */
  key: CompiledTemplate;
  /** Evaluated on each incoming event of that source and type; sees `event` only. */
  eventKey: CompiledTemplate;
  /** Events this long before the wait started count. */
  lookbackMs: number;
}

export interface CompiledFlow {
  id: string;
  /** The flow's content hash (flow-version.ts): runs record it and run to their end on it. */
  version: string;
  /** The connector packages (`name@version`) of the instances its actions call, by instance: runs record them. */
  connectors?: Readonly<Record<string, string>>;
  flow: Flow;
  /** Main steps in file order, then onFailure steps. */
  steps: readonly CompiledStep[];
  byId: ReadonlyMap<string, CompiledStep>;
  main: readonly CompiledStep[];
  onFailure: readonly CompiledStep[];
  /** Steps that need this one, by id. */
  dependents: ReadonlyMap<string, readonly string[]>;
  triggerIf?: CompiledTemplate;
  /** `trigger.orderKey`: evaluated on each event that starts a run; sees `event` only. */
  orderKey?: CompiledTemplate;
  output?: CompiledTemplate;
  timeoutMs?: number;
}

/**
 * Prepares a validated flow for the engine: needs resolved, templates
 * compiled once, retry policies and timeouts filled in. Assumes the static
 * checks passed (no cycles, unique ids); throws on expressions that do not
 * compile.
 */
export function compileFlow(flow: Flow): CompiledFlow {
  const compiled = [
    ...flow.steps.map((step, index) =>
      compileStep(step, index, 'main', index === 0 ? [] : [flow.steps[index - 1]!.id]),
    ),
    ...(flow.onFailure ?? []).map((step, index) =>
      compileStep(
        step as ActionStep,
        flow.steps.length + index,
        'onFailure',
        index === 0 ? [] : [flow.onFailure![index - 1]!.id],
      ),
    ),
  ];
  const positions = new Map(compiled.map((s) => [s.id, s.index]));
  const steps: CompiledStep[] = compiled.map((s) => ({
    ...s,
    needIndexes: s.needs.map((need) => positions.get(need) ?? -1),
  }));
  const main = steps.filter((s) => s.phase === 'main');
  const onFailure = steps.filter((s) => s.phase === 'onFailure');
  const dependents = new Map<string, string[]>();
  for (const step of steps) {
    for (const need of step.needs) dependents.set(need, [...(dependents.get(need) ?? []), step.id]);
  }
  const trigger = flow.trigger;
  return {
    id: flow.id,
    version: flowVersionOf(flow),
    flow,
    steps,
    main,
    onFailure,
    byId: new Map(steps.map((s) => [s.id, s])),
    dependents,
    ...(trigger && !isScheduleTrigger(trigger) && trigger.if !== undefined
      ? { triggerIf: compileTemplate(trigger.if) }
      : {}),
    ...(trigger && !isScheduleTrigger(trigger) && trigger.orderKey !== undefined
      ? { orderKey: compileTemplate(trigger.orderKey) }
      : {}),
    ...(flow.output !== undefined ? { output: compileTemplate(flow.output) } : {}),
    ...(flow.timeout ? { timeoutMs: parseDuration(flow.timeout) } : {}),
  };
}

function compileStep(
  step: Step,
  index: number,
  phase: 'main' | 'onFailure',
  previous: string[],
): Omit<CompiledStep, 'needIndexes'> {
  const base = {
    id: step.id,
    index,
    phase,
    needs: step.needs ?? previous,
    ...(step.if !== undefined ? { condition: compileTemplate(step.if) } : {}),
  };
  const waiting = { routes: [], concurrency: 1, continueOnError: false } as const;
  if (isWaitStep(step)) {
    return {
      ...base,
      ...waiting,
      kind: 'wait',
      wait: {
        source: step.wait.source,
        event: step.wait.event,
        key: compileTemplate(step.wait.key),
        eventKey: compileTemplate(step.wait.eventKey),
        lookbackMs: step.wait.lookback ? parseDuration(step.wait.lookback) : 0,
      },
      ...(step.timeout ? { waitTimeoutMs: parseDuration(step.timeout) } : {}),
    };
  }
  if (isApprovalStep(step)) {
    return {
      ...base,
      ...waiting,
      kind: 'approval',
      approval: {
        title: compileTemplate(step.approval.title),
        ...(step.approval.details !== undefined ? { details: compileTemplate(step.approval.details) } : {}),
      },
      ...(step.timeout ? { waitTimeoutMs: parseDuration(step.timeout) } : {}),
    };
  }
  if (isDelayStep(step)) {
    const delay = step.delay;
    return {
      ...base,
      kind: 'delay',
      routes: [],
      concurrency: 1,
      continueOnError: false,
      ...(typeof delay === 'string'
        ? { delayMs: parseDuration(delay) }
        : { delayUntil: compileTemplate(delay.until) }),
    };
  }
  const input = compileTemplate(step.input ?? {});
  const primary = compileRoute(step.action, input, step.retry, step.timeout);
  const fallbacks = (step.fallback ?? []).map((route) =>
    compileRoute(
      route.action,
      route.input === undefined ? input : compileTemplate(route.input),
      route.retry ?? step.retry,
      route.timeout ?? step.timeout,
    ),
  );
  return {
    ...base,
    kind: 'action',
    routes: [primary, ...fallbacks],
    ...(step.forEach !== undefined ? { forEach: compileTemplate(step.forEach) } : {}),
    concurrency: step.concurrency ?? DEFAULT_CONCURRENCY,
    ...(step.compensate
      ? {
          compensate: compileRoute(
            step.compensate.action,
            compileTemplate(step.compensate.input ?? {}),
            step.compensate.retry,
            step.compensate.timeout,
          ),
        }
      : {}),
    continueOnError: step.continueOnError ?? false,
  };
}

function compileRoute(
  action: string,
  input: CompiledTemplate,
  retry: ActionStep['retry'],
  timeout: string | undefined,
): CompiledRoute {
  const dot = action.indexOf('.');
  return {
    action,
    instance: action.slice(0, dot),
    actionName: action.slice(dot + 1),
    input,
    retry: resolveRetry(retry),
    timeoutMs: timeout ? parseDuration(timeout) : DEFAULT_STEP_TIMEOUT_MS,
  };
}
