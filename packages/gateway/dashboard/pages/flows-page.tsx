import type { FlowSummary, HubDiagnostics } from '../api/types';
import { useApi } from '../api/use-api';
import { LoadError, Time } from '../components/bits';
import { DiagnosticList } from '../components/diagnostic-list';
import { useTitle } from '../components/hooks';
import { expressionText } from '../model/format';
import { href, Link } from '../router';

/**
 * The flows this gateway runs, and what a restart would say about the files
 * on disk now: the config's and each flow file's diagnostics, including
 * files that could not be loaded at all.
 */
export function FlowsPage() {
  useTitle('Flows');
  const flows = useApi<{ flows: FlowSummary[] }>('/flows');
  const diagnostics = useApi<HubDiagnostics>('/diagnostics');
  const reports = diagnostics.data?.flows ?? [];
  const problemsOf = (id: string) => reports.find((r) => r.id === id)?.diagnostics.length ?? 0;
  const unloaded = reports.filter((r) => !r.loaded);
  const configProblems = diagnostics.data?.config.diagnostics ?? [];

  return (
    <>
      <h1 tabIndex={-1}>Flows</h1>
      <section class="panel" aria-labelledby="files-heading">
        <h2 id="files-heading">Files on disk</h2>
        <div class="actions">
          <button type="button" onClick={diagnostics.reload} disabled={diagnostics.loading}>
            {diagnostics.loading ? 'Checking…' : 'Check the files again'}
          </button>
          {diagnostics.data ? (
            <p class="hint">
              Checked <Time iso={diagnostics.data.checkedAt} /> as a restart would (
              <code>baton validate</code>).
            </p>
          ) : null}
        </div>
        {diagnostics.error ? <LoadError error={diagnostics.error} what="the diagnostics" /> : null}
        {diagnostics.data?.valid ? (
          <p class="notice success" role="status">
            Every file is valid: a restart would load them all.
          </p>
        ) : null}
        {configProblems.length ? (
          <>
            <h3>{diagnostics.data?.config.path}</h3>
            <DiagnosticList diagnostics={configProblems} label="Problems in the config" />
          </>
        ) : null}
        {reports
          .filter((r) => r.diagnostics.length > 0)
          .map((report) => (
            <div key={report.file} class="file-report" data-file={report.path}>
              <h3>
                {report.path}{' '}
                {report.loaded ? (
                  <span class="tag">loaded as {report.id}; the running flow is the last valid one</span>
                ) : (
                  <span class="tag warn">not loaded</span>
                )}
              </h3>
              <DiagnosticList diagnostics={report.diagnostics} label={`Problems in ${report.path}`} />
              {report.id ? (
                <Link href={href(`/flows/${encodeURIComponent(report.id)}`)}>Show on the graph</Link>
              ) : null}
            </div>
          ))}
      </section>

      <section class="panel" aria-labelledby="loaded-heading">
        <h2 id="loaded-heading">Running flows</h2>
        {flows.error ? <LoadError error={flows.error} what="the flows" /> : null}
        <ul class="cards">
          {(flows.data?.flows ?? []).map((flow) => (
            <li key={flow.id} class="card" data-flow={flow.id}>
              <h3>
                <Link href={href(`/flows/${encodeURIComponent(flow.id)}`)}>{flow.name ?? flow.id}</Link>
              </h3>
              {flow.name ? <p class="mono">{flow.id}</p> : null}
              {flow.description ? <p>{flow.description}</p> : null}
              <p>
                {triggerText(flow.trigger)} · {flow.steps} step{flow.steps === 1 ? '' : 's'}
              </p>
              {problemsOf(flow.id) ? (
                <p>
                  <span class="tag warn">
                    {problemsOf(flow.id)} problem{problemsOf(flow.id) === 1 ? '' : 's'} in the file
                  </span>
                </p>
              ) : null}
              <p>
                <Link href={href('/runs', { flow: flow.id })}>Runs of {flow.id}</Link>
              </p>
            </li>
          ))}
        </ul>
        {unloaded.length ? (
          <p class="hint">
            {unloaded.length} file{unloaded.length === 1 ? ' is' : 's are'} not loaded; see the problems
            above.
          </p>
        ) : null}
      </section>
    </>
  );
}

/** The trigger in words. */
export function triggerText(trigger: FlowSummary['trigger']): string {
  if (!trigger) return 'started by hand';
  if (trigger.schedule) return `schedule ${trigger.schedule} (${trigger.timezone ?? 'UTC'})`;
  const condition = trigger.if !== undefined ? ` if ${expressionText(trigger.if, 40)}` : '';
  return `${trigger.source ?? '?'}: ${trigger.event ?? '?'}${condition}`;
}
