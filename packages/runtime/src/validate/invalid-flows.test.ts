import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../diagnostics/codes';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { parseFlow } from '../flow/load-flow';
import { testCatalog, testSources } from './__fixtures__/catalog';
import { actionAndTriggerCases } from './__fixtures__/invalid-actions-triggers';
import type { InvalidFlowCase } from './__fixtures__/invalid-flow-case';
import { referenceCases } from './__fixtures__/invalid-references';
import { syntaxAndSchemaCases } from './__fixtures__/invalid-syntax-schema';
import { flowFileDiagnostics } from './validate-flow';

function check(text: string): string[] {
  const diagnostics = flowFileDiagnostics(parseFlow(text, 'flow.json'), {
    connectors: testCatalog,
    sources: testSources,
  });
  return diagnostics.map((d) => formatDiagnostic(d).replace(/^flow\.json:/, ''));
}

const corpus: Record<string, InvalidFlowCase[]> = {
  'syntax and schema': syntaxAndSchemaCases,
  'steps and references': referenceCases,
  'actions, triggers and expressions': actionAndTriggerCases,
};

describe('the invalid flow corpus', () => {
  const all = Object.values(corpus).flat();

  it('holds at least 30 flows, each with at least one expected diagnostic', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    for (const c of all) expect(c.expected.length, c.name).toBeGreaterThan(0);
  });

  for (const [group, cases] of Object.entries(corpus)) {
    describe(group, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        expect(check(c.text)).toEqual(c.expected);
      });
    });
  }

  it('uses only listed codes', () => {
    const codes = new Set(all.flatMap((c) => c.expected.map((line) => /\[([A-Z_]+)\]$/.exec(line)![1]!)));
    for (const code of codes) expect(Object.keys(DIAGNOSTIC_CODES)).toContain(code);
  });
});

describe('all errors of a file together', () => {
  it('reports a schema error in one step and the cross-check errors of the others', () => {
    const text = `{
  "id": "f",
  "steps": [
    { "id": "a", "action": "notify.send", "timeout": "soon", "input": { "text": "hi" } },
    { "id": "b", "action": "notify.sned", "input": { "text": "{{ steps.c.output.ts }}" } },
    { "id": "c", "action": "notify.send", "needs": ["b", "x"], "input": { "text": "{{ steps.b.output.tss }}" } }
  ]
}`;
    expect(check(text)).toEqual([
      '4:54 /steps/0/timeout: must be a duration such as "250ms", "10s", "5m", "1h" or "2d" [DURATION_INVALID]',
      '5:28 /steps/1/action: connector "notify" (test-notify) has no action "sned"; did you mean "send"? [STEP_UNKNOWN_ACTION]',
      '5:62 /steps/1/input/text: steps.c: "b" does not wait for "c", so "c" may not have run yet; add "c" to the needs of "b" [REF_NOT_A_DEPENDENCY]',
      '6:58 /steps/2/needs/1: no step "x" in this flow [STEP_NEEDS_UNKNOWN]',
    ]);
    // steps.b.output.tss is not checked: b's action is unknown, so its output schema is too.
  });
});
