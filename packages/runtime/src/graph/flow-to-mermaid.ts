import {
  type Flow,
  isActionStep,
  isApprovalStep,
  isDelayStep,
  isScheduleTrigger,
  isWaitStep,
  type Step,
} from '../flow/schema';

/** Options of `flowToMermaid`. */
export interface MermaidOptions {
  /** Layout direction: top-down or left-right. @default 'TD' */
  direction?: 'TD' | 'LR';
}

/**
 * Draws a flow as a Mermaid flowchart: the trigger, each step (an action,
 * a forEach loop, a delay), `needs` edges with `if` conditions as labels,
 * fallbacks as dashed alternate nodes, compensations, and the onFailure
 * steps. A pure function of the flow.
 *
 * @example
 * ```ts
 * console.log(flowToMermaid(flow));
 * // flowchart TD
 * //   trigger(["shop: order.created"])
 * //   step0["stock<br/>inventory.reserve"]
 * //   trigger --> step0
 * ```
 */
export function flowToMermaid(flow: Flow, options: MermaidOptions = {}): string {
  const lines = [`flowchart ${options.direction ?? 'TD'}`];
  const node = (line: string) => lines.push(`  ${line}`);
  const ids = new Map(flow.steps.map((step, i) => [step.id, `step${i}`]));

  node(`trigger(["${label(triggerText(flow))}"])`);
  flow.steps.forEach((step, i) => {
    const id = `step${i}`;
    node(stepNode(id, step));
    const needs = step.needs ?? (i > 0 ? [flow.steps[i - 1]!.id] : []);
    const condition = step.if === undefined ? '' : `|"${label(`if ${expressionText(step.if)}`)}"|`;
    const sources = needs.map((need) => ids.get(need)).filter((s) => s !== undefined);
    for (const source of sources.length ? sources : ['trigger']) node(`${source} -->${condition} ${id}`);
    if (!isActionStep(step)) return;
    let previous = id;
    step.fallback?.forEach((route, j) => {
      const fallback = `${id}_fallback${j}`;
      node(`${fallback}["${label(route.action)}"]:::fallback`);
      node(`${previous} -.->|"${j === 0 ? 'fails: fallback' : 'fails'}"| ${fallback}`);
      previous = fallback;
    });
    if (step.compensate) {
      const undo = `${id}_compensate`;
      node(`${undo}[/"${label(`undo: ${step.compensate.action}`)}"/]:::compensate`);
      node(`${id} -.->|"on rollback"| ${undo}`);
    }
  });

  if (flow.onFailure?.length) {
    node('subgraph onFailure ["on failure (after compensation)"]');
    node('  failed(["run failed"]):::failure');
    flow.onFailure.forEach((step, i) => {
      const id = `failure${i}`;
      node(`  ${stepNode(id, step as Step)}`);
      const condition = step.if === undefined ? '' : `|"${label(`if ${expressionText(step.if)}`)}"|`;
      node(`  ${i === 0 ? 'failed' : `failure${i - 1}`} -->${condition} ${id}`);
    });
    node('end');
  }
  node('classDef fallback stroke-dasharray: 5 5');
  node('classDef compensate stroke-dasharray: 2 2');
  node('classDef failure stroke-width: 2px');
  return `${lines.join('\n')}\n`;
}

function triggerText(flow: Flow): string {
  const trigger = flow.trigger;
  if (!trigger) return 'started by hand';
  if (isScheduleTrigger(trigger)) return `schedule ${trigger.schedule} (${trigger.timezone ?? 'UTC'})`;
  const condition = trigger.if === undefined ? '' : `<br/>if ${expressionText(trigger.if)}`;
  return `${trigger.source}: ${trigger.event}${condition}`;
}

function stepNode(id: string, step: Step): string {
  if (isDelayStep(step)) {
    const wait =
      typeof step.delay === 'string'
        ? `wait ${step.delay}`
        : `wait until ${expressionText(step.delay.until)}`;
    return `${id}{{"${label(`${step.id}<br/>${wait}`)}"}}`;
  }
  if (isWaitStep(step)) {
    const until = `${step.wait.source} ${step.wait.event} for ${expressionText(step.wait.key)}`;
    const bound = step.timeout ? `, at most ${step.timeout}` : '';
    return `${id}{{"${label(`${step.id}<br/>wait for ${until}${bound}`)}"}}`;
  }
  if (isApprovalStep(step)) {
    const bound = step.timeout ? `, at most ${step.timeout}` : '';
    return `${id}{{"${label(`${step.id}<br/>approval: ${expressionText(step.approval.title)}${bound}`)}"}}`;
  }
  const action = step;
  const details = [step.id, action.action];
  if (action.forEach !== undefined) {
    const list =
      typeof action.forEach === 'string' ? expressionText(action.forEach) : `${action.forEach.length} items`;
    details.push(`for each of ${list}${action.concurrency ? `, ${action.concurrency} at a time` : ''}`);
  }
  const settings = [
    action.retry?.maxAttempts ? `${action.retry.maxAttempts} attempts` : undefined,
    action.timeout ? `timeout ${action.timeout}` : undefined,
    action.continueOnError ? 'continues on error' : undefined,
  ].filter(Boolean);
  if (settings.length) details.push(settings.join(', '));
  const text = label(details.join('<br/>'));
  return action.forEach === undefined ? `${id}["${text}"]` : `${id}[["${text}"]]`;
}

/** An expression or condition as people read it: without the braces, shortened. */
function expressionText(value: string | boolean): string {
  if (typeof value === 'boolean') return String(value);
  const text = value.replace(/^\s*\{\{\s*([\s\S]*?)\s*\}\}\s*$/, '$1').replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * Text safe inside a quoted Mermaid label: quotes, angle brackets and `#`
 * become Mermaid entity codes, except the `<br/>` line breaks we put in.
 */
function label(text: string): string {
  return text
    .split('<br/>')
    .map((part) =>
      part.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;'),
    )
    .join('<br/>');
}
