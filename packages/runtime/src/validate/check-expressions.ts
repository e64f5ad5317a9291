import type { JsonSchema } from '@baton/sdk/host';
import type { DiagnosticCode } from '../diagnostics/codes';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { didYouMean, quoteList } from '../diagnostics/suggest';
import { inspectExpression, type ScopeReference } from '../expressions/inspect';
import { compileTemplate, isExpressionError } from '../expressions/template';
import type { JsonDocument } from '../json/json-document';
import type { DependencyGraph } from './check-dependencies';
import type { FlowParts } from './flow-parts';
import { findOutputPathProblem } from './output-path';
import { type ReadScope, templateFields } from './template-fields';

const ROOTS = ['event', 'steps', 'item', 'index', 'run'];
const STEP_FIELDS = ['output', 'status', 'error'];

/**
 * Compiles every `{{ }}` of a flow and checks what each expression reads:
 * only names the scope has, only steps that exist and have run by then,
 * only output fields the action's output schema allows.
 */
export function checkExpressions(
  parts: FlowParts,
  graph: DependencyGraph,
  outputs: ReadonlyMap<number, readonly JsonSchema[]>,
  document: JsonDocument,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const field of templateFields(parts)) {
    let sites: ReturnType<typeof compileTemplate>['sites'];
    try {
      sites = compileTemplate(field.text).sites;
    } catch (error) {
      if (!isExpressionError(error)) throw error;
      const code: DiagnosticCode =
        error.code === 'EXPRESSION_EMPTY' || error.code === 'EXPRESSION_REGEX_UNSUPPORTED'
          ? error.code
          : 'EXPRESSION_SYNTAX';
      const text = code === 'EXPRESSION_SYNTAX' ? `invalid expression ${error.message}` : error.message;
      diagnostics.push(document.diagnostic(code, field.path, text));
      continue;
    }
    for (const site of sites) {
      const facts = inspectExpression(site.ast);
      if (facts.calls.includes('eval')) {
        diagnostics.push(
          document.diagnostic(
            'EXPRESSION_FORBIDDEN',
            field.path,
            '$eval is not available in Baton expressions',
          ),
        );
      }
      const reader = { parts, graph, outputs, scope: field.scope };
      for (const reference of facts.references) {
        const problem = referenceProblem(reference, reader);
        if (problem) diagnostics.push(document.diagnostic(problem.code, field.path, problem.text));
      }
    }
  }
  return diagnostics;
}

interface Reader {
  parts: FlowParts;
  graph: DependencyGraph;
  outputs: ReadonlyMap<number, readonly JsonSchema[]>;
  scope: ReadScope;
}

type Problem = { code: DiagnosticCode; text: string } | undefined;

function referenceProblem(reference: ScopeReference, reader: Reader): Problem {
  const { root } = reference;
  if (root === 'event' || root === 'run') return undefined;
  if (root === 'item' || root === 'index') {
    if (reader.scope.item) return undefined;
    return {
      code: 'REF_UNAVAILABLE',
      text: `"${root}" is only set in the input of a step with forEach (and of its fallbacks)`,
    };
  }
  if (root === 'steps') return stepProblem(reference, reader);
  if (reference.afterMinus !== undefined) {
    const joined = `${reference.afterMinus}-${root}`;
    // `steps.low-stock` already gets its own message on `steps.low`.
    if (allStepIds(reader.parts).some((id) => id.startsWith(joined))) return undefined;
    return {
      code: 'REF_UNKNOWN_ROOT',
      text: `"${root}" is not defined; JSONata reads "-" as minus, so write a name with "-" in backticks: \`${joined}\``,
    };
  }
  return {
    code: 'REF_UNKNOWN_ROOT',
    text: `"${root}" is not defined; expressions read ${quoteList(ROOTS)}${didYouMean(root, ROOTS)}`,
  };
}

function stepProblem(reference: ScopeReference, reader: Reader): Problem {
  const { graph, scope } = reader;
  if (scope.kind === 'trigger') {
    return {
      code: 'REF_UNAVAILABLE',
      text: `"steps" cannot be read in ${scope.where ?? "the trigger's if"}: no step has run yet`,
    };
  }
  const [idName, fieldName, ...path] = reference.names;
  if (!idName || reference.rootFiltered) return undefined;
  const id = idName.name;
  const index = graph.indexOf.get(id);
  const failureIndex = graph.failureIndexOf.get(id);
  const ref = `steps.${quoteName(id)}`;

  if (index === undefined && failureIndex === undefined) {
    const hyphenated = allStepIds(reader.parts).find((other) => other.startsWith(`${id}-`));
    const hint = hyphenated
      ? `; JSONata reads "-" as minus, so write steps.\`${hyphenated}\` for the step "${hyphenated}"`
      : didYouMean(id, allStepIds(reader.parts));
    return { code: 'REF_UNKNOWN_STEP', text: `${ref}: no step "${id}" in this flow${hint}` };
  }
  const visibility = visibilityProblem(id, index, failureIndex, reader);
  if (visibility) return { code: 'REF_NOT_A_DEPENDENCY', text: `${ref}: ${visibility}` };

  if (!fieldName) return undefined;
  if (!STEP_FIELDS.includes(fieldName.name)) {
    return {
      code: 'REF_UNKNOWN_FIELD',
      text: `${ref}.${quoteName(fieldName.name)}: a step has ${quoteList(STEP_FIELDS)}${didYouMean(fieldName.name, STEP_FIELDS)}`,
    };
  }
  const schemas = index === undefined ? undefined : reader.outputs.get(index);
  if (fieldName.name !== 'output' || !schemas || path.length === 0) return undefined;
  const problem = findOutputPathProblem(schemas, path);
  if (!problem) return undefined;
  const before = [`${ref}.output`, ...path.slice(0, problem.at).map((n) => quoteName(n.name))].join('.');
  const missing = path[problem.at]!.name;
  const step = reader.parts.steps[index!]?.step;
  const action = step && 'action' in step ? step.action : id;
  const text = problem.primitive
    ? `${before} is ${article(problem.primitive)}, so it has no field "${missing}"`
    : `${before} has no field "${missing}" in the output of ${action}${didYouMean(missing, problem.known) || (problem.known.length ? `; it has ${quoteList(problem.known)}` : '')}`;
  return { code: 'REF_OUTPUT_PATH', text };
}

/** Why the expression's place in the flow cannot read step `id`, if it cannot. */
function visibilityProblem(
  id: string,
  index: number | undefined,
  failureIndex: number | undefined,
  { graph, scope, parts }: Reader,
): string | undefined {
  if (scope.kind === 'final') {
    if (failureIndex === undefined) return undefined;
    if (scope.failureIndex === undefined)
      return `"${id}" is an onFailure step; the flow's output cannot read it`;
    return failureIndex < scope.failureIndex ? undefined : `the onFailure step "${id}" runs after this one`;
  }
  const reader = scope.stepIndex!;
  const name = parts.steps[reader]?.id ?? `#${reader}`;
  if (index === undefined) return `"${id}" is an onFailure step; it runs only after the run failed`;
  if (index === reader) {
    return scope.self ? undefined : `a step cannot read its own result (only its compensate can)`;
  }
  if (graph.ancestors(reader).has(index)) return undefined;
  return `"${name}" does not wait for "${id}", so "${id}" may not have run yet; add "${id}" to the needs of "${name}"`;
}

function allStepIds(parts: FlowParts): string[] {
  return [...parts.steps, ...parts.onFailure].map((p) => p.id).filter((id): id is string => id !== undefined);
}

/** How a name is written in JSONata: in backticks when it is not a plain identifier. */
function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

function article(type: string): string {
  return type === 'integer' || type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}
