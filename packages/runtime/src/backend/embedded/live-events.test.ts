import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../model/events';
import { EmbeddedLiveEvents } from './live-events';

describe('live events on the embedded backend', () => {
  it('reach this process only, bounded, each subscription once, until it closes', async () => {
    const bus = new EmbeddedLiveEvents();
    expect(bus.fleetWide).toBe(false);
    const seen: Array<[EngineEvent, string]> = [];
    const listener = (event: EngineEvent, origin: string) => seen.push([event, origin]);
    const first = bus.subscribe(listener);
    const second = bus.subscribe(listener);
    expect(await first.ready).toBe(true);

    bus.publish({
      type: 'run.ended',
      runId: 'r1',
      flow: 'f',
      status: 'failed',
      error: { name: 'Error', code: 'BOOM', message: 'm'.repeat(2_000), retryable: false, details: { a: 1 } },
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual([
      {
        type: 'run.ended',
        runId: 'r1',
        flow: 'f',
        status: 'failed',
        error: { name: 'Error', code: 'BOOM', message: `${'m'.repeat(499)}…`, retryable: false },
      },
      bus.origin,
    ]);

    first.close();
    second.close();
    bus.publish({ type: 'run.started', runId: 'r2', flow: 'f' });
    expect(seen).toHaveLength(2);
  });
});
