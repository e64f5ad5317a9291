import { describe, expect, it } from 'vitest';
import type { Diagnostic, FlowDefinition } from '../../dashboard/api/types';
import { diagnosticsByNode, flowGraph } from '../../dashboard/model/flow-graph';
import { layoutGraph, splinePath } from '../../dashboard/model/layout';

const flow: FlowDefinition = {
  id: 'order-fulfillment',
  trigger: { source: 'shop', event: 'order.created', if: '{{ event.data.total > 0 }}' },
  steps: [
    { id: 'stock', action: 'inventory.reserve' },
    {
      id: 'charge',
      action: 'payment.charge',
      needs: ['stock'],
      retry: { maxAttempts: 4 },
      fallback: [{ action: 'payment-backup.charge' }, { action: 'payment-third.charge' }],
      compensate: { action: 'payment.refund' },
    },
    { id: 'ship', action: 'shipping.create-shipment', forEach: '{{ event.data.items }}' },
    { id: 'alert', action: 'notify.send', needs: ['stock'], if: '{{ steps.stock.output.remaining < 5 }}' },
    { id: 'wait', delay: '10m', needs: [] },
  ],
  onFailure: [
    { id: 'page-ops', action: 'notify.send' },
    { id: 'log', action: 'notify.log', if: true },
  ],
};

/** A fixed-width font: the layout only needs consistent widths. */
const measure = (text: string, bold: boolean) => text.length * (bold ? 8 : 7);

describe('the flow graph', () => {
  it('draws steps, needs with their conditions, fallback chains, compensations and onFailure', () => {
    const graph = flowGraph(flow);
    const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toEqual({
      trigger: 'trigger',
      'step-0': 'step',
      'step-1': 'step',
      'step-1-fallback-0': 'fallback',
      'step-1-fallback-1': 'fallback',
      'step-1-compensate': 'compensate',
      'step-2': 'foreach',
      'step-3': 'step',
      'step-4': 'delay',
      failed: 'failed',
      'on-failure-0': 'on-failure',
      'on-failure-1': 'on-failure',
    });
    const edges = graph.edges.map((e) => `${e.from} -${e.kind}${e.label ? `(${e.label})` : ''}-> ${e.to}`);
    expect(edges).toEqual([
      'trigger -needs-> step-0',
      'step-0 -needs-> step-1',
      'step-1 -fallback(fails)-> step-1-fallback-0',
      'step-1-fallback-0 -fallback(fails)-> step-1-fallback-1',
      'step-1 -compensate(on rollback)-> step-1-compensate',
      // Without `needs`, a step follows the one before it.
      'step-1 -needs-> step-2',
      'step-0 -needs(if steps.stock.output.remaining < 5)-> step-3',
      // `needs: []` starts at once.
      'trigger -needs-> step-4',
      'failed -on-failure-> on-failure-0',
      'on-failure-0 -on-failure(if true)-> on-failure-1',
    ]);
    expect(graph.nodes[0]!.lines).toEqual(['shop: order.created', 'if event.data.total > 0']);
    expect(graph.nodes.find((n) => n.id === 'step-1')!.lines).toEqual([
      'charge',
      'payment.charge',
      '4 attempts',
    ]);
    expect(graph.nodes.find((n) => n.id === 'step-2')!.lines[2]).toBe('for each of event.data.items');
  });

  it('puts each diagnostic on the deepest box its JSON pointer falls under', () => {
    const graph = flowGraph(flow);
    const d = (pointer: string): Diagnostic => ({
      file: '/hub/flows/o.json',
      path: 'flows/o.json',
      line: 1,
      col: 1,
      pointer,
      code: 'STEP_UNKNOWN_ACTION',
      message: `${pointer}: wrong`,
    });
    const byNode = diagnosticsByNode(graph, [
      d('/steps/1/input/amount'),
      d('/steps/1/fallback/1/action'),
      d('/steps/10/action'),
      d('/onFailure/1/if'),
      d('/trigger/source'),
      d('/id'),
    ]);
    expect(Object.fromEntries([...byNode].map(([id, list]) => [id, list.map((x) => x.pointer)]))).toEqual({
      'step-1': ['/steps/1/input/amount'],
      'step-1-fallback-1': ['/steps/1/fallback/1/action'],
      'on-failure-1': ['/onFailure/1/if'],
      trigger: ['/trigger/source'],
    });
  });

  it('lays the graph out with dagre: every box placed, none overlapping, labelled edges given room', () => {
    const graph = flowGraph(flow);
    const layout = layoutGraph(graph, measure);
    expect(layout.nodes).toHaveLength(graph.nodes.length);
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.y).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width + 0.5);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.height + 0.5);
      expect(node.width).toBeGreaterThanOrEqual(Math.max(...node.lines.map((l, i) => measure(l, i === 0))));
    }
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    // Top to bottom: a step is drawn below the steps it needs.
    const y = (id: string) => layout.nodes.find((n) => n.id === id)!.y;
    expect(y('step-1')).toBeGreaterThan(y('step-0'));
    expect(y('step-2')).toBeGreaterThan(y('step-1'));
    for (const edge of layout.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      if (edge.label) expect(edge.labelAt).toBeDefined();
      expect(splinePath(edge.points)).toMatch(/^M[\d.-]+,[\d.-]+/);
    }
  });

  it('draws a file being edited as far as it can', () => {
    const odd = {
      id: 'half',
      steps: [{ id: 'a' }, { id: 'b', needs: ['nope'], fallback: 'x' }],
    } as unknown as FlowDefinition;
    const graph = flowGraph(odd);
    expect(graph.nodes.map((n) => n.lines[0])).toEqual(['started by hand', 'a', 'b']);
    expect(graph.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['trigger->step-0', 'trigger->step-1']);
    expect(layoutGraph(graph, measure).nodes).toHaveLength(3);
  });
});

describe('splinePath', () => {
  it('runs from the first point to the last, straight for two points and curved through more', () => {
    expect(splinePath([])).toBe('');
    expect(
      splinePath([
        { x: 0, y: 0 },
        { x: 10, y: 20 },
      ]),
    ).toBe('M0,0L10,20');
    const path = splinePath([
      { x: 0, y: 0 },
      { x: 10, y: 10 },
      { x: 20, y: 0 },
    ]);
    expect(path.startsWith('M0,0L')).toBe(true);
    expect(path).toContain('C');
    expect(path.endsWith('L20,0')).toBe(true);
  });
});
