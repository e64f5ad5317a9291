import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { inspectExpression } from './inspect';

const refs = (expression: string) =>
  inspectExpression(jsonata(expression).ast()).references.map(
    (r) =>
      `${r.root}${r.names.map((n) => `.${n.name}${n.filtered ? '[]' : ''}`).join('')}${r.afterMinus ? ` (after ${r.afterMinus} -)` : ''}`,
  );

describe('inspectExpression', () => {
  it('lists the paths read from the scope', () => {
    expect(refs('steps.stock.output.remaining < 5 and event.data.ok')).toEqual([
      'steps.stock.output.remaining',
      'event.data.ok',
    ]);
    expect(refs('steps.`low-stock`.output[0].id')).toEqual(['steps.low-stock.output[].id']);
    expect(refs('$$.steps.a.output & $.run.id')).toEqual(['steps.a.output', 'run.id']);
  });

  it('ignores names that are relative to another value', () => {
    expect(refs('event.data.items[price > 10].sku')).toEqual(['event.data.items[].sku']);
    expect(refs('$sum(event.data.items.(price * qty))')).toEqual(['event.data.items']);
    expect(refs('event.data ~> | items | {"seen": true} |')).toEqual(['event.data']);
    expect(refs('$map(event.data.items, function($i) { $i.sku })')).toEqual(['event.data.items']);
  });

  it('sees the scope inside blocks, conditions, constructors and lambdas written at the top', () => {
    expect(refs('($x := item.sku; $x ? {"a": [run.id]} : evnt)')).toEqual(['item.sku', 'run.id', 'evnt']);
    expect(refs('(function() { steps.a.status })()')).toEqual(['steps.a.status']);
  });

  it('marks a name that follows a minus sign, as in an unquoted hyphenated name', () => {
    expect(refs('steps.low-stock.output')).toEqual(['steps.low', 'stock.output (after low -)']);
    expect(refs('event.data.total - discount')).toEqual(['event.data.total', 'discount (after total -)']);
  });

  it('lists the functions called', () => {
    expect(inspectExpression(jsonata('$eval(event.x) & $string($uppercase("a"))').ast()).calls).toEqual([
      'eval',
      'string',
      'uppercase',
    ]);
  });
});
