import type { Diagnostic } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import { isWaitStep } from '../flow/schema';
import type { JsonDocument } from '../json/json-document';
import type { FlowParts } from './flow-parts';

/**
 * Warnings about wait steps: a `wait.source` the config does not declare
 * can receive no webhook, so the wait could only time out. A warning, not
 * an error: the source may be added to the config later.
 */
export function waitWarnings(
  parts: FlowParts,
  sources: ReadonlySet<string> | undefined,
  document: JsonDocument,
): Diagnostic[] {
  if (!sources) return [];
  const warnings: Diagnostic[] = [];
  for (const part of parts.steps) {
    const step = part.step;
    if (!step || !isWaitStep(step) || sources.has(step.wait.source)) continue;
    const hint = sources.size ? didYouMean(step.wait.source, sources) : '; it declares no sources';
    warnings.push({
      ...document.diagnostic(
        'WAIT_UNKNOWN_SOURCE',
        [...part.path, 'wait', 'source'],
        `no source "${step.wait.source}" in baton.config.json, so no webhook can end this wait${hint}`,
      ),
      severity: 'warning',
    });
  }
  return warnings;
}
