import { describe, expect, it } from 'vitest';
import { flowSchema } from '../flow/schema';
import { flowToMermaid } from './flow-to-mermaid';

const flow = flowSchema.parse({
  id: 'order-fulfillment',
  trigger: { source: 'shop', event: 'order.created', if: '{{ event.data.total > 0 }}' },
  steps: [
    { id: 'stock', action: 'inventory.reserve', input: { sku: '{{ event.data.sku }}' } },
    {
      id: 'charge',
      action: 'payment.charge',
      needs: ['stock'],
      retry: { maxAttempts: 4 },
      timeout: '10s',
      fallback: [{ action: 'payment-backup.charge' }, { action: 'payment-third.charge' }],
      compensate: { action: 'payment.refund', input: { charge: '{{ steps.charge.output.id }}' } },
    },
    {
      id: 'ship',
      action: 'shipping.create-shipment',
      needs: ['charge'],
      forEach: '{{ event.data.items }}',
      concurrency: 2,
      input: {},
    },
    {
      id: 'low-stock-alert',
      action: 'notify.send',
      needs: ['stock'],
      if: '{{ steps.stock.output.remaining < 5 }}',
      continueOnError: true,
    },
    { id: 'cool-down', delay: '1h' },
    { id: 'until', needs: [], delay: { until: '{{ event.data["start"] }}' } },
  ],
  onFailure: [
    { id: 'page-ops', action: 'notify.send', input: { text: 'x' } },
    { id: 'log', action: 'notify.send', if: '{{ run.error.code = "X" }}' },
  ],
});

describe('flowToMermaid', () => {
  it('draws steps, needs, conditions, loops, delays, fallbacks, compensations and onFailure', () => {
    expect(flowToMermaid(flow)).toBe(
      `flowchart TD
  trigger(["shop: order.created<br/>if event.data.total #gt; 0"])
  step0["stock<br/>inventory.reserve"]
  trigger --> step0
  step1["charge<br/>payment.charge<br/>4 attempts, timeout 10s"]
  step0 --> step1
  step1_fallback0["payment-backup.charge"]:::fallback
  step1 -.->|"fails: fallback"| step1_fallback0
  step1_fallback1["payment-third.charge"]:::fallback
  step1_fallback0 -.->|"fails"| step1_fallback1
  step1_compensate[/"undo: payment.refund"/]:::compensate
  step1 -.->|"on rollback"| step1_compensate
  step2[["ship<br/>shipping.create-shipment<br/>for each of event.data.items, 2 at a time"]]
  step1 --> step2
  step3["low-stock-alert<br/>notify.send<br/>continues on error"]
  step0 -->|"if steps.stock.output.remaining #lt; 5"| step3
  step4{{"cool-down<br/>wait 1h"}}
  step3 --> step4
  step5{{"until<br/>wait until event.data[#quot;start#quot;]"}}
  trigger --> step5
  subgraph onFailure ["on failure (after compensation)"]
    failed(["run failed"]):::failure
    failure0["page-ops<br/>notify.send"]
    failed --> failure0
    failure1["log<br/>notify.send"]
    failure0 -->|"if run.error.code = #quot;X#quot;"| failure1
  end
  classDef fallback stroke-dasharray: 5 5
  classDef compensate stroke-dasharray: 2 2
  classDef failure stroke-width: 2px
`,
    );
  });

  it('draws a scheduled flow left to right, and a flow started by hand', () => {
    const scheduled = flowSchema.parse({
      id: 'nightly',
      trigger: { schedule: '0 2 * * *', timezone: 'Europe/Paris' },
      steps: [{ id: 'sync', action: 'crm.sync' }],
    });
    expect(flowToMermaid(scheduled, { direction: 'LR' }).split('\n').slice(0, 4)).toEqual([
      'flowchart LR',
      '  trigger(["schedule 0 2 * * * (Europe/Paris)"])',
      '  step0["sync<br/>crm.sync"]',
      '  trigger --> step0',
    ]);
    const manual = flowSchema.parse({ id: 'manual', steps: [{ id: 'a', action: 'x.y' }] });
    expect(flowToMermaid(manual)).toContain('trigger(["started by hand"])');
  });
});
