/**
 * Reads a compiled JSONata AST for the static checks: which top-level names
 * an expression reads (`event`, `steps.charge.output.id`, …) and which
 * functions it calls. Only names read from the scope itself count: names
 * inside a filter (`items[price > 10]`), after a path step or in a
 * transform are relative to some other value.
 */

/** One name of a path that reads the scope, such as `output` in `steps.charge.output.id`. */
export interface PathName {
  name: string;
  /** The name is followed by a filter or index, such as `output[0]`. */
  filtered: boolean;
}

/** A path that starts at the scope: `steps.charge.output.id` is root `steps`, then charge, output, id. */
export interface ScopeReference {
  root: string;
  /** The plain names after the root, up to the first step that is not a plain name. */
  names: PathName[];
  /** The root name is followed by a filter, such as `steps[…]`. */
  rootFiltered: boolean;
  /**
   * The name before a minus sign, when this path directly follows one:
   * `order-id` reads as `order - id`, so the reference `id` has `afterMinus: "order"`.
   */
  afterMinus?: string;
}

/** What the static checks need to know of one expression. */
export interface ExpressionFacts {
  references: ScopeReference[];
  /** Names of the `$functions` the expression calls, without the `$`. */
  calls: string[];
}

interface AstNode {
  type?: string;
  value?: unknown;
  [key: string]: unknown;
}

/** Lists the scope references and function calls of a JSONata AST. */
export function inspectExpression(ast: unknown): ExpressionFacts {
  const facts: ExpressionFacts = { references: [], calls: [] };
  visit(ast, true, facts);
  return facts;
}

function visit(node: unknown, atRoot: boolean, facts: ExpressionFacts): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, atRoot, facts);
    return;
  }
  if (!isNode(node)) return;
  switch (node.type) {
    case 'path':
      visitPath(node, atRoot, facts);
      return;
    case 'name':
      if (atRoot) facts.references.push(reference([node]));
      break;
    case 'binary':
    case 'apply': {
      visit(node.lhs, atRoot, facts);
      const before = facts.references.length;
      visit(node.rhs, atRoot, facts);
      const lhsName = node.value === '-' ? lastName(node.lhs) : undefined;
      const joined = facts.references[before];
      if (lhsName !== undefined && joined && joined.root === firstName(node.rhs)) joined.afterMinus = lhsName;
      break;
    }
    case 'unary':
      // "-x", an array constructor "[…]" or an object constructor "{…}": evaluated where they stand.
      visit(node.expression, atRoot, facts);
      visit(node.expressions, atRoot, facts);
      visit(node.lhs, atRoot, facts);
      break;
    case 'condition':
      visit(node.condition, atRoot, facts);
      visit(node.then, atRoot, facts);
      visit(node.else, atRoot, facts);
      break;
    case 'block':
      visit(node.expressions, atRoot, facts);
      break;
    case 'bind':
      visit(node.rhs, atRoot, facts);
      break;
    case 'function':
    case 'partial': {
      const procedure = node.procedure as AstNode | undefined;
      if (procedure?.type === 'variable' && typeof procedure.value === 'string')
        facts.calls.push(procedure.value);
      else visit(procedure, atRoot, facts);
      visit(node.arguments, atRoot, facts);
      break;
    }
    case 'lambda':
      // A lambda's body sees the input where the lambda was written.
      visit(node.body, atRoot, facts);
      break;
    default:
      // Transforms, sort terms, filters and anything new: relative to another value.
      for (const [key, child] of Object.entries(node)) {
        if (!DECORATIONS.has(key) && typeof child === 'object') visit(child, false, facts);
      }
  }
  visitDecorations(node, facts);
}

/** Filters, indexes and grouping attached to a node read the node's own value. */
const DECORATIONS = new Set(['stages', 'predicate', 'group']);

function visitDecorations(node: AstNode, facts: ExpressionFacts): void {
  for (const key of DECORATIONS) visit(node[key], false, facts);
}

function visitPath(node: AstNode, atRoot: boolean, facts: ExpressionFacts): void {
  const steps = (node.steps as AstNode[] | undefined) ?? [];
  const first = steps[0];
  let start = -1;
  if (first?.type === 'name' && atRoot) start = 0;
  // `$$` is the scope wherever it stands; `$` only at the top.
  else if (first?.type === 'variable' && (first.value === '$' || (first.value === '' && atRoot))) start = 1;
  if (start >= 0 && steps[start]?.type === 'name') facts.references.push(reference(steps.slice(start)));
  steps.forEach((step, i) => {
    if (step.type === 'name') visitDecorations(step, facts);
    else visit(step, i === 0 ? atRoot : false, facts);
  });
  visitDecorations(node, facts);
}

function reference(steps: AstNode[]): ScopeReference {
  const [root, ...rest] = steps;
  const names: PathName[] = [];
  for (const step of rest) {
    if (step.type !== 'name') break;
    names.push({ name: String(step.value), filtered: isFiltered(step) });
  }
  return { root: String(root!.value), names, rootFiltered: isFiltered(root!) };
}

function isFiltered(node: AstNode): boolean {
  return Array.isArray(node.stages) || Array.isArray(node.predicate) || node.group !== undefined;
}

/** The last plain name of a path such as `event.data.order`. */
function lastName(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'name') return String(node.value);
  const steps = node.type === 'path' ? (node.steps as AstNode[]) : undefined;
  const last = steps?.at(-1);
  return last?.type === 'name' ? String(last.value) : undefined;
}

/** The first plain name of a path such as `id.value`. */
function firstName(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'name') return String(node.value);
  const first = node.type === 'path' ? (node.steps as AstNode[])[0] : undefined;
  return first?.type === 'name' ? String(first.value) : undefined;
}

function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object';
}
