import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody } from './http';

/** The laptops IT hands out, and which department gets which by default. */
export const LAPTOP_CATALOG = [
  { model: 'MacBook Pro 16" M3 Pro, 36 GB', departments: ['engineering', 'data'] },
  { model: 'MacBook Pro 14" M3, 18 GB', departments: ['design', 'product'] },
  { model: 'MacBook Air 13" M3, 16 GB', departments: [] },
] as const;

const DEFAULT_MODEL = 'MacBook Air 13" M3, 16 GB';
const DELIVERY_DAYS = 3;

const orderInput = z.strictObject({
  employeeId: z.union([z.string().min(1), z.number().int()]).transform(String),
  department: z.string().optional(),
  model: z.string().optional(),
  shipTo: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  note: z.string().optional(),
});

interface HardwareOrder {
  id: string;
  status: 'placed';
  employeeId: string;
  department?: string;
  model: string;
  shipTo?: unknown;
  note?: string;
  estimatedDelivery: string;
  createdAt: string;
}

/**
 * Hardware orders: `POST /hardware/orders` picks the laptop for the
 * employee's department (or the `model` asked for, if IT stocks it),
 * `GET /hardware/orders[?employeeId=]`, `GET /hardware/orders/:id`,
 * `GET /hardware/models`.
 */
export function hardwareApi(state: SandboxState) {
  const orders = new Map<string, HardwareOrder>();
  const ids = new IdSequence('HW');
  const app = new Hono();

  app.get('/models', (c) => c.json({ models: LAPTOP_CATALOG }));

  app.post('/orders', async (c) => {
    const body = await readBody(c, orderInput);
    if ('answer' in body) return body.answer;
    const input = body.data;
    const department = input.department?.toLowerCase();
    let model: string = DEFAULT_MODEL;
    if (input.model) {
      const stocked = LAPTOP_CATALOG.find((l) => l.model === input.model);
      if (!stocked) {
        return opsError(
          c,
          422,
          'unknown_model',
          `IT does not stock "${input.model}"; see GET /hardware/models`,
        );
      }
      model = stocked.model;
    } else if (department) {
      model =
        LAPTOP_CATALOG.find((l) => (l.departments as readonly string[]).includes(department))?.model ??
        DEFAULT_MODEL;
    }
    const now = new Date();
    const order: HardwareOrder = {
      id: ids.take(),
      status: 'placed',
      employeeId: input.employeeId,
      ...(department ? { department } : {}),
      model,
      ...(input.shipTo !== undefined ? { shipTo: input.shipTo } : {}),
      ...(input.note ? { note: input.note } : {}),
      estimatedDelivery: new Date(now.getTime() + DELIVERY_DAYS * 86_400_000).toISOString().slice(0, 10),
      createdAt: now.toISOString(),
    };
    orders.set(order.id, order);
    state.effect('ops', 'hardware.ordered', order.id, { employeeId: order.employeeId, model });
    return c.json(order, 201);
  });

  app.get('/orders', (c) => {
    const employeeId = c.req.query('employeeId');
    const list = [...orders.values()].filter((o) => !employeeId || o.employeeId === employeeId);
    return c.json({ orders: list });
  });

  app.get('/orders/:id', (c) => {
    const order = orders.get(c.req.param('id'));
    if (!order) return opsError(c, 404, 'order_not_found', `No hardware order "${c.req.param('id')}"`);
    return c.json(order);
  });

  return {
    app,
    reset() {
      orders.clear();
      ids.reset();
    },
  };
}
