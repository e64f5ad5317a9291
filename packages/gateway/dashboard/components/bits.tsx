import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';
import type { RunError } from '../api/types';
import { dateTime, toJson } from '../model/format';

/** A status as a word with a colour; the word carries the meaning, the colour only helps. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span class={`badge status-${status}`}>{label ?? status}</span>;
}

/** A value as JSON, scrollable inside its box (browsers make such boxes reachable by keyboard). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre class="json" title={label}>
      <code>{toJson(value)}</code>
    </pre>
  );
}

/** A recorded error: its code, its message, whether it could be retried. */
export function ErrorDetails({ error }: { error: RunError }) {
  return (
    <div class="error-box">
      <p>
        <strong>{error.code}</strong>
        {error.retryable ? ' (retryable)' : ''}: {error.message}
      </p>
      {error.details && Object.keys(error.details).length > 0 ? (
        <JsonBlock value={error.details} label={`details of ${error.code}`} />
      ) : null}
    </div>
  );
}

/** A time with its full date on hover and for screen readers. */
export function Time({ iso, children }: { iso: string; children?: ComponentChildren }) {
  return (
    <time dateTime={iso} title={dateTime(iso)}>
      {children ?? dateTime(iso)}
    </time>
  );
}

/** Why a page shows nothing: the API's error, said plainly. */
export function LoadError({ error, what }: { error: ApiError; what: string }) {
  if (error.status === 401) return <p class="notice">The API needs a token to show {what}.</p>;
  return (
    <p class="notice error" role="alert">
      Could not load {what}: {error.message} ({error.code})
    </p>
  );
}
