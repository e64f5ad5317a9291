import { hubFolder } from '../helpers/cli';

/** The event type every hostile payload carries, and the flows' trigger. */
export const FUZZ_TYPE = 'fuzz.event';
/** The `fuzz` source's Standard Webhooks secret. */
export const FUZZ_SECRET = `whsec_${Buffer.from('hostile-payloads-secret-0123456789').toString('base64')}`;

/** A local connector whose one action answers its input: what a step got is what it stores. */
const echoConnector = `
import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';
export default defineConnector({
  name: 'echo',
  config: z.object({}),
  actions: {
    echo: defineAction({
      input: z.record(z.string(), z.unknown()),
      output: z.unknown(),
      async run({ input }) { return input; },
    }),
  },
});
`;

const flow = (id: string, steps: Array<Record<string, unknown>>, extra: object = {}) => ({
  id,
  trigger: { source: 'fuzz', event: FUZZ_TYPE, ...extra },
  steps: steps.map((input, i) => ({ id: `s${i}`, action: 'echo.echo', retry: { maxAttempts: 1 }, input })),
});

/**
 * Flows whose step inputs evaluate many functions over many parts of
 * `event.data`, whatever their types: one event starts each of them, so an
 * expression that fails fails its own run only.
 */
export const FUZZ_FLOWS = [
  flow('strings', [
    {
      upper: '{{ $uppercase($string(event.data.name)) }}',
      sub: '{{ $substring($string(event.data.name), 1, 12) }}',
      padded: '{{ $pad($string(event.data.n), 24, "#") }}',
      replaced: '{{ $replace($string(event.data.name), "a", "<A>") }}',
      concat: '{{ $string(event.data.name) & "|" & $string(event.data.n) & "|" & event.id }}',
      length: '{{ $length($string(event.data.free)) }}',
    },
    { again: '{{ $lowercase(steps.s0.output.upper) & steps.s0.output.padded }}' },
  ]),
  flow('lists', [
    {
      joined: '{{ $join($map($append([], event.data.tags), function($t) { $string($t) }), ", ") }}',
      distinct: '{{ $distinct($append([], event.data.tags)) }}',
      sorted: '{{ $sort($map($append([], event.data.tags), function($t) { $string($t) })) }}',
      count: '{{ $count($append([], event.data.items)) }}',
      keys: '{{ $keys(event.data.meta) }}',
      freeKeys: '{{ $count($keys(event.data.free)) }}',
    },
  ]),
  flow(
    'regex',
    [
      {
        words: '{{ $match($string(event.data.name), /[a-z]+[0-9]*/i) }}',
        backtrack: '{{ $contains($string(event.data.free), /(a+)+b/) }}',
        split: '{{ $split($string(event.data.name), /[\\s,]+/) }}',
      },
    ],
    { if: '{{ $type(event.data) = "object" }}' },
  ),
  // Builds strings larger than the data: a big enough event fails this run at a limit, alone.
  flow('amplify', [
    {
      doubled: '{{ $join([$string(event.data.free), $string(event.data.free)]) }}',
      all: '{{ $length($string(event.data)) }}',
    },
  ]),
  // Hands the whole data to a step, whose stored input and output the API then reads back.
  flow('whole', [
    { data: '{{ event.data }}', text: '{{ $string(event.data.free) }}' },
    { seen: '{{ $count($keys(steps.s0.output.data)) }}', first: '{{ steps.s0.output.data.name }}' },
  ]),
];

/** A hub folder with the `fuzz` source, the echo connector and the flows; `remove` deletes it. */
export function hostileHub() {
  return hubFolder({
    'baton.config.json': {
      connectors: { echo: { use: './echo.mjs' } },
      sources: { fuzz: { verify: { scheme: 'standard-webhooks', secret: FUZZ_SECRET } } },
    },
    'echo.mjs': echoConnector,
    ...Object.fromEntries(FUZZ_FLOWS.map((f) => [`flows/${f.id}.json`, f])),
  });
}
