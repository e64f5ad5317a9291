import type { DurationPercentile, FlowAnalytics, StepAnalytics } from '../api/types';
import { bucketText, estimateText } from '../model/analytics-format';
import { formatDuration } from '../model/format';

/** A percentile: the estimate, and the histogram bucket the true value lies in. */
export function Percentile({ value }: { value: DurationPercentile | null }) {
  if (!value) return <span>—</span>;
  return (
    <span class="percentile" data-from-ms={value.fromMs} data-to-ms={value.toMs ?? ''}>
      {estimateText(value)} <span class="hint">({bucketText(value)})</span>
    </span>
  );
}

/** Each step's figures, in the flow's order. */
export function StepAnalyticsTable({ steps }: { steps: StepAnalytics[] }) {
  return (
    <div class="table-scroll">
      <table class="analytics-steps">
        <caption class="visually-hidden">Figures of each step</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Ran</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">Attempts</th>
            <th scope="col">Retries</th>
            <th scope="col">Fallbacks</th>
            <th scope="col">Waiting</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={step.id} data-step={step.id}>
              <th scope="row" class="mono">
                {step.id}
              </th>
              <td data-label="Ran" class="count">
                {step.runs}
              </td>
              <td data-label="p50">
                <Percentile value={step.p50} />
              </td>
              <td data-label="p95">
                <Percentile value={step.p95} />
              </td>
              <td data-label="Attempts" class="count">
                {step.attempts}
              </td>
              <td data-label="Retries" class="count">
                {step.retries}
              </td>
              <td data-label="Fallbacks" class="count">
                {step.fallbacks}
              </td>
              <td data-label="Waiting">{formatDuration(step.waitingMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Error codes and their counts, most frequent first. */
export function ErrorCountTable({
  errors,
  caption,
  counted,
}: {
  errors: FlowAnalytics['topErrors'];
  caption: string;
  counted: string;
}) {
  return (
    <table class="analytics-errors">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Error code</th>
          <th scope="col">{counted}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((error) => (
          <tr key={error.code} data-code={error.code}>
            <td class="mono">{error.code}</td>
            <td data-label={counted} class="count">
              {error.count}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
