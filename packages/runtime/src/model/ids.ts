import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = Number.NaN;
let lastRandom: number[] = [];

/**
 * A run id that sorts by creation time (ULID layout in lower-case Crockford
 * base32: 10 characters of milliseconds, 16 of randomness, incremented
 * within the same millisecond), so cursor pagination is a string compare.
 */
export function newRunId(now = Date.now()): string {
  if (now === lastTime) {
    increment(lastRandom);
  } else {
    lastRandom = randomDigits();
    lastTimeText = timeText(now);
  }
  lastTime = now;
  return `run_${lastTimeText}${randomText(lastRandom)}`;
}

const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** The 16 digits as text, made in one go (a string grown a character at a time is 16 strings). */
function randomText(d: readonly number[]): string {
  const c = CODES;
  return String.fromCharCode(
    c[d[0]!]!,
    c[d[1]!]!,
    c[d[2]!]!,
    c[d[3]!]!,
    c[d[4]!]!,
    c[d[5]!]!,
    c[d[6]!]!,
    c[d[7]!]!,
    c[d[8]!]!,
    c[d[9]!]!,
    c[d[10]!]!,
    c[d[11]!]!,
    c[d[12]!]!,
    c[d[13]!]!,
    c[d[14]!]!,
    c[d[15]!]!,
  );
}

/** The 10 characters of a time: the same for every id of one millisecond. */
let lastTimeText = '';

function timeText(now: number): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** Adds one to the base-32 digits, in place (the last id's; no other holder). */
function increment(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]! += 1;
      return;
    }
    digits[i] = 0;
  }
}

/** Random bytes fetched in blocks: one crypto call per 256 ids rather than one per id. */
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomDigits(): number[] {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  const digits = new Array<number>(16);
  for (let i = 0; i < 16; i++) digits[i] = pool[poolAt + i]! & 31;
  poolAt += 16;
  return digits;
}
