import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../model/ids';
import { testFlow, testRun } from './_test-redis';
import { Partitions, partitionPrefix } from './partitions';

describe('partitions', () => {
  it('puts partition p inside the hash tag, and leaves partition 0 as the hub was', () => {
    expect(partitionPrefix('{baton}', 0, 3)).toBe('{baton}');
    expect(partitionPrefix('{baton}', 2, 3)).toMatch(/^\{baton\/2(\.\d+)?\}$/);
    expect(partitionPrefix('app:{baton-staging}:x', 1, 3)).toMatch(/^app:\{baton-staging\/1(\.\d+)?\}:x$/);
  });

  it.each([2, 3, 4, 6, 12])(
    "gives each of %i partitions its own even range of the Cluster's slots",
    (count) => {
      for (const prefix of ['{baton}', '{baton-staging}', '{x}', 'app:{hub-7}:']) {
        const ranges = new Partitions(prefix, count).prefixes.map((p) =>
          Math.floor((calculateSlot(p) * count) / 16384),
        );
        expect(new Set(ranges).size).toBe(count);
      }
    },
  );

  it('refuses a count that is not a whole number from 1 to 64', () => {
    for (const count of [0, -1, 1.5, 65, Number.NaN])
      expect(() => new Partitions('{b}', count)).toThrow(
        expect.objectContaining({ code: 'REDIS_PARTITIONS_INVALID' }),
      );
  });

  it('spreads consecutive run ids evenly', () => {
    const partitions = new Partitions('{b}', 3);
    const counts = [0, 0, 0];
    const at = Date.now();
    for (let i = 0; i < 30_000; i++) counts[partitions.ofRun(newRunId(at + (i % 7)))]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(9_000);
  });

  it('places new runs beside their event, ordered runs beside their line, replays beside their run', () => {
    const partitions = new Partitions('{b}', 5);
    const flow = testFlow('f');
    for (let i = 0; i < 50; i++) {
      const plain = testRun(flow);
      const ordered = testRun(flow);
      ordered.orderKey = `key-${i}`;
      const createdAt = plain.createdAt;
      partitions.place([plain, ordered], { source: 's', eventId: `e-${i}` });
      expect(partitions.ofRun(plain.id)).toBe(partitions.ofEvent('s', `e-${i}`));
      expect(partitions.ofRun(ordered.id)).toBe(partitions.ofLine('f', `key-${i}`));
      // Same layout, same millisecond: the id still sorts by creation time.
      expect(plain.id).toMatch(/^run_[0-9a-z]{26}$/);
      expect(plain.id.slice(0, 14)).toBe(newRunId(Date.parse(createdAt)).slice(0, 14));
      const replay = testRun(flow);
      partitions.place([replay], { runId: plain.id });
      expect(partitions.ofRun(replay.id)).toBe(partitions.ofRun(plain.id));
    }
  });

  it('changes nothing with one partition', () => {
    const partitions = new Partitions('{b}', 1);
    const run = testRun(testFlow());
    const id = run.id;
    partitions.place([run], { source: 's', eventId: 'e' });
    expect(run.id).toBe(id);
    expect(partitions.ofRun(id)).toBe(0);
  });
});
