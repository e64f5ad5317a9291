/**
 * A seeded generator of hostile webhook bodies, written as JSON *text* so it
 * can say what a value cannot: duplicate keys, escapes such as lone
 * surrogates, number spellings such as `-0` or `1e309`, truncated or
 * invalid bytes. Each payload carries the answer the gateway must give.
 */

/** A deterministic PRNG (mulberry32): the same seed gives the same payloads. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}

type Random = ReturnType<typeof seededRandom>;

/** What the gateway must answer: 202 with runs, or an error code. */
export type Expected = { status: 202 } | { status: number; code: string };

export interface HostilePayload {
  kind: string;
  body: Buffer;
  contentType: string;
  expected: Expected;
}

/** Pieces of JSON string content, already escaped as JSON text. */
const STRING_PIECES = [
  'plain',
  'café',
  'ÄÖÜß',
  '\\ud800', // a lone high surrogate
  '\\udfff', // a lone low surrogate
  '\\ud83d\\ude00', // an escaped surrogate pair (😀)
  '😀👩‍👩‍👧‍👦🏳️‍🌈',
  '\\u0000', // NUL
  '\u202e', // right-to-left override
  '\u200f\u200b\u2060', // RTL mark, zero-width space, word joiner
  '\ufeff', // a byte order mark inside a string
  'e\u0301\u0301\u0301', // stacked combining accents
  'שלום مرحبا',
  '\\"quoted\\"',
  '\\\\back\\\\slash',
  '\\n\\r\\t\\b\\f',
  '\\/',
  '{{ event.id }}', // template text in data stays data
  '$string($)',
  '<script>alert(1)</script>',
  'a'.repeat(40) + '!', // a classic regex backtracking input
  'x'.repeat(300),
];

const NUMBERS = [
  '0',
  '-0',
  '1e308',
  '-1e308',
  '1e309', // parses to Infinity
  '5e-324',
  '1e-400', // parses to 0
  '123456789012345678901234567890',
  '-9007199254740993',
  '0.1',
  '1E+2',
  '42',
];

const KEYS = [
  'a',
  'name',
  'tags',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'polluted',
  '',
  ' ',
  '\\u0000',
  '\\ud800',
  '😀',
  '$',
  'a.b',
  '{{x}}',
];

const quote = (text: string) => `"${text}"`;

function randomString(r: Random): string {
  const parts: string[] = [];
  for (let i = r.int(0, 4); i > 0; i--) parts.push(r.pick(STRING_PIECES));
  return quote(parts.join(''));
}

function atom(r: Random): string {
  switch (r.int(0, 3)) {
    case 0:
      return randomString(r);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.pick(['true', 'false', 'null']);
    default:
      return quote(r.pick(STRING_PIECES));
  }
}

/** A random value at most `depth` levels deep, keys sometimes repeated. */
function value(r: Random, depth: number): string {
  if (depth <= 0 || r.chance(0.45)) return atom(r);
  const size = r.int(0, 6);
  if (r.chance(0.5)) return `[${Array.from({ length: size }, () => value(r, depth - 1)).join(',')}]`;
  const keys = Array.from({ length: size }, () => r.pick(KEYS));
  if (size > 0 && r.chance(0.2)) keys.push(keys[0]!); // a duplicate key: the last one wins
  return `{${keys.map((k) => `${quote(k)}:${value(r, depth - 1)}`).join(',')}}`;
}

/** `levels` arrays and objects nested alternately, a string at the bottom. */
export function nestedText(levels: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    open += i % 2 ? '[' : '{"k":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return `${open}"bottom"${close}`;
}

/** Bytes a body may have: the gateway's default limit. */
export const BODY_LIMIT = 1024 * 1024;
/** Levels a body may nest: the default `maxBodyDepth`. */
export const DEPTH_LIMIT = 64;
/** The envelope `{"type":…,"data":{"free":…}}` adds two levels around `free`. */
const ENVELOPE_LEVELS = 2;

/** The `free` field of the event's data, what it is, and how deep the body is with it. */
export interface Special {
  kind: string;
  free: string;
  depth?: number;
}

const deep = (levels: number): Special => ({
  kind: `deep-${levels}`,
  free: nestedText(levels),
  depth: levels + ENVELOPE_LEVELS,
});

const wideObject = (count: number): Special => ({
  kind: `wide-object-${count}`,
  free: `{${Array.from({ length: count }, (_, i) => `"k${i}":${i % 7 === 0 ? '"v"' : i}`).join(',')}}`,
});

const wideArray = (count: number): Special => ({
  kind: `wide-array-${count}`,
  free: `[${new Array(count).fill('0').join(',')}]`,
});

/** A string of about `bytes` bytes of JSON text made of `piece`. */
const longString = (bytes: number, piece: string): Special => ({
  kind: `long-string-${bytes}-${piece}`,
  free: quote(piece.repeat(Math.floor(bytes / Buffer.byteLength(piece)))),
});

const PROTOTYPE_KEYS: Special = {
  kind: 'prototype-keys',
  free:
    '{"__proto__":{"polluted":"yes","__proto__":{"polluted":"deeper"}},' +
    '"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},' +
    '"toString":"not a function","hasOwnProperty":1}',
};

const ODD_NUMBERS: Special = { kind: 'numbers', free: `[${NUMBERS.join(',')}]` };

const ODD_UNICODE: Special = {
  kind: 'unicode',
  free: `[${STRING_PIECES.map(quote).join(',')},{${STRING_PIECES.slice(0, 12)
    .map((piece, i) => `"${piece}${i}":${quote(piece)}`)
    .join(',')}}]`,
};

/** The extremes every run covers, whatever the seed: at and past each limit. */
export function edgeSpecials(): Special[] {
  return [
    deep(DEPTH_LIMIT - ENVELOPE_LEVELS),
    deep(DEPTH_LIMIT - ENVELOPE_LEVELS + 1),
    deep(5000),
    wideObject(20_000),
    wideArray(100_000),
    longString(BODY_LIMIT - 8000, 'a'),
    longString(BODY_LIMIT + 10, 'a'),
    longString(150_000, '\\ud800'),
    PROTOTYPE_KEYS,
    ODD_NUMBERS,
    ODD_UNICODE,
  ];
}

/** A random `free` field: often one of the hostile shapes, else a random mix. */
export function randomSpecial(r: Random): Special {
  switch (r.int(0, 11)) {
    case 0:
    case 1:
      return deep(r.pick([1, 10, 60, 61, 62, 63, 64, 100, 5000]));
    case 2:
      return wideObject(r.pick([100, 1000, 20_000]));
    case 3:
      return wideArray(r.pick([100, 1000, 100_000]));
    case 4:
      // Up to near the body limit: under it or over it once the envelope is added.
      return longString(
        r.pick([10_000, 500_000, BODY_LIMIT - 1200, BODY_LIMIT + 10]),
        r.pick(['a', 'é', '\\ud800']),
      );
    case 5:
      return PROTOTYPE_KEYS;
    case 6:
      return ODD_NUMBERS;
    case 7:
      return ODD_UNICODE;
    default:
      return { kind: 'mixed', free: value(r, 8) };
  }
}

/** The ordinary fields the flows' expressions read, each a random value of any type. */
function fields(r: Random): string[] {
  const names = ['name', 'tags', 'items', 'meta', 'n'];
  const out = names.map((name) => {
    if (r.chance(0.5)) return `"${name}":${value(r, 3)}`;
    // Often the type the flow expects, so the expressions get past their first call.
    if (name === 'name') return `"name":${randomString(r)}`;
    if (name === 'n') return `"n":${r.pick(NUMBERS)}`;
    if (name === 'meta') {
      const meta = value(r, 2);
      return `"meta":${meta.startsWith('{') ? meta : '{"k":1}'}`;
    }
    return `"${name}":[${Array.from({ length: r.int(0, 5) }, () => atom(r)).join(',')}]`;
  });
  if (r.chance(0.1)) out.push(`"name":${randomString(r)}`); // a duplicate key
  return out.filter(() => !r.chance(0.1)); // sometimes a field is missing
}

/**
 * One hostile payload and the answer it must get. `variant` 5 and above
 * send it as it is; below, broken or sent the wrong way.
 * @param variant @default random, 0 to 19
 */
export function hostilePayload(
  r: Random,
  type: string,
  special: Special = randomSpecial(r),
  variant = r.int(0, 19),
): HostilePayload {
  const { kind, free, depth } = special;
  const data = `{${[...fields(r), `"free":${free}`].join(',')}}`;
  const json = `{"type":"${type}","__proto__":{"polluted":"top"},"data":${data}}`;
  const tooDeep = depth !== undefined && depth > DEPTH_LIMIT;

  if (variant === 0 && !tooDeep) {
    const cut = r.int(1, json.length - 1);
    return {
      kind: `${kind}+truncated`,
      body: Buffer.from(json.slice(0, cut)),
      contentType: 'application/json',
      expected: expectSized(Buffer.byteLength(json.slice(0, cut)), { status: 400, code: 'BODY_INVALID' }),
    };
  }
  if (variant === 1) {
    const body = Buffer.concat([
      Buffer.from(json.slice(0, 20)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(json.slice(20)),
    ]);
    return {
      kind: `${kind}+invalid-utf8`,
      body,
      contentType: 'application/json',
      expected: expectSized(body.byteLength, { status: 400, code: 'BODY_INVALID' }),
    };
  }
  if (variant === 2) {
    const body = Buffer.from(json);
    return {
      kind: `${kind}+text-plain`,
      body,
      contentType: 'text/plain',
      expected: expectSized(body.byteLength, { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }),
    };
  }
  if (variant === 3) {
    const body = Buffer.from(json.replace(`"type":"${type}",`, ''));
    return {
      kind: `${kind}+no-type`,
      body,
      contentType: 'application/json',
      expected: expectSized(
        body.byteLength,
        tooDeep ? { status: 400, code: 'BODY_TOO_DEEP' } : { status: 400, code: 'EVENT_TYPE_MISSING' },
      ),
    };
  }
  if (variant === 4) {
    // A GitHub-style form whose payload field is the JSON.
    const body = Buffer.from(`payload=${encodeURIComponent(json)}`);
    return {
      kind: `${kind}+form`,
      body,
      contentType: 'application/x-www-form-urlencoded',
      expected: expectSized(
        body.byteLength,
        tooDeep ? { status: 400, code: 'BODY_TOO_DEEP' } : { status: 202 },
      ),
    };
  }
  const body = Buffer.from(json);
  return {
    kind,
    body,
    contentType: r.pick([
      'application/json',
      'application/json; charset=utf-8',
      'application/cloudevents+json',
    ]),
    expected: expectSized(
      body.byteLength,
      tooDeep ? { status: 400, code: 'BODY_TOO_DEEP' } : { status: 202 },
    ),
  };
}

function expectSized(bytes: number, otherwise: Expected): Expected {
  return bytes > BODY_LIMIT ? { status: 413, code: 'BODY_TOO_LARGE' } : otherwise;
}
