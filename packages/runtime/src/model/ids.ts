import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = 0;
let lastRandom: number[] = [];

/**
 * A run id that sorts by creation time (ULID layout in lower-case Crockford
 * base32: 10 characters of milliseconds, 16 of randomness, incremented
 * within the same millisecond), so cursor pagination is a string compare.
 */
export function newRunId(now = Date.now()): string {
  let random: number[];
  if (now === lastTime) {
    random = increment(lastRandom);
  } else {
    random = randomDigits();
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `run_${time}${random.map((r) => ALPHABET[r]).join('')}`;
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
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
