import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody } from './http';

interface Region {
  name: string;
  /** Share of traffic this region receives, in percent. */
  weight: number;
}

const SEEDED: readonly Region[] = [
  { name: 'eu-west', weight: 100 },
  { name: 'us-east', weight: 0 },
  { name: 'ap-south', weight: 0 },
];

const rerouteInput = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  /** Share of `from`'s traffic to move, in percent. */
  percent: z.number().int().min(1).max(100).default(100),
  reason: z.string().optional(),
});

/**
 * Traffic management across regions: `GET /traffic` (weights per region),
 * `POST /traffic/reroute` with `{ from, to, percent? }` moving that share
 * of `from`'s traffic to `to`. Starts with everything in eu-west.
 */
export function trafficApi(state: SandboxState) {
  let regions = SEEDED.map((r) => ({ ...r }));
  let updatedAt = new Date().toISOString();
  const ids = new IdSequence('RR');
  const app = new Hono();

  const snapshot = () => ({ regions: regions.map((r) => ({ ...r })), updatedAt });

  app.get('/', (c) => c.json(snapshot()));

  app.post('/reroute', async (c) => {
    const body = await readBody(c, rerouteInput);
    if ('answer' in body) return body.answer;
    const { from, to, percent, reason } = body.data;
    const source = regions.find((r) => r.name === from);
    const target = regions.find((r) => r.name === to);
    const missing = [source ? undefined : from, target ? undefined : to].filter(Boolean);
    if (!source || !target) {
      return opsError(
        c,
        422,
        'unknown_region',
        `No region ${missing.map((m) => `"${m}"`).join(', ')}; known: ${regions.map((r) => r.name).join(', ')}`,
      );
    }
    if (source === target) return opsError(c, 422, 'same_region', 'from and to must be different regions');
    const moved = Math.round((source.weight * percent) / 100);
    source.weight -= moved;
    target.weight += moved;
    updatedAt = new Date().toISOString();
    const id = ids.take();
    state.effect('ops', 'traffic.rerouted', id, { from, to, moved });
    return c.json({ id, from, to, moved, ...(reason ? { reason } : {}), ...snapshot() });
  });

  return {
    app,
    reset() {
      regions = SEEDED.map((r) => ({ ...r }));
      updatedAt = new Date().toISOString();
      ids.reset();
    },
  };
}
