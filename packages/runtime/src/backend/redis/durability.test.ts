import { describe, expect, it } from 'vitest';
import { AofDurability } from './durability';

/**
 * WAITAOF needs Redis 7.2 and the machine runs 7.0, so this stands in for
 * the server's side of one command: it records each WAITAOF and answers
 * when the test says, as Redis answers once the fsync happened.
 */
function server() {
  const sent: Array<{ answer: (local: number) => void }> = [];
  return {
    sent,
    call: (async (...args: unknown[]) => {
      expect(args).toEqual(['WAITAOF', '1', '0', '500']);
      return new Promise((resolve) => sent.push({ answer: (local) => resolve([local, 0]) }));
    }) as never,
  };
}

describe('strict durability with WAITAOF', () => {
  it('makes each confirm wait for a WAITAOF sent after it, shared by the confirms waiting together', async () => {
    const redis = server();
    const aof = new AofDurability(redis, 500);
    const first = aof.confirm();
    // Sent before these writes were answered: it cannot cover them, so they wait for the next one.
    const second = aof.confirm();
    const third = aof.confirm();
    expect(redis.sent).toHaveLength(1);
    let settled = 0;
    void second.then(() => settled++);
    redis.sent[0]!.answer(1);
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(0);
    expect(redis.sent).toHaveLength(2);
    redis.sent[1]!.answer(1);
    await Promise.all([second, third]);
    expect(redis.sent).toHaveLength(2);
  });

  it('fails the write when the fsync was not confirmed in time', async () => {
    const redis = server();
    const aof = new AofDurability(redis, 500);
    const confirm = aof.confirm();
    redis.sent[0]!.answer(0);
    await expect(confirm).rejects.toMatchObject({ code: 'DURABILITY_TIMEOUT', retryable: true });
    // The next write gets a WAITAOF of its own.
    const next = aof.confirm();
    redis.sent[1]!.answer(1);
    await expect(next).resolves.toBeUndefined();
  });
});
