import { useEffect, useRef, useState } from 'preact/hooks';
import type { Run } from '../api/types';
import { formatDuration } from '../model/format';
import { buildTimeline, type TimelineBar } from '../model/timeline';
import { ErrorDetails, Time } from './bits';

/** Bars are drawn at least this wide, so their label ("fallback 1") stays readable and easy to hit. */
const MIN_BAR_PX = 84;

/**
 * The run as a Gantt chart: a row per step and per compensation, a bar per
 * attempt placed at the time it ran, coloured by outcome, striped when a
 * fallback route served it. Every bar is a button: choosing one (mouse,
 * touch or keyboard) shows its details below, so nothing depends on hover.
 */
export function TimelineView({ run, now }: { run: Run; now: number }) {
  const container = useRef<HTMLDivElement>(null);
  const trackPx = useTrackWidth(container);
  const rough = buildTimeline(run, now);
  const span = Math.max(1, rough.endMs - rough.startMs);
  const minBarMs = (span * MIN_BAR_PX) / trackPx;
  // About one axis label per 90 px, so labels never run into each other.
  const timeline = buildTimeline(run, now, { minBarMs, maxTicks: Math.floor(trackPx / 90) });
  const [selected, setSelected] = useState<string | undefined>();
  const left = (ms: number) => ((ms - timeline.startMs) / span) * 100;
  const minPercent = (MIN_BAR_PX / trackPx) * 100;
  const chosen = timeline.rows
    .flatMap((row) => row.bars.map((bar) => ({ row, bar })))
    .find((x) => x.bar.key === selected);

  return (
    <section class="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <ul class="legend" aria-label="Legend">
        <li>
          <span class="swatch outcome-succeeded" /> succeeded
        </li>
        <li>
          <span class="swatch outcome-failed" /> failed
        </li>
        <li>
          <span class="swatch fallback" /> fallback route
        </li>
        <li>
          <span class="swatch kind-compensation" /> compensation
        </li>
        <li>
          <span class="swatch outcome-waiting" /> running / retry wait / delay
        </li>
        <li>
          <span class="swatch kind-wait" /> waiting for an event or a decision
        </li>
      </ul>
      <div class="timeline" ref={container}>
        <div class="tl-axis" aria-hidden="true">
          {timeline.ticks.map((tick) => (
            <span key={tick.atMs} class="tl-tick" style={{ left: `${left(tick.atMs)}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
        <ol class="tl-rows">
          {timeline.rows.map((row) => (
            <li key={row.key} class={`tl-row row-${row.kind}`} data-step={row.step} data-row-kind={row.kind}>
              <div class="tl-label">
                <span class="tl-title">{row.title}</span>
                <span class="tl-caption">{row.caption}</span>
              </div>
              <div class="tl-track" style={{ height: `${row.lanes * 1.75}rem` }}>
                {timeline.ticks.map((tick) => (
                  <span
                    key={tick.atMs}
                    class="tl-grid"
                    aria-hidden="true"
                    style={{ left: `${left(tick.atMs)}%` }}
                  />
                ))}
                {row.bars.map((bar) => {
                  const width = Math.min(100, Math.max(minPercent, left(bar.endMs) - left(bar.startMs)));
                  // A widened bar near the end is shifted left rather than drawn past the track.
                  const start = Math.min(left(bar.startMs), 100 - width);
                  return (
                    <button
                      key={bar.key}
                      type="button"
                      class={barClass(bar)}
                      style={{ left: `${start}%`, width: `${width}%`, top: `${bar.lane * 1.75}rem` }}
                      data-kind={bar.kind}
                      data-outcome={bar.outcome}
                      data-route={bar.route}
                      data-action={bar.action}
                      aria-pressed={bar.key === selected}
                      aria-label={describe(row.title, bar)}
                      title={describe(row.title, bar)}
                      onClick={() => setSelected(bar.key === selected ? undefined : bar.key)}
                    >
                      {bar.label}
                    </button>
                  );
                })}
              </div>
            </li>
          ))}
        </ol>
      </div>
      <div class="tl-detail" aria-live="polite">
        {chosen ? (
          <dl class="facts">
            <dt>Step</dt>
            <dd>{chosen.row.title}</dd>
            <dt>What</dt>
            <dd>{chosen.bar.label}</dd>
            {chosen.bar.action ? (
              <>
                <dt>Action</dt>
                <dd>
                  <code>{chosen.bar.action}</code>{' '}
                  {chosen.bar.route > 0 ? `(fallback route ${chosen.bar.route})` : ''}
                </dd>
              </>
            ) : null}
            <dt>Started</dt>
            <dd>
              <Time iso={new Date(chosen.bar.startMs).toISOString()} />
            </dd>
            <dt>Lasted</dt>
            <dd>{formatDuration(chosen.bar.endMs - chosen.bar.startMs)}</dd>
            {chosen.bar.error ? (
              <>
                <dt>Error</dt>
                <dd>
                  <ErrorDetails error={chosen.bar.error} />
                </dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p class="hint">Choose a bar to see that attempt.</p>
        )}
      </div>
    </section>
  );
}

function barClass(bar: TimelineBar): string {
  return ['tl-bar', `outcome-${bar.outcome}`, `kind-${bar.kind}`, bar.route > 0 ? 'fallback' : '']
    .filter(Boolean)
    .join(' ');
}

function describe(row: string, bar: TimelineBar): string {
  if (bar.kind === 'wait') return `${row} ${bar.label}, for ${formatDuration(bar.endMs - bar.startMs)}`;
  const what = bar.action ? `${bar.label} of ${row}: ${bar.action}` : `${row} ${bar.label}`;
  const outcome = bar.error ? `failed (${bar.error.code})` : bar.outcome;
  return `${what}, ${outcome} after ${formatDuration(bar.endMs - bar.startMs)}`;
}

/** The width of a timeline track in pixels, followed as the window resizes. */
function useTrackWidth(container: { current: HTMLDivElement | null }): number {
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => {
      const track = element.querySelector<HTMLElement>('.tl-track');
      if (track && track.clientWidth > 0) setWidth(track.clientWidth);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return width;
}
