import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../dashboard/model/line-diff';

describe('lineDiff', () => {
  it('keeps the common lines and marks the rest, removed before added', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nc\nx\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'd' },
    ]);
  });

  it('shows a changed value of pretty-printed JSON as one line out, one line in', () => {
    const before = JSON.stringify({ id: 'order', steps: [{ id: 'stock', input: { qty: 1 } }] }, null, 2);
    const after = JSON.stringify({ id: 'order', steps: [{ id: 'stock', input: { qty: 3 } }] }, null, 2);
    const changed = lineDiff(before, after).filter((l) => l.kind !== 'same');
    expect(changed).toEqual([
      { kind: 'removed', text: expect.stringMatching(/^ +"qty": 1$/) },
      { kind: 'added', text: expect.stringMatching(/^ +"qty": 3$/) },
    ]);
  });

  it('answers texts too long to compare as all out, then all in', () => {
    const long = Array.from({ length: 2_500 }, (_, i) => `line ${i}`).join('\n');
    const lines = lineDiff(long, `${long}\nmore`);
    expect(lines.filter((l) => l.kind === 'removed')).toHaveLength(2_500);
    expect(lines.filter((l) => l.kind === 'added')).toHaveLength(2_501);
  });
});
