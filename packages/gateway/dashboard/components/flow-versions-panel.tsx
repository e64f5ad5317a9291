import type { z } from '@hono/zod-openapi';
import { useState } from 'preact/hooks';
import type * as versions from '../../src/api/flow-version-routes';
import { useApi } from '../api/use-api';
import { lineDiff } from '../model/line-diff';
import { LoadError, Time } from './bits';

type FlowVersions = z.infer<typeof versions.FlowVersions>;
type FlowVersionDetail = z.infer<typeof versions.FlowVersionDetail>;

/**
 * The versions of a flow (the current one, and those its latest runs ran)
 * and a line diff of the pretty-printed definitions of two of them. `from`
 * preselects the older side (a run page links here with its version).
 */
export function FlowVersionsPanel({ id, from }: { id: string; from?: string | undefined }) {
  const list = useApi<FlowVersions>(`/flows/${encodeURIComponent(id)}/versions`);
  const [picked, setPicked] = useState<{ from?: string; to?: string }>({});
  const data = list.data;
  const current = data?.current;
  const older = data?.versions.find((v) => !v.current)?.version;
  const left = picked.from ?? from ?? older ?? current;
  const right = picked.to ?? current;

  return (
    <section class="panel" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      {list.error ? <LoadError error={list.error} what="the versions" /> : null}
      {data ? (
        <>
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">Versions of {id}</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Runs (of the latest 100)</th>
                  <th scope="col">Latest run</th>
                </tr>
              </thead>
              <tbody>
                {data.versions.map((v) => (
                  <tr key={v.version}>
                    <td class="mono">
                      {v.version}
                      {v.current ? ' (current)' : ''}
                    </td>
                    <td>{v.runs}</td>
                    <td>{v.lastRunAt ? <Time iso={v.lastRunAt} /> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.versions.length > 1 || (from && from !== current) ? (
            <>
              <p>
                Compare{' '}
                <VersionSelect
                  label="The version to compare from"
                  versions={data.versions.map((v) => v.version)}
                  extra={from}
                  value={left}
                  onChange={(v) => setPicked({ ...picked, from: v })}
                />{' '}
                with{' '}
                <VersionSelect
                  label="The version to compare with"
                  versions={data.versions.map((v) => v.version)}
                  value={right}
                  onChange={(v) => setPicked({ ...picked, to: v })}
                />
              </p>
              {left && right ? <VersionDiff id={id} from={left} to={right} /> : null}
            </>
          ) : (
            <p class="hint">One version so far: an edit reloaded (SIGHUP, POST /api/reload) adds one.</p>
          )}
        </>
      ) : null}
    </section>
  );
}

function VersionSelect(props: {
  label: string;
  versions: string[];
  extra?: string | undefined;
  value: string | undefined;
  onChange: (version: string) => void;
}) {
  const options =
    props.extra && !props.versions.includes(props.extra) ? [...props.versions, props.extra] : props.versions;
  return (
    <select
      aria-label={props.label}
      class="mono"
      value={props.value}
      onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
    >
      {options.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}

/** The diff of two versions' definitions, as JSON printed with two spaces. */
function VersionDiff({ id, from, to }: { id: string; from: string; to: string }) {
  const base = `/flows/${encodeURIComponent(id)}/versions/`;
  const left = useApi<FlowVersionDetail>(base + encodeURIComponent(from));
  const right = useApi<FlowVersionDetail>(base + encodeURIComponent(to));
  if (left.error) return <LoadError error={left.error} what={`version ${from}`} />;
  if (right.error) return <LoadError error={right.error} what={`version ${to}`} />;
  if (!left.data || !right.data) return null;
  if (from === to) return <p class="hint">The same version.</p>;
  const lines = lineDiff(
    JSON.stringify(left.data.definition, null, 2),
    JSON.stringify(right.data.definition, null, 2),
  );
  return (
    <figure>
      <figcaption class="visually-hidden">{`Changes from ${from} to ${to}`}</figcaption>
      <pre class="version-diff">
        {lines.map((line, i) => (
          <div key={i} class={`diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
          </div>
        ))}
      </pre>
    </figure>
  );
}
