import type { Diagnostic } from '../api/types';

/**
 * Diagnostics as `baton validate` prints them (`file:line:col message
 * [CODE]`), so what the dashboard shows can be found in the file and in the
 * CLI's output alike.
 */
export function DiagnosticList({
  diagnostics,
  label,
}: {
  diagnostics: readonly Diagnostic[];
  label: string;
}) {
  return (
    <ul class="diagnostics" aria-label={label}>
      {diagnostics.map((d, i) => (
        <li key={i} data-code={d.code} data-pointer={d.pointer}>
          <span class="mono where">
            {d.path}:{d.line}:{d.col}
          </span>{' '}
          <span class="message">{d.message}</span> <span class="code">[{d.code}]</span>
        </li>
      ))}
    </ul>
  );
}
