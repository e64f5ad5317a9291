import { type Diagnostic, sortDiagnostics } from '../diagnostics/diagnostic';
import type { LoadedFlow } from '../flow/load-flow';
import type { JsonDocument } from '../json/json-document';
import type { ConnectorCatalog } from './catalog';
import { checkActions } from './check-actions';
import { checkDependencies } from './check-dependencies';
import { checkExpressions } from './check-expressions';
import { checkSteps } from './check-steps';
import { checkTrigger } from './check-trigger';
import { flowParts } from './flow-parts';

/** What a flow is checked against. */
export interface FlowCheckContext {
  /** Connector manifests by instance name. @default none: actions and inputs are not checked */
  connectors?: ConnectorCatalog;
  /** The source names of baton.config.json. @default none: the trigger source is not checked */
  sources?: ReadonlySet<string>;
}

/**
 * The cross-checks of one parsed flow file: step ids and needs, cycles,
 * actions and inputs against connector manifests, every expression and what
 * it reads, the trigger, and step settings. Parts that do not match the
 * schema are skipped (their schema errors are reported by `loadFlowFile`),
 * so one bad step does not hide the problems of the others. Never runs
 * connector code and makes no network call.
 */
export function validateFlow(document: JsonDocument, context: FlowCheckContext = {}): Diagnostic[] {
  const parts = flowParts(document.value);
  const dependencies = checkDependencies(parts, document);
  const actions = context.connectors
    ? checkActions(parts, context.connectors, document)
    : { diagnostics: [], outputs: new Map() };
  return [
    ...dependencies.diagnostics,
    ...actions.diagnostics,
    ...checkExpressions(parts, dependencies.graph, actions.outputs, document),
    ...checkTrigger(parts, context.sources, document),
    ...checkSteps(parts, document),
  ];
}

/** Everything wrong with a loaded flow file, syntax to references, in reading order. */
export function flowFileDiagnostics(loaded: LoadedFlow, context: FlowCheckContext = {}): Diagnostic[] {
  if (!loaded.document || loaded.document.value === undefined) return loaded.diagnostics;
  return sortDiagnostics([...loaded.diagnostics, ...validateFlow(loaded.document, context)]);
}
