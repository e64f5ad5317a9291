import type { Diagnostic, FlowDefinition, StepDefinition } from '../api/types';
import { expressionText } from './format';

export type GraphNodeKind =
  | 'trigger'
  | 'step'
  | 'foreach'
  | 'delay'
  | 'fallback'
  | 'compensate'
  | 'failed'
  | 'on-failure';

/** A box of the flow graph. */
export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** The first line is the title (a step id); the others say what it does. */
  lines: string[];
  /** JSON pointer of the part of the flow file it draws: diagnostics under it are shown on it. */
  pointer: string;
}

export type GraphEdgeKind = 'needs' | 'fallback' | 'compensate' | 'on-failure';

/** An arrow of the flow graph. */
export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: GraphEdgeKind;
  label?: string;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * A flow as boxes and arrows, the picture `baton graph` draws as Mermaid:
 * the trigger; each step (an action, a forEach loop, a delay) with its
 * `needs` arrows, labelled with the step's `if`; its fallbacks as a chain
 * tried in order when the routes before failed; its compensation; and the
 * onFailure steps after a "run failed" start. Reads the definition loosely:
 * a file being edited may be odd, and the picture should still help.
 */
export function flowGraph(flow: FlowDefinition): FlowGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const steps = Array.isArray(flow.steps) ? flow.steps : [];
  const ids = new Map(steps.map((step, i) => [step.id, `step-${i}`]));

  nodes.push({ id: 'trigger', kind: 'trigger', lines: triggerLines(flow), pointer: '/trigger' });
  steps.forEach((step, i) => {
    const id = `step-${i}`;
    const pointer = `/steps/${i}`;
    nodes.push(stepNode(id, step, pointer));
    const needs = Array.isArray(step.needs) ? step.needs : i > 0 ? [steps[i - 1]!.id] : [];
    const sources = needs.map((need) => ids.get(need)).filter((s): s is string => s !== undefined);
    const label = step.if === undefined ? undefined : `if ${expressionText(step.if, 40)}`;
    for (const from of sources.length ? sources : ['trigger']) {
      edges.push({ id: `${from}->${id}`, from, to: id, kind: 'needs', ...(label ? { label } : {}) });
    }
    let previous = id;
    (Array.isArray(step.fallback) ? step.fallback : []).forEach((route, j) => {
      const fallback = `${id}-fallback-${j}`;
      nodes.push({
        id: fallback,
        kind: 'fallback',
        lines: [`fallback ${j + 1}`, String(route.action)],
        pointer: `${pointer}/fallback/${j}`,
      });
      edges.push({
        id: `${previous}->${fallback}`,
        from: previous,
        to: fallback,
        kind: 'fallback',
        label: 'fails',
      });
      previous = fallback;
    });
    if (step.compensate) {
      const undo = `${id}-compensate`;
      nodes.push({
        id: undo,
        kind: 'compensate',
        lines: ['undo', String(step.compensate.action)],
        pointer: `${pointer}/compensate`,
      });
      edges.push({ id: `${id}->${undo}`, from: id, to: undo, kind: 'compensate', label: 'on rollback' });
    }
  });

  const onFailure = Array.isArray(flow.onFailure) ? flow.onFailure : [];
  if (onFailure.length) {
    nodes.push({
      id: 'failed',
      kind: 'failed',
      lines: ['run failed', 'after compensation'],
      pointer: '/onFailure',
    });
    onFailure.forEach((step, i) => {
      const id = `on-failure-${i}`;
      nodes.push({ ...stepNode(id, step, `/onFailure/${i}`), kind: 'on-failure' });
      const from = i === 0 ? 'failed' : `on-failure-${i - 1}`;
      const label = step.if === undefined ? undefined : `if ${expressionText(step.if, 40)}`;
      edges.push({ id: `${from}->${id}`, from, to: id, kind: 'on-failure', ...(label ? { label } : {}) });
    });
  }
  return { nodes, edges };
}

function triggerLines(flow: FlowDefinition): string[] {
  const trigger = flow.trigger;
  if (!trigger) return ['started by hand'];
  if (trigger.schedule) return ['schedule', `${trigger.schedule} (${trigger.timezone ?? 'UTC'})`];
  const lines = [`${trigger.source ?? '?'}: ${trigger.event ?? '?'}`];
  if (trigger.if !== undefined) lines.push(`if ${expressionText(trigger.if, 40)}`);
  return lines;
}

function stepNode(id: string, step: StepDefinition, pointer: string): GraphNode {
  const title = String(step.id ?? '?');
  const waits = waitSummary(step, 40);
  if (waits !== undefined) {
    const lines = [title, waits];
    if (step.delay === undefined && step.timeout) lines.push(`timeout ${step.timeout}`);
    return { id, kind: 'delay', lines, pointer };
  }
  const lines = [title, String(step.action ?? '?')];
  if (step.forEach !== undefined) {
    const list =
      typeof step.forEach === 'string' ? expressionText(step.forEach, 40) : `${step.forEach.length} items`;
    lines.push(`for each of ${list}${step.concurrency ? `, ${step.concurrency} at a time` : ''}`);
  }
  const settings = [
    step.retry?.maxAttempts ? `${step.retry.maxAttempts} attempts` : undefined,
    step.timeout ? `timeout ${step.timeout}` : undefined,
    step.continueOnError ? 'continues on error' : undefined,
  ].filter(Boolean);
  if (settings.length) lines.push(settings.join(', '));
  return { id, kind: step.forEach === undefined ? 'step' : 'foreach', lines, pointer };
}

/**
 * What a step that waits does, in a few words: a delay (`wait 10m`), an
 * event (`wait for invoice.paid from shop`) or a decision
 * (`approval: Admin access for …`); undefined for a step that calls an action.
 */
export function waitSummary(step: StepDefinition, max = 60): string | undefined {
  if (step.delay !== undefined)
    return typeof step.delay === 'string'
      ? `wait ${step.delay}`
      : `wait until ${expressionText(String(step.delay?.until ?? '?'), max)}`;
  if (step.wait) return `wait for ${String(step.wait.event ?? '?')} from ${String(step.wait.source ?? '?')}`;
  if (step.approval) return `approval: ${expressionText(String(step.approval.title ?? '?'), max)}`;
  return undefined;
}

/**
 * Which node each diagnostic is about: the deepest node whose pointer is
 * the diagnostic's pointer or a prefix of it (`/steps/1/input/sku` belongs
 * to the second step, `/steps/1/fallback/0/action` to its first fallback).
 * Diagnostics about the whole file (its JSON syntax, its id) belong to none.
 */
export function diagnosticsByNode(
  graph: FlowGraph,
  diagnostics: readonly Diagnostic[],
): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const diagnostic of diagnostics) {
    let best: GraphNode | undefined;
    for (const node of graph.nodes) {
      const under = diagnostic.pointer === node.pointer || diagnostic.pointer.startsWith(`${node.pointer}/`);
      if (under && (!best || node.pointer.length > best.pointer.length)) best = node;
    }
    if (!best) continue;
    out.set(best.id, [...(out.get(best.id) ?? []), diagnostic]);
  }
  return out;
}
