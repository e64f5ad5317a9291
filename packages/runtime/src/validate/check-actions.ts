import type { JsonSchema } from '@baton/sdk/host';
import type { DiagnosticCode } from '../diagnostics/codes';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { templateShape } from '../expressions/template-text';
import { isActionStep } from '../flow/schema';
import type { JsonDocument, JsonPath } from '../json/json-document';
import { type ConnectorCatalog, lookupAction } from './catalog';
import type { FlowParts } from './flow-parts';
import { checkLiterals, type LiteralIssue, type Opacity } from './literal-check';

/** One call a step can make: its action, a fallback, or its compensation. */
interface Call {
  action: string;
  actionPath: JsonPath;
  /** The input the call gets, and where it is written. */
  input: unknown;
  inputPath: JsonPath;
  /** A fallback without its own input gets the step's. */
  inherited: boolean;
}

/**
 * Checks every action a flow calls against the connectors' manifests: the
 * instance and action exist, and the literal input gives every required
 * field with the right type. Returns, per step, the output schemas a later
 * `steps.<id>.output` may be read through (the action's and its fallbacks'),
 * or nothing when any of them is unknown.
 */
export function checkActions(
  parts: FlowParts,
  catalog: ConnectorCatalog,
  document: JsonDocument,
): { diagnostics: Diagnostic[]; outputs: Map<number, JsonSchema[]> } {
  const diagnostics: Diagnostic[] = [];
  const outputs = new Map<number, JsonSchema[]>();

  const checkCall = (call: Call): JsonSchema | undefined => {
    const found = lookupAction(catalog, call.action);
    if (found.kind === 'missing')
      diagnostics.push(document.diagnostic(found.code, call.actionPath, found.text));
    if (found.kind !== 'found') return undefined;
    for (const issue of checkLiterals(call.input, found.manifest.input, { opacity: templateOpacity })) {
      // A fallback that reuses the step's input may ignore fields meant for the first action.
      if (issue.kind === 'unknown' && call.inherited) continue;
      diagnostics.push(inputDiagnostic(document, call, issue));
    }
    return found.manifest.output;
  };

  for (const part of [...parts.steps, ...parts.onFailure]) {
    const step = part.step;
    if (!step || !isActionStep(step)) continue;
    const own = { input: step.input, inputPath: [...part.path, 'input'] };
    const schemas = [
      checkCall({ action: step.action, actionPath: [...part.path, 'action'], ...own, inherited: false }),
    ];
    step.fallback?.forEach((route, j) => {
      const path = [...part.path, 'fallback', j];
      const given = route.input !== undefined;
      schemas.push(
        checkCall({
          action: route.action,
          actionPath: [...path, 'action'],
          ...(given ? { input: route.input, inputPath: [...path, 'input'] } : own),
          inherited: !given,
        }),
      );
    });
    if ('compensate' in step && step.compensate) {
      const path = [...part.path, 'compensate'];
      checkCall({
        action: step.compensate.action,
        actionPath: [...path, 'action'],
        input: step.compensate.input,
        inputPath: [...path, 'input'],
        inherited: false,
      });
    }
    if (part.path[0] === 'steps' && schemas.every((s) => s !== undefined)) {
      outputs.set(part.index, schemas as JsonSchema[]);
    }
  }
  return { diagnostics, outputs };
}

const INPUT_CODES: Record<LiteralIssue['kind'], DiagnosticCode> = {
  missing: 'STEP_INPUT_MISSING',
  type: 'STEP_INPUT_TYPE',
  value: 'STEP_INPUT_VALUE',
  unknown: 'STEP_INPUT_UNKNOWN_FIELD',
};

function inputDiagnostic(document: JsonDocument, call: Call, issue: LiteralIssue): Diagnostic {
  const action = call.inherited ? `${call.action} (a fallback, which gets the step's input)` : call.action;
  const text = issue.kind === 'missing' ? `required by ${action}` : `${action} ${issue.text}`;
  const target = issue.kind === 'unknown' ? 'key' : 'value';
  return document.diagnostic(INPUT_CODES[issue.kind], [...call.inputPath, ...issue.path], text, target);
}

/** A whole `{{ }}` may be anything; text around templates makes a string. */
function templateOpacity(value: unknown): Opacity {
  if (typeof value !== 'string') return false;
  try {
    const shape = templateShape(value);
    return shape === 'whole' ? 'any' : shape === 'mixed' ? 'string' : false;
  } catch {
    // An unclosed "{{" is reported as an expression error; do not pile on.
    return 'any';
  }
}
