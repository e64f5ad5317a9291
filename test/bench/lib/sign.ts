import { createHmac, randomBytes } from 'node:crypto';

/** The bench hub's Standard Webhooks secret (not a real credential: it only signs local traffic). */
export const BENCH_SECRET = `whsec_${Buffer.from('baton-bench-secret-0123456789abcdef').toString('base64')}`;

const key = Buffer.from(BENCH_SECRET.slice('whsec_'.length), 'base64');
const prefix = randomBytes(4).toString('hex');
let seq = 0;

/** A fresh event id: unique across the load processes of one bench run. */
export function freshId(): string {
  seq += 1;
  return `msg_${prefix}${process.pid.toString(36)}_${seq.toString(36)}`;
}

/** The three Standard Webhooks headers for `body`, signed now under a fresh id. */
export function signedHeaders(body: string, id = freshId()): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** A webhook body of about `bytes` bytes (JSON), the shape of an order event. */
export function orderBody(type: string, bytes = 1024): string {
  const base = {
    type,
    timestamp: new Date().toISOString(),
    data: {
      id: 'ord_1001',
      total: 4200,
      currency: 'usd',
      customer: { id: 'cus_77', email: 'ada@example.com', name: 'Ada Lovelace' },
      items: [
        { sku: 'SKU-1', qty: 2, price: 1200 },
        { sku: 'SKU-2', qty: 1, price: 1800 },
      ],
      note: '',
    },
  };
  const padding = Math.max(0, bytes - JSON.stringify(base).length);
  base.data.note = 'x'.repeat(padding);
  return JSON.stringify(base);
}
