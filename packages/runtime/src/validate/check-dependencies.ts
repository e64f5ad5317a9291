import type { Diagnostic } from '../diagnostics/diagnostic';
import { didYouMean, quoteList } from '../diagnostics/suggest';
import type { JsonDocument } from '../json/json-document';
import type { FlowParts } from './flow-parts';

/** Who waits for whom, by step index. */
export interface DependencyGraph {
  /** Index of each main step id (its first use). */
  indexOf: ReadonlyMap<string, number>;
  /** Index of each onFailure step id in `onFailure`. */
  failureIndexOf: ReadonlyMap<string, number>;
  /** The steps a step waits for directly; `implicit` when it has no `needs` and waits for the one before. */
  direct: ReadonlyArray<ReadonlyArray<{ index: number; implicit: boolean }>>;
  /** Every step a step waits for, directly or not. */
  ancestors(index: number): ReadonlySet<number>;
}

/**
 * Checks step ids and `needs`: duplicate ids, needs naming no step, and
 * cycles (explicit or through the implicit "the step before" rule). Returns
 * the graph the reference checks use.
 */
export function checkDependencies(
  parts: FlowParts,
  document: JsonDocument,
): { graph: DependencyGraph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const indexOf = new Map<string, number>();
  const failureIndexOf = new Map<string, number>();
  const firstPath = new Map<string, string>();
  for (const part of [...parts.steps, ...parts.onFailure]) {
    if (part.id === undefined) continue;
    const first = firstPath.get(part.id);
    if (first !== undefined) {
      diagnostics.push(
        document.diagnostic(
          'STEP_DUPLICATE_ID',
          [...part.path, 'id'],
          `step id "${part.id}" is already used by ${first}`,
        ),
      );
      continue;
    }
    firstPath.set(part.id, `/${part.path.join('/')}`);
    if (part.path[0] === 'steps') indexOf.set(part.id, part.index);
    else failureIndexOf.set(part.id, part.index);
  }

  const direct = parts.steps.map((part) => {
    if (part.needs === undefined) return part.index > 0 ? [{ index: part.index - 1, implicit: true }] : [];
    const edges: Array<{ index: number; implicit: boolean }> = [];
    part.needs.forEach((need, k) => {
      const index = indexOf.get(need);
      if (index !== undefined) {
        edges.push({ index, implicit: false });
        return;
      }
      const text = failureIndexOf.has(need)
        ? `"${need}" is an onFailure step; steps cannot wait for it`
        : `no step "${need}" in this flow${didYouMean(need, indexOf.keys())}`;
      diagnostics.push(document.diagnostic('STEP_NEEDS_UNKNOWN', [...part.path, 'needs', k], text));
    });
    return edges;
  });

  diagnostics.push(...findCycles(parts, direct, document));

  const cache = new Map<number, Set<number>>();
  const ancestors = (index: number): Set<number> => {
    const cached = cache.get(index);
    if (cached) return cached;
    const seen = new Set<number>();
    const stack = [index];
    while (stack.length > 0) {
      for (const edge of direct[stack.pop()!] ?? []) {
        if (!seen.has(edge.index)) {
          seen.add(edge.index);
          stack.push(edge.index);
        }
      }
    }
    cache.set(index, seen);
    return seen;
  };
  return { graph: { indexOf, failureIndexOf, direct, ancestors }, diagnostics };
}

function findCycles(
  parts: FlowParts,
  direct: ReadonlyArray<ReadonlyArray<{ index: number; implicit: boolean }>>,
  document: JsonDocument,
): Diagnostic[] {
  const state = new Map<number, 'open' | 'done'>();
  const stack: number[] = [];
  const reported = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const name = (index: number) => parts.steps[index]?.id ?? `#${index}`;

  const visit = (index: number) => {
    state.set(index, 'open');
    stack.push(index);
    for (const edge of direct[index] ?? []) {
      if (state.get(edge.index) === 'open') {
        const cycle = stack.slice(stack.indexOf(edge.index));
        const key = [...cycle].sort((a, b) => a - b).join(',');
        if (!reported.has(key)) {
          reported.add(key);
          diagnostics.push(cycleDiagnostic(cycle, parts, direct, document, name));
        }
      } else if (!state.has(edge.index)) {
        visit(edge.index);
      }
    }
    stack.pop();
    state.set(index, 'done');
  };
  for (const part of parts.steps) if (!state.has(part.index)) visit(part.index);
  return diagnostics;
}

/** Reported at the first step of the cycle in the file, walking the cycle from there. */
function cycleDiagnostic(
  cycle: number[],
  parts: FlowParts,
  direct: ReadonlyArray<ReadonlyArray<{ index: number; implicit: boolean }>>,
  document: JsonDocument,
  name: (index: number) => string,
): Diagnostic {
  // `cycle` lists each step followed by one it waits for; read it from the earliest step.
  const start = cycle.indexOf(Math.min(...cycle));
  const order = [...cycle.slice(start), ...cycle.slice(0, start)];
  const chain = [...order, order[0]!].map(name).join(' → ');
  const implicit = order.filter((index, i) => {
    const next = order[(i + 1) % order.length]!;
    return direct[index]?.some((e) => e.index === next && e.implicit);
  });
  const note = implicit.length
    ? ` (${quoteList(implicit.map(name))} ${implicit.length === 1 ? 'has' : 'have'} no "needs", so ${implicit.length === 1 ? 'it waits' : 'each waits'} for the step before it)`
    : '';
  const first = parts.steps[order[0]!]!;
  const where = first.needs === undefined ? first.path : [...first.path, 'needs'];
  return document.diagnostic(
    'FLOW_CYCLE',
    where,
    `dependency cycle: ${chain}; each waits for the next, so none can start${note}`,
  );
}
