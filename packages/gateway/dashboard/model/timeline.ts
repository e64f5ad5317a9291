import type { Attempt, Run, RunError, Step } from '../api/types';
import { formatDuration } from './format';
import { waitLabel, waitText } from './waiting';

/**
 * One bar of the timeline: an attempt, a compensation attempt, a step still
 * running or waiting for a retry or a delay (`running`, `waiting`), or the
 * wait of a wait or approval step for its event or decision (`wait`).
 */
export interface TimelineBar {
  key: string;
  kind: 'attempt' | 'compensation' | 'running' | 'waiting' | 'wait';
  outcome: 'succeeded' | 'failed' | 'running' | 'waiting';
  /** `try 1`, `retry 2`, `fallback 1`, `undo`, `waiting`, `waiting for a decision`, `approved` … */
  label: string;
  action: string;
  /** 0 for the step's own action, n for its n-th fallback. */
  route: number;
  /** 1-based attempt number on its route (and item). */
  attempt: number;
  item?: number;
  startMs: number;
  endMs: number;
  error?: RunError;
  /** Overlapping bars (forEach items in parallel) are stacked in lanes. */
  lane: number;
}

/** One row: a step's attempts, or the compensation of a step. */
export interface TimelineRow {
  key: string;
  step: string;
  kind: 'step' | 'compensation';
  phase: 'main' | 'onFailure';
  status: string;
  title: string;
  /** What the bars do not say: reused, skipped and why, served by a fallback … */
  caption: string;
  bars: TimelineBar[];
  lanes: number;
}

export interface TimelineTick {
  atMs: number;
  label: string;
}

export interface Timeline {
  startMs: number;
  endMs: number;
  rows: TimelineRow[];
  ticks: TimelineTick[];
}

/** Options of `buildTimeline`. */
export interface TimelineOptions {
  /**
   * The shortest a bar is drawn, in ms of the chart: attempts of a few
   * milliseconds in a run of seconds would be slivers. Bars are put in
   * lanes by their drawn extent, so widened bars never cover each other.
   * @default 0
   */
  minBarMs?: number;
  /** The most steps the axis is split into (fewer on a narrow screen). @default 6 */
  maxTicks?: number;
}

/**
 * Lays a run out in time: a row per step (main steps, then onFailure
 * steps) with a bar per attempt, labelled by route and retry, a row per
 * compensation that ran, and open bars for work still in progress up to
 * `nowMs`. Times are epoch ms; the view turns them into positions.
 */
export function buildTimeline(run: Run, nowMs: number, options: TimelineOptions = {}): Timeline {
  const startMs = Date.parse(run.startedAt ?? run.createdAt);
  const minBarMs = options.minBarMs ?? 0;
  const rows: TimelineRow[] = [];
  const ordered = [
    ...run.steps.filter((s) => s.phase === 'main'),
    ...run.steps.filter((s) => s.phase !== 'main'),
  ];
  // A wait still open when the run ended (a cancelled run) stops growing there.
  const openUntilMs = run.endedAt ? Math.min(nowMs, Date.parse(run.endedAt)) : nowMs;
  for (const step of ordered) {
    rows.push(stepRow(step, nowMs, openUntilMs, minBarMs));
    if (step.compensation) rows.push(compensationRow(step, minBarMs));
  }
  const ends = rows.flatMap((row) => row.bars.map((bar) => bar.endMs));
  const endMs = Math.max(startMs + 1, run.endedAt ? Date.parse(run.endedAt) : nowMs, ...ends);
  return {
    startMs,
    endMs,
    rows,
    ticks: ticks(endMs - startMs, options.maxTicks).map((atMs) => ({
      atMs: startMs + atMs,
      label: tickLabel(atMs),
    })),
  };
}

function stepRow(step: Step, nowMs: number, openUntilMs: number, minBarMs: number): TimelineRow {
  const bars = attemptBars(step.id, step.attempts, 'attempt');
  const last = bars.reduce((max, bar) => Math.max(max, bar.endMs), 0);
  const started = step.startedAt ? Date.parse(step.startedAt) : undefined;
  if ((step.status === 'running' || step.status === 'pending') && started !== undefined && !step.reused) {
    const from = Math.max(last, started);
    const wake = step.wakeAt ? Date.parse(step.wakeAt) : undefined;
    if (wake !== undefined && wake > from) {
      const label = step.throttle
        ? `turn at ${step.throttle.instance}`
        : bars.length
          ? 'retry wait'
          : 'waiting';
      bars.push(openBar(step.id, 'waiting', label, from, wake));
    } else if (step.status === 'running') {
      bars.push(openBar(step.id, 'running', 'running', from, Math.max(from, nowMs)));
    }
  }
  const wait = waitBar(step, openUntilMs);
  if (wait) bars.push(wait);
  return {
    key: `step:${step.id}`,
    step: step.id,
    kind: 'step',
    phase: step.phase,
    status: step.status,
    title: step.phase === 'onFailure' ? `${step.id} (on failure)` : step.id,
    caption: caption(step),
    bars: withLanes(bars, minBarMs),
    lanes: laneCount(bars),
  };
}

function compensationRow(step: Step, minBarMs: number): TimelineRow {
  const compensation = step.compensation!;
  const bars = attemptBars(`${step.id}:undo`, compensation.attempts, 'compensation');
  return {
    key: `undo:${step.id}`,
    step: step.id,
    kind: 'compensation',
    phase: step.phase,
    status: compensation.status,
    title: `undo ${step.id}`,
    caption: `${compensation.action} · ${compensation.status}`,
    bars: withLanes(bars, minBarMs),
    lanes: laneCount(bars),
  };
}

function attemptBars(prefix: string, attempts: Attempt[], kind: 'attempt' | 'compensation'): TimelineBar[] {
  const counts = new Map<string, number>();
  return attempts.map((attempt, index) => {
    const key = `${attempt.route}|${attempt.item ?? ''}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    const startMs = Date.parse(attempt.startedAt);
    return {
      key: `${prefix}:${index}`,
      kind,
      outcome: attempt.error ? 'failed' : 'succeeded',
      label: attemptLabel(kind, attempt.route, n, attempt.item),
      action: attempt.action,
      route: attempt.route,
      attempt: n,
      ...(attempt.item !== undefined ? { item: attempt.item } : {}),
      startMs,
      endMs: Math.max(startMs, Date.parse(attempt.endedAt)),
      ...(attempt.error ? { error: attempt.error } : {}),
      lane: 0,
    };
  });
}

/** What an attempt was: the first try, a retry, a fallback (and its retries), an undo. */
export function attemptLabel(
  kind: 'attempt' | 'compensation',
  route: number,
  attempt: number,
  item?: number,
): string {
  const retry = attempt > 1 ? `retry ${attempt - 1}` : undefined;
  const base =
    kind === 'compensation'
      ? ['undo', retry].filter(Boolean).join(' ')
      : route > 0
        ? [`fallback ${route}`, retry].filter(Boolean).join(' ')
        : (retry ?? 'try 1');
  return item === undefined ? base : `#${item} ${base}`;
}

/**
 * The wait of a wait or approval step, from when it started waiting to its
 * end, or to now while it still waits (so the bar grows).
 */
function waitBar(step: Step, openUntilMs: number): TimelineBar | undefined {
  const since = step.wait?.since ?? step.approval?.since;
  if (since === undefined || step.reused) return undefined;
  const startMs = Date.parse(since);
  const endMs = step.endedAt ? Date.parse(step.endedAt) : openUntilMs;
  return {
    key: `${step.id}:wait`,
    kind: 'wait',
    outcome: step.status === 'waiting' ? 'waiting' : step.status === 'failed' ? 'failed' : 'succeeded',
    label: waitLabel(step),
    action: '',
    route: 0,
    attempt: 0,
    startMs,
    endMs: Math.max(startMs, endMs),
    ...(step.error ? { error: step.error } : {}),
    lane: 0,
  };
}

function openBar(
  step: string,
  kind: 'running' | 'waiting',
  label: string,
  startMs: number,
  endMs: number,
): TimelineBar {
  return {
    key: `${step}:${kind}`,
    kind,
    outcome: kind,
    label,
    action: '',
    route: 0,
    attempt: 0,
    startMs,
    endMs,
    lane: 0,
  };
}

function caption(step: Step): string {
  const parts: string[] = [step.status];
  if (step.reused) parts.push('reused from the replayed run');
  if (step.skipReason) parts.push(step.skipReason);
  if (step.wait) parts.push(waitText(step.wait));
  if (step.approval) parts.push(`approval: ${step.approval.title}`);
  const attempts = step.attempts.length;
  if (attempts > 0) parts.push(`${attempts} attempt${attempts === 1 ? '' : 's'}`);
  if (step.items) parts.push(`${step.items.succeeded}/${step.items.total} items`);
  if (step.servedBy) {
    const fallback = step.attempts.some((a) => a.route > 0 && a.action === step.servedBy && !a.error);
    parts.push(`served by ${step.servedBy}${fallback ? ' (fallback)' : ''}`);
  }
  const started = step.startedAt ? Date.parse(step.startedAt) : undefined;
  const ended = step.endedAt ? Date.parse(step.endedAt) : undefined;
  if (started !== undefined && ended !== undefined && !step.reused)
    parts.push(formatDuration(ended - started));
  return parts.join(' · ');
}

/**
 * Puts each bar in the first lane free at its start, judged by its drawn
 * extent, so parallel items and widened short attempts never hide each other.
 */
function withLanes(bars: TimelineBar[], minBarMs: number): TimelineBar[] {
  const laneEnds: number[] = [];
  for (const bar of [...bars].sort((a, b) => a.startMs - b.startMs)) {
    let lane = laneEnds.findIndex((end) => end <= bar.startMs);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = Math.max(bar.endMs, bar.startMs + minBarMs);
    bar.lane = lane;
  }
  return bars;
}

function laneCount(bars: TimelineBar[]): number {
  return bars.reduce((max, bar) => Math.max(max, bar.lane + 1), 1);
}

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;
/** Tick spacings people read at a glance, from milliseconds to weeks (runs may wait for days in delays). */
const SPACINGS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  MIN,
  2 * MIN,
  5 * MIN,
  10 * MIN,
  15 * MIN,
  30 * MIN,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  24 * H,
  48 * H,
  7 * 24 * H,
];

/** Round offsets from 0 that split the span into at most `maxSteps` steps. */
export function ticks(spanMs: number, maxSteps = 6): number[] {
  const span = Math.max(1, spanMs);
  const steps = Math.max(1, maxSteps);
  const step = SPACINGS.find((candidate) => span / candidate <= steps) ?? Math.ceil(span / steps);
  const out: number[] = [];
  for (let at = 0; at <= span; at += step) out.push(at);
  return out;
}

function tickLabel(offsetMs: number): string {
  return offsetMs === 0 ? '0' : `+${formatDuration(offsetMs)}`;
}
