import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { assertDepth, DEFAULT_MAX_BODY_DEPTH, flowDepthLimit, valueTooDeep } from './json-depth';

/** `levels` arrays and objects nested alternately, with a scalar at the bottom. */
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { [`k${i}`]: value, side: 'x' };
  return value;
}

describe('valueTooDeep', () => {
  it('counts each array and object as a level, scalars as none', () => {
    expect(valueTooDeep('text', 0)).toBe(false);
    expect(valueTooDeep(null, 0)).toBe(false);
    expect(valueTooDeep({}, 0)).toBe(true);
    expect(valueTooDeep({}, 1)).toBe(false);
    expect(valueTooDeep({ a: [] }, 1)).toBe(true);
    expect(valueTooDeep({ a: [] }, 2)).toBe(false);
    for (const levels of [1, 2, 63, 64, 65, 1000]) {
      expect(valueTooDeep(nested(levels), 64)).toBe(levels > 64);
    }
  });

  it('finds the deep branch among wide shallow ones, under a "__proto__" key too', () => {
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { v: [i] }]));
    expect(valueTooDeep(wide, 3)).toBe(false);
    const hidden = JSON.parse(`{"a":[1,2,{"b":"x"}],"__proto__":${JSON.stringify(nested(10))}}`);
    expect(valueTooDeep(hidden, 11)).toBe(false);
    expect(valueTooDeep(hidden, 10)).toBe(true);
  });

  it('handles depths that would overflow a recursive walk, and ends on a cycle', () => {
    expect(valueTooDeep(JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), 64)).toBe(true);
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(valueTooDeep(cycle, 64)).toBe(true);
  });

  it('assertDepth throws BODY_TOO_DEEP (400) naming what was refused', () => {
    expect(() => assertDepth(nested(3), 3, 'data')).not.toThrow();
    const error = (() => {
      try {
        assertDepth(nested(4), 3, 'data');
      } catch (caught) {
        return caught as GatewayError;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      code: 'BODY_TOO_DEEP',
      status: 400,
      message: 'data nests arrays and objects more than 3 levels deep (the limit)',
    });
  });
});

describe('flowDepthLimit', () => {
  it("is the flow's trigger source limit, else the default", async () => {
    const gw = await gatewayFixture({ worker: false });
    try {
      expect(flowDepthLimit(gw, 'order')).toBe(DEFAULT_MAX_BODY_DEPTH);
      expect(flowDepthLimit(gw, 'no-such-flow')).toBe(DEFAULT_MAX_BODY_DEPTH);
      gw.hub.sources.get('shop')!.config.maxBodyDepth = 8;
      expect(flowDepthLimit(gw, 'order')).toBe(8);
    } finally {
      await gw.close();
    }
  });
});
