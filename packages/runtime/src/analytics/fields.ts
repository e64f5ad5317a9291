import { bucketOf, HISTOGRAM_SIZE } from './histogram';
import type { RunFigures } from './run-figures';

/**
 * How a flow's figures are kept in one time bucket: a flat map of counters
 * (a Redis hash, a Map in the embedded backend), each ended run adding to
 * them. Field names:
 *
 * - `n:<status>` runs ended succeeded, failed or cancelled
 * - `d:<i>` runs whose duration fell in histogram bucket `i`
 * - `s:<step>:d:<i>`, `s:<step>:a|r|f|w` a step's duration histogram, attempts,
 *   retries, fallbacks and waiting ms
 * - `e:<code>` runs that ended with that error code; `x:<code>` failed attempts
 *   with that code. At most MAX_CODES_PER_BUCKET codes of each per bucket
 *   (counted in `e:#` and `x:#`); later new codes add to `e:(other)` / `x:(other)`.
 */

/** Distinct error codes kept per bucket, of run errors and of attempt errors each. */
export const MAX_CODES_PER_BUCKET = 50;
/** Steps of one run counted under their own id; any further step is counted as OTHER. */
export const MAX_STEPS_PER_RUN = 100;
/** What codes and steps beyond the bounds are counted as (no code or step id has parentheses). */
export const OTHER = '(other)';

const MAX_CODE_LENGTH = 64;
const MAX_STEP_LENGTH = 100;

/** The counters one ended run adds: plain ones, and error codes (bounded per bucket by the store). */
export interface FieldIncrements {
  plain: Array<[field: string, by: number]>;
  /** `e:<code>` and `x:<code>` fields: the store adds them only while the bucket has room for another code. */
  codes: Array<[field: string, by: number]>;
}

/** The counter a bounded code field falls back to, and the field counting the codes of its kind. */
export function codeFieldsOf(field: string): { other: string; distinct: string } {
  const kind = field.slice(0, 2);
  return { other: `${kind}${OTHER}`, distinct: `${kind}#` };
}

/**
 * An error code as counted: connectors choose their codes (and may pass a
 * provider's on), so only letters, digits, `_`, `.` and `-` are kept, up to
 * 64 characters.
 */
export function countedCode(code: string | undefined): string {
  const clean = (code ?? '').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_CODE_LENGTH);
  return clean || 'UNKNOWN';
}

/** The counters an ended run adds to its flow's bucket. */
export function fieldIncrements(figures: RunFigures): FieldIncrements {
  const plain = new Map<string, number>();
  const codes = new Map<string, number>();
  visitIncrements(
    figures,
    (field, by) => plain.set(field, (plain.get(field) ?? 0) + by),
    (field) => codes.set(field, (codes.get(field) ?? 0) + 1),
  );
  return { plain: [...plain], codes: [...codes] };
}

/**
 * The counters an ended run adds, one at a time (a field may come more
 * than once): `plain` for each counter and what it adds (never 0), `code`
 * for each error code field, which adds 1. A store that adds them as they
 * come makes no list of them first.
 */
export function visitIncrements(
  figures: RunFigures,
  plain: (field: string, by: number) => void,
  code: (field: string) => void,
): void {
  plain(STATUS_FIELDS[figures.status], 1);
  plain(DURATION_FIELDS[bucketOf(figures.durationMs)]!, 1);
  const { steps } = figures;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const names = stepFieldNames(i < MAX_STEPS_PER_RUN ? step.id.slice(0, MAX_STEP_LENGTH) : OTHER);
    plain(names.duration[bucketOf(step.durationMs)]!, 1);
    if (step.attempts !== 0) plain(names.attempts, step.attempts);
    if (step.retries !== 0) plain(names.retries, step.retries);
    if (step.fallbacks !== 0) plain(names.fallbacks, step.fallbacks);
    const waitingMs = Math.round(step.waitingMs);
    if (waitingMs !== 0) plain(names.waiting, waitingMs);
  }
  if (figures.errorCode !== undefined) code(`e:${countedCode(figures.errorCode)}`);
  for (const error of figures.attemptErrors) code(`x:${countedCode(error)}`);
}

const STATUS_FIELDS: Record<RunFigures['status'], string> = {
  succeeded: 'n:succeeded',
  failed: 'n:failed',
  cancelled: 'n:cancelled',
};
const DURATION_FIELDS = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `d:${i}`);

/** The field names of one step's counters. */
interface StepFieldNames {
  /** By histogram bucket. */
  duration: string[];
  attempts: string;
  retries: string;
  fallbacks: string;
  waiting: string;
}

/** Step ids whose field names are kept; past it the names are made afresh (many flows, many steps). */
const NAMED_STEPS = 4096;
const stepNames = new Map<string, StepFieldNames>();

/**
 * A step's field names, made once per step id: every run's end names six
 * fields per step, and a name made anew each time is a new string for
 * the bucket's map to hash.
 */
function stepFieldNames(id: string): StepFieldNames {
  let names = stepNames.get(id);
  if (names) return names;
  names = {
    duration: Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `s:${id}:d:${i}`),
    attempts: `s:${id}:a`,
    retries: `s:${id}:r`,
    fallbacks: `s:${id}:f`,
    waiting: `s:${id}:w`,
  };
  if (stepNames.size < NAMED_STEPS) stepNames.set(id, names);
  return names;
}

/** One step's counters summed over a window. */
export interface StepCounts {
  /** By histogram bucket: how many times the step ran with a duration in it. */
  duration: number[];
  attempts: number;
  retries: number;
  fallbacks: number;
  waitingMs: number;
}

/** A flow's counters summed over the buckets of a window. */
export interface AnalyticsCounts {
  runs: { succeeded: number; failed: number; cancelled: number };
  /** Runs by histogram bucket of their duration. */
  duration: number[];
  steps: Map<string, StepCounts>;
  /** Runs by the code of the error they ended with. */
  errors: Map<string, number>;
  /** Failed attempts by error code. */
  attemptErrors: Map<string, number>;
}

/** Counters at zero. */
export function emptyCounts(): AnalyticsCounts {
  return {
    runs: { succeeded: 0, failed: 0, cancelled: 0 },
    duration: new Array<number>(HISTOGRAM_SIZE).fill(0),
    steps: new Map(),
    errors: new Map(),
    attemptErrors: new Map(),
  };
}

/** Adds one bucket's fields (as stored: numbers or Redis's strings) to `counts`. */
export function addFields(
  counts: AnalyticsCounts,
  fields: Iterable<[string, string | number]>,
): AnalyticsCounts {
  for (const [field, raw] of fields) {
    const value = Number(raw);
    if (!Number.isFinite(value) || value === 0) continue;
    const kind = field.slice(0, 2);
    const rest = field.slice(2);
    if (kind === 'n:') {
      if (rest === 'succeeded' || rest === 'failed' || rest === 'cancelled') counts.runs[rest] += value;
    } else if (kind === 'd:') {
      addToHistogram(counts.duration, rest, value);
    } else if (kind === 'e:' || kind === 'x:') {
      if (rest === '#') continue;
      const map = kind === 'e:' ? counts.errors : counts.attemptErrors;
      map.set(rest, (map.get(rest) ?? 0) + value);
    } else if (kind === 's:') {
      addStepField(counts.steps, rest, value);
    }
  }
  return counts;
}

function addStepField(steps: Map<string, StepCounts>, rest: string, value: number): void {
  // `<step>:d:<i>` or `<step>:<a|r|f|w>`; step ids hold no ':'.
  const colon = rest.indexOf(':');
  if (colon <= 0) return;
  const id = rest.slice(0, colon);
  const what = rest.slice(colon + 1);
  let step = steps.get(id);
  if (!step) {
    step = {
      duration: new Array<number>(HISTOGRAM_SIZE).fill(0),
      attempts: 0,
      retries: 0,
      fallbacks: 0,
      waitingMs: 0,
    };
    steps.set(id, step);
  }
  if (what.startsWith('d:')) addToHistogram(step.duration, what.slice(2), value);
  else if (what === 'a') step.attempts += value;
  else if (what === 'r') step.retries += value;
  else if (what === 'f') step.fallbacks += value;
  else if (what === 'w') step.waitingMs += value;
}

function addToHistogram(histogram: number[], index: string, value: number): void {
  const i = Number(index);
  if (Number.isInteger(i) && i >= 0 && i < histogram.length) histogram[i]! += value;
}
