import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody, readOptionalBody } from './http';
import type { OpsSwitches } from './switches';

interface Region {
  name: string;
  /** Share of traffic this region receives, in percent. */
  weight: number;
}

interface Capacity {
  region: string;
  /** Application servers running in the region. */
  replicas: number;
  /** The most the region has room for. */
  maxReplicas: number;
}

const SEEDED: readonly Region[] = [
  { name: 'eu-west', weight: 100 },
  { name: 'us-east', weight: 0 },
  { name: 'ap-south', weight: 0 },
];

const SEEDED_CAPACITY: readonly Capacity[] = [
  { region: 'eu-west', replicas: 6, maxReplicas: 12 },
  { region: 'us-east', replicas: 2, maxReplicas: 10 },
  { region: 'ap-south', replicas: 2, maxReplicas: 6 },
];

const rerouteInput = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  /** Share of `from`'s traffic to move, in percent. */
  percent: z.number().int().min(1).max(100).default(100),
  reason: z.string().optional(),
});

const scaleInput = z
  .strictObject({
    region: z.string().min(1),
    /** The replica count wanted. */
    replicas: z.number().int().min(1).optional(),
    /** Or the change wanted: `2` adds two, `-1` removes one. */
    by: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .refine((input) => (input.replicas === undefined) !== (input.by === undefined), {
    error: 'give either replicas (the count wanted) or by (the change)',
  });

const rebalanceInput = z.strictObject({
  /** Regions to spread traffic over, by their replicas; every region with replicas when absent. */
  regions: z.array(z.string().min(1)).min(1).optional(),
  reason: z.string().optional(),
});

/**
 * Traffic management across regions (data centres): `GET /traffic`
 * (weights and replicas per region), `POST /traffic/reroute` with
 * `{ from, to, percent? }` moving that share of `from`'s traffic to `to`,
 * `POST /traffic/scale` with `{ region, replicas | by }` (409
 * `insufficient_capacity` past the region's room, or while the
 * `scaleFails` switch is on), and `POST /traffic/rebalance` with
 * `{ regions? }` setting weights in proportion to replicas. Starts with
 * every request in eu-west.
 */
export function trafficApi(state: SandboxState, switches: () => OpsSwitches) {
  let regions = SEEDED.map((r) => ({ ...r }));
  let capacity = SEEDED_CAPACITY.map((c) => ({ ...c }));
  let updatedAt = new Date().toISOString();
  const ids = { reroute: new IdSequence('RR'), scale: new IdSequence('SC'), rebalance: new IdSequence('RB') };
  const app = new Hono();

  const snapshot = () => ({
    regions: regions.map((r) => ({ ...r })),
    capacity: capacity.map((c) => ({ ...c })),
    updatedAt,
  });
  const unknownRegions = (names: string[]) => {
    const missing = names.filter((name) => !regions.some((r) => r.name === name));
    if (missing.length === 0) return undefined;
    return `No region ${missing.map((m) => `"${m}"`).join(', ')}; known: ${regions.map((r) => r.name).join(', ')}`;
  };

  app.get('/', (c) => c.json(snapshot()));

  app.post('/reroute', async (c) => {
    const body = await readBody(c, rerouteInput);
    if ('answer' in body) return body.answer;
    const { from, to, percent, reason } = body.data;
    const unknown = unknownRegions([from, to]);
    if (unknown) return opsError(c, 422, 'unknown_region', unknown);
    if (from === to) return opsError(c, 422, 'same_region', 'from and to must be different regions');
    const source = regions.find((r) => r.name === from)!;
    const target = regions.find((r) => r.name === to)!;
    const moved = Math.round((source.weight * percent) / 100);
    source.weight -= moved;
    target.weight += moved;
    updatedAt = new Date().toISOString();
    const id = ids.reroute.take();
    state.effect('ops', 'traffic.rerouted', id, { from, to, moved });
    return c.json({ id, from, to, moved, ...(reason ? { reason } : {}), ...snapshot() });
  });

  app.post('/scale', async (c) => {
    const body = await readBody(c, scaleInput);
    if ('answer' in body) return body.answer;
    const { region, reason } = body.data;
    const unknown = unknownRegions([region]);
    if (unknown) return opsError(c, 422, 'unknown_region', unknown);
    const room = capacity.find((entry) => entry.region === region)!;
    const wanted = body.data.replicas ?? room.replicas + (body.data.by ?? 0);
    if (wanted < 1) return opsError(c, 422, 'invalid_replicas', `${region} needs at least 1 replica`);
    if (switches().scaleFails) {
      return opsError(c, 409, 'insufficient_capacity', `No capacity left in ${region}: no servers to add`);
    }
    if (wanted > room.maxReplicas) {
      return opsError(
        c,
        409,
        'insufficient_capacity',
        `${region} has room for ${room.maxReplicas} replicas; ${wanted} were asked for`,
      );
    }
    const previousReplicas = room.replicas;
    room.replicas = wanted;
    updatedAt = new Date().toISOString();
    const id = ids.scale.take();
    state.effect('ops', 'traffic.scaled', id, { region, from: previousReplicas, to: wanted });
    return c.json({
      id,
      region,
      previousReplicas,
      replicas: wanted,
      maxReplicas: room.maxReplicas,
      ...(reason ? { reason } : {}),
      ...snapshot(),
    });
  });

  app.post('/rebalance', async (c) => {
    const body = await readOptionalBody(c, rebalanceInput);
    if ('answer' in body) return body.answer;
    const names = body.data.regions ?? capacity.filter((entry) => entry.replicas > 0).map((e) => e.region);
    const unknown = unknownRegions(names);
    if (unknown) return opsError(c, 422, 'unknown_region', unknown);
    const shares = proportionalPercents(
      regions.map((r) => (names.includes(r.name) ? capacity.find((e) => e.region === r.name)!.replicas : 0)),
    );
    regions = regions.map((r, index) => ({ name: r.name, weight: shares[index]! }));
    updatedAt = new Date().toISOString();
    const id = ids.rebalance.take();
    state.effect('ops', 'traffic.rebalanced', id, {
      weights: Object.fromEntries(regions.map((r) => [r.name, r.weight])),
    });
    return c.json({ id, ...(body.data.reason ? { reason: body.data.reason } : {}), ...snapshot() });
  });

  return {
    app,
    reset() {
      regions = SEEDED.map((r) => ({ ...r }));
      capacity = SEEDED_CAPACITY.map((entry) => ({ ...entry }));
      updatedAt = new Date().toISOString();
      for (const sequence of Object.values(ids)) sequence.reset();
    },
  };
}

/** Whole percents in proportion to `amounts`, summing to 100 (largest remainders round up). */
function proportionalPercents(amounts: number[]): number[] {
  const total = amounts.reduce((sum, amount) => sum + amount, 0);
  if (total === 0) return amounts.map(() => 0);
  const exact = amounts.map((amount) => (amount * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((sum, value) => sum + value, 0);
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest);
  for (const { index } of order) {
    if (left === 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  return floors;
}
