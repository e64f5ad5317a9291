import type { WebhookActivity } from '../api/types';

type SourceActivity = WebhookActivity['sources'][number];

/** Outcomes drawn apart: the good, the repeated, and everything refused. */
export function outcomeGroup(outcome: string): 'accepted' | 'duplicate' | 'rejected' {
  if (outcome === 'accepted') return 'accepted';
  if (outcome === 'duplicate') return 'duplicate';
  return 'rejected';
}

const HEIGHT = 40;
const BAR = 4;
const GAP = 1;

/**
 * A source's webhooks per minute over the window as stacked bars
 * (accepted, duplicate, rejected), oldest on the left. The counts by
 * outcome are in the table beside it; the chart only shows the rhythm.
 */
export function ActivityChart({ activity }: { activity: SourceActivity }) {
  const totals = activity.minutes.map((minute) => {
    const out = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const [outcome, n] of Object.entries(minute.outcomes)) out[outcomeGroup(outcome)] += n;
    return out;
  });
  const peak = Math.max(1, ...totals.map((t) => t.accepted + t.duplicate + t.rejected));
  const width = activity.minutes.length * (BAR + GAP);
  const scale = (n: number) => (n / peak) * HEIGHT;
  return (
    <svg
      class="activity"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${activity.source}: ${activity.total} webhooks in the last ${activity.minutes.length} minutes, at most ${peak} in one minute`}
    >
      {totals.map((t, i) => {
        const x = i * (BAR + GAP);
        let y = HEIGHT;
        return (['accepted', 'duplicate', 'rejected'] as const).map((group) => {
          const h = scale(t[group]);
          if (h === 0) return null;
          y -= h;
          return <rect key={`${i}-${group}`} class={`bar-${group}`} x={x} y={y} width={BAR} height={h} />;
        });
      })}
    </svg>
  );
}
