let lastMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()`, remembering the last answer: a busy engine
 * stamps many records within the same millisecond, and formatting a date
 * costs about a microsecond each time (several times per step).
 */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
    remember(lastIso, ms);
  }
  return lastIso;
}

/**
 * The stamps isoTime() made last, and their times: records hold these very
 * strings, and reading one back (a step's duration, a run's figures) is
 * then a lookup of a string whose hash is known. A ring says which to forget.
 */
const RECENT = 256;
const recent = new Map<string, number>();
const ring: string[] = [];
let ringAt = 0;

function remember(iso: string, ms: number): void {
  const forgotten = ring[ringAt];
  if (forgotten !== undefined) recent.delete(forgotten);
  ring[ringAt] = iso;
  ringAt = (ringAt + 1) % RECENT;
  recent.set(iso, ms);
}

let lastParsed = '';
let lastParsedMs = Number.NaN;

/**
 * `Date.parse(iso)` for the stamps isoTime() makes (`YYYY-MM-DDTHH:mm:ss.sssZ`),
 * by arithmetic on the characters: the engine reads several of them back on
 * every step and every run's end, and the runtime's date parser costs a
 * tenth of a microsecond or more each time. Any other text goes to Date.parse.
 */
export function isoMs(iso: string): number {
  const made = recent.get(iso);
  if (made !== undefined) return made;
  if (iso === lastParsed) return lastParsedMs;
  const ms = stampMs(iso);
  lastParsed = iso;
  lastParsedMs = ms;
  return ms;
}

function stampMs(iso: string): number {
  if (
    iso.length !== 24 ||
    iso.charCodeAt(4) !== 45 || // -
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 || // T
    iso.charCodeAt(13) !== 58 || // :
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46 || // .
    iso.charCodeAt(23) !== 90 // Z
  ) {
    return Date.parse(iso);
  }
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hour = digits(iso, 11, 2);
  const minute = digits(iso, 14, 2);
  const second = digits(iso, 17, 2);
  const milli = digits(iso, 20, 3);
  // Anything a stamp never holds (a non-digit, day 29 and beyond, 24:00) is left to Date.parse.
  if (
    !(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 28) ||
    !(hour <= 23 && minute <= 59 && second <= 59 && milli >= 0)
  ) {
    return Date.parse(iso);
  }
  return (
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
  );
}

/** The number of `count` decimal digits at `at`, or -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
