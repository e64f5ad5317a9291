import { describe, expect, it } from 'vitest';
import { createWebhookActivity, type WebhookOutcome } from './webhook-activity';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe('webhook activity', () => {
  it('counts outcomes per source and minute, with every minute of the window present', () => {
    let now = T0 + 5_000;
    const activity = createWebhookActivity({ windowMinutes: 5, now: () => now });
    activity.record('shop', 'accepted');
    activity.record('shop', 'accepted');
    activity.record('shop', 'signature_invalid');
    now = T0 + 2 * MINUTE + 1;
    activity.record('shop', 'duplicate');
    activity.record('github', 'accepted');

    const snapshot = activity.snapshot();
    expect(snapshot).toMatchObject({
      windowMinutes: 5,
      from: new Date(T0 - 2 * MINUTE).toISOString(),
      to: new Date(now).toISOString(),
    });
    expect(snapshot.sources.map((s) => s.source)).toEqual(['github', 'shop']);
    const shop = snapshot.sources.find((s) => s.source === 'shop')!;
    expect(shop.total).toBe(4);
    expect(shop.outcomes).toEqual({ accepted: 2, signature_invalid: 1, duplicate: 1 });
    expect(shop.minutes).toHaveLength(5);
    expect(shop.minutes[2]).toEqual({
      at: new Date(T0).toISOString(),
      outcomes: { accepted: 2, signature_invalid: 1 },
    });
    expect(shop.minutes[3]).toEqual({ at: new Date(T0 + MINUTE).toISOString(), outcomes: {} });
    expect(shop.minutes[4]!.outcomes).toEqual({ duplicate: 1 });
  });

  it('forgets minutes that left the window, also when their slot is reused', () => {
    let now = T0;
    const activity = createWebhookActivity({ windowMinutes: 3, now: () => now });
    activity.record('shop', 'accepted');
    now = T0 + 3 * MINUTE; // the same ring slot as T0
    activity.record('shop', 'body_invalid');
    const shop = activity.snapshot().sources[0]!;
    expect(shop.outcomes).toEqual({ body_invalid: 1 });
    now = T0 + 10 * MINUTE;
    expect(activity.snapshot().sources).toEqual([]);
  });

  it('tells listeners about each outcome, and a failing listener does not stop the others', () => {
    const activity = createWebhookActivity({ now: () => T0 });
    const seen: WebhookOutcome[] = [];
    activity.on(() => {
      throw new Error('listener bug');
    });
    const off = activity.on((outcome) => seen.push(outcome));
    activity.record('shop', 'accepted');
    off();
    activity.record('shop', 'accepted');
    expect(seen).toEqual([{ source: 'shop', outcome: 'accepted', at: T0 }]);
  });

  it('refuses a window that is not a positive whole number of minutes', () => {
    expect(() => createWebhookActivity({ windowMinutes: 0 })).toThrow(/positive integer/);
    expect(() => createWebhookActivity({ windowMinutes: 1.5 })).toThrow(/positive integer/);
  });
});
