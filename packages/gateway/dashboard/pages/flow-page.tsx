import type { FlowDefinition, FlowDetail, HubDiagnostics, StepDefinition } from '../api/types';
import { useApi } from '../api/use-api';
import { LoadError } from '../components/bits';
import { DiagnosticList } from '../components/diagnostic-list';
import { FlowGraphView } from '../components/flow-graph-view';
import { FlowVersionsPanel } from '../components/flow-versions-panel';
import { useTitle } from '../components/hooks';
import { waitSummary } from '../model/flow-graph';
import { expressionText } from '../model/format';
import { href, Link, useLocation } from '../router';
import { triggerText } from './flows-page';

/**
 * One flow drawn as a graph, with the diagnostics of its file marked on the
 * boxes they concern. When the file changed since the gateway loaded it,
 * the graph shows the file as it is now (what a restart would run).
 */
export function FlowPage({ id }: { id: string }) {
  useTitle(`Flow ${id}`);
  const flow = useApi<FlowDetail>(`/flows/${encodeURIComponent(id)}`);
  const diagnostics = useApi<HubDiagnostics>('/diagnostics');
  const report = diagnostics.data?.flows.find((r) => r.id === id);
  const loaded = flow.data?.definition;
  const drawn: FlowDefinition | undefined = report?.definition ?? loaded;
  const changed = Boolean(
    loaded && report?.definition && JSON.stringify(loaded) !== JSON.stringify(report.definition),
  );
  const problems = report?.diagnostics ?? [];
  const from = useLocation().query.get('from') ?? undefined;

  return (
    <>
      <h1 tabIndex={-1}>
        Flow <span class="mono">{id}</span>
      </h1>
      {flow.error && !(flow.error.code === 'FLOW_NOT_FOUND' && report) ? (
        <LoadError error={flow.error} what="this flow" />
      ) : null}
      {report && !report.loaded ? (
        <p class="notice error" role="alert">
          The file {report.path} is not loaded: fix the problems below, then reload (SIGHUP or POST
          /api/reload).
        </p>
      ) : null}
      {changed ? (
        <p class="notice">
          The file changed since the gateway loaded it: this is the file as it is now; a reload (SIGHUP or
          POST /api/reload) runs it.
        </p>
      ) : null}
      {problems.length ? (
        <section class="panel" aria-labelledby="problems-heading">
          <h2 id="problems-heading">
            {problems.length} problem{problems.length === 1 ? '' : 's'} in {report?.path}
          </h2>
          <DiagnosticList diagnostics={problems} label={`Problems in ${report?.path ?? id}`} />
          <button type="button" onClick={diagnostics.reload} disabled={diagnostics.loading}>
            {diagnostics.loading ? 'Checking…' : 'Check the file again'}
          </button>
        </section>
      ) : null}
      {drawn ? (
        <>
          <section class="panel" aria-labelledby="graph-heading">
            <h2 id="graph-heading">Graph</h2>
            <p>
              {drawn.name ? `${drawn.name} · ` : ''}
              {triggerText(drawn.trigger ?? null)} ·{' '}
              <Link href={href('/runs', { flow: id })}>runs of this flow</Link> ·{' '}
              <Link href={href(`/flows/${encodeURIComponent(id)}/analytics`)}>analytics</Link>
            </p>
            <FlowGraphView flow={drawn} diagnostics={problems} />
          </section>
          <section class="panel" aria-labelledby="steps-heading">
            <h2 id="steps-heading">Steps</h2>
            <StepTable steps={drawn.steps ?? []} caption="Steps" first="trigger" />
            {drawn.onFailure?.length ? (
              <>
                <h3>On failure (after compensation)</h3>
                <StepTable steps={drawn.onFailure} caption="onFailure steps" first="run failed" />
              </>
            ) : null}
          </section>
          {loaded ? <FlowVersionsPanel id={id} from={from} /> : null}
        </>
      ) : null}
    </>
  );
}

/** The steps as text: the graph's accessible twin. `first` is what the first step follows. */
function StepTable({ steps, caption, first }: { steps: StepDefinition[]; caption: string; first: string }) {
  return (
    <div class="table-scroll">
      <table class="flow-steps">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Does</th>
            <th scope="col">After</th>
            <th scope="col">If</th>
            <th scope="col">Fallbacks</th>
            <th scope="col">Undo</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step, i) => (
            <tr key={`${step.id}-${i}`}>
              <td class="mono">{step.id}</td>
              <td class="mono">
                {waitSummary(step) ?? step.action}
                {step.forEach !== undefined ? ' (for each item)' : ''}
              </td>
              <td>
                {Array.isArray(step.needs)
                  ? step.needs.join(', ') || first
                  : i > 0
                    ? steps[i - 1]?.id
                    : first}
              </td>
              <td class="mono">{step.if !== undefined ? expressionText(step.if) : ''}</td>
              <td class="mono">{(step.fallback ?? []).map((f) => f.action).join(' → ')}</td>
              <td class="mono">{step.compensate?.action ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
