import { describe, expect, it } from 'vitest';
import { createSandboxApp } from './app';
import { inventorySystem } from './systems/inventory';

describe('the ledger', () => {
  it('keeps the traceparent a request carried, so a test sees the trace its caller joined', async () => {
    const { app } = createSandboxApp({ systems: [inventorySystem] });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const path = '/inventory/admin/api/2024-10/locations.json';
    await app.request(path, { headers: { 'x-shopify-access-token': 'shpat_sandbox', traceparent } });
    await app.request(path, { headers: { 'x-shopify-access-token': 'shpat_sandbox' } });
    const ledger = (await (await app.request('/_sandbox/ledger?system=inventory')).json()) as {
      requests: Array<{ traceparent?: string; status: number }>;
    };
    expect(ledger.requests.map((r) => [r.status, r.traceparent])).toEqual([
      [200, traceparent],
      [200, undefined],
    ]);
  });
});
