import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { parseFlow } from '../flow/load-flow';
import { testCatalog, testSources } from './__fixtures__/catalog';
import { flowFileDiagnostics } from './validate-flow';

function problems(flow: unknown): string[] {
  const loaded = parseFlow(JSON.stringify(flow, null, 2), 'flow.json');
  expect(loaded.flow, 'matches the flow schema').toBeDefined();
  return flowFileDiagnostics(loaded, { connectors: testCatalog, sources: testSources }).map((d) =>
    formatDiagnostic(d),
  );
}

/** The flow of the public contract, on the test connectors. */
const contractFlow = {
  $schema: '../node_modules/@baton/runtime/schemas/flow.schema.json',
  id: 'order-fulfillment',
  trigger: { source: 'shop', event: 'order.created', if: '{{ event.data.total > 0 }}' },
  steps: [
    {
      id: 'stock',
      action: 'inventory.reserve',
      input: { sku: '{{ event.data.sku }}', qty: '{{ event.data.qty }}' },
    },
    {
      id: 'charge',
      action: 'payment.charge',
      needs: ['stock'],
      input: { amount: '{{ event.data.total }}', currency: 'usd' },
      retry: { maxAttempts: 4, initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s' },
      timeout: '10s',
      fallback: [{ action: 'payment-backup.charge', input: { amount: '{{ event.data.total }}' } }],
      compensate: { action: 'payment.refund', input: { charge: '{{ steps.charge.output.id }}' } },
    },
    {
      id: 'ship',
      action: 'shipping.create-shipment',
      needs: ['charge'],
      forEach: '{{ event.data.items }}',
      input: { sku: '{{ item.sku }}' },
      fallback: [{ action: 'shipping.create-shipment' }],
    },
    {
      id: 'low-stock-alert',
      action: 'notify.send',
      needs: ['stock'],
      if: '{{ steps.stock.output.remaining < 5 }}',
      continueOnError: true,
      input: { text: 'Low stock for {{ event.data.sku }}' },
    },
  ],
  onFailure: [
    {
      id: 'page-ops',
      action: 'notify.send',
      input: { text: 'order {{ event.id }} failed: {{ run.error.message }}' },
    },
  ],
};

describe('valid flows', () => {
  it('the contract example has no diagnostics', () => {
    expect(problems(contractFlow)).toEqual([]);
  });

  it('accepts what JSONata allows: lambdas, filters, object constructors, $$ and backticks', () => {
    expect(
      problems({
        id: 'jsonata-features',
        trigger: { source: 'stripe', event: 'charge.*' },
        steps: [
          { id: 'low-stock', action: 'inventory.reserve', input: { sku: 'a', qty: 1 } },
          {
            id: 'tell',
            action: 'notify.send',
            if: '{{ steps.`low-stock`.output.remaining < 5 and steps.`low-stock`.status = "succeeded" }}',
            input: {
              text: 'Items: {{ $join($map(event.data.items[price > 10], function($i) { $i.sku }), ", ") }}',
              channel: '{{ $$.steps.`low-stock`.output.reservationId }}',
            },
          },
          {
            id: 'report',
            action: 'notify.send',
            input: '{{ {"text": $string({"remaining": steps.`low-stock`.output.remaining})} }}',
          },
        ],
        output: {
          reserved: '{{ steps.`low-stock`.output.reservationId }}',
          count: '{{ $count(event.data.items) }}',
        },
      }),
    ).toEqual([]);
  });

  it('follows implicit needs: a step sees every step before it in a chain', () => {
    expect(
      problems({
        id: 'chain',
        steps: [
          { id: 'stock', action: 'inventory.reserve', input: { sku: 'a', qty: 1 } },
          { id: 'wait', delay: '10m' },
          { id: 'tell', action: 'notify.send', input: { text: '{{ steps.stock.output.reservationId }}' } },
        ],
      }),
    ).toEqual([]);
  });

  it('reads forEach outputs, fallback outputs and delays until an expression', () => {
    expect(
      problems({
        id: 'loops',
        trigger: { schedule: '0 2 * * *', timezone: 'Europe/Paris' },
        steps: [
          {
            id: 'ship',
            action: 'shipping.create-shipment',
            forEach: '{{ event.data.items }}',
            concurrency: 3,
            input: { sku: '{{ item.sku }}', express: '{{ index = 0 }}' },
          },
          {
            id: 'pay',
            action: 'payment.charge',
            input: { amount: 5, currency: 'eur' },
            fallback: [{ action: 'payment-backup.charge', input: { amount: 5 } }],
          },
          { id: 'later', delay: { until: '{{ event.data.startAt }}' } },
          {
            id: 'tell',
            action: 'notify.send',
            input: {
              text: '{{ steps.ship.output[0].trackingId }} {{ steps.ship.output.label.url }} {{ steps.pay.output.provider }}',
            },
          },
        ],
      }),
    ).toEqual([]);
  });

  it('lets onFailure steps read any step, earlier onFailure steps and the run error', () => {
    expect(
      problems({
        id: 'failure',
        steps: [
          { id: 'a', action: 'notify.send', input: { text: 'a' } },
          { id: 'b', action: 'notify.send', needs: [], input: { text: 'b' } },
        ],
        onFailure: [
          {
            id: 'first',
            action: 'notify.send',
            input: { text: '{{ steps.b.status }}: {{ run.error.message }}' },
          },
          { id: 'second', action: 'notify.send', input: { text: '{{ steps.first.output.ts }}' } },
        ],
      }),
    ).toEqual([]);
  });

  it('does not check actions of an instance whose connector failed to load', () => {
    expect(
      problems({ id: 'broken', steps: [{ id: 'a', action: 'broken.anything', input: { x: 1 } }] }),
    ).toEqual([]);
  });
});
