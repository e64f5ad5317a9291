import { describe, expect, it } from 'vitest';
import { newRun } from '../../model/new-run';
import type { CloudEvent } from '../../model/run-record';
import { testFlow } from '../redis/_test-redis';
import { createEmbeddedBackend } from './index';

const event = (id: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source: 's',
  type: 'go',
  time: '2030-01-01T00:00:00.000Z',
  data: {},
});

describe('embedded event log', () => {
  const flow = testFlow();

  it('answers a duplicate with the first answer, within the window', async () => {
    let now = 1_000;
    const backend = createEmbeddedBackend({ now: () => now });
    const run = newRun(flow, event('e1'), 'webhook', now);
    const first = await backend.events.ingest(event('e1'), [run], { dedupWindowMs: 60_000 });
    expect(first).toEqual({
      duplicate: false,
      answer: { eventId: 'e1', runs: [{ flow: 'f', runId: run.id }] },
    });
    const again = await backend.events.ingest(event('e1'), [newRun(flow, event('e1'), 'webhook', now)], {
      dedupWindowMs: 60_000,
    });
    expect(again).toEqual({ duplicate: true, answer: first.answer });
    now += 60_001;
    const later = await backend.events.ingest(event('e1'), [], { dedupWindowMs: 60_000 });
    expect(later.duplicate).toBe(false);
    await backend.close();
  });

  it('remembers at most dedupMaxEvents events, forgetting the oldest first', async () => {
    const backend = createEmbeddedBackend({ dedupMaxEvents: 2 });
    for (const id of ['a', 'b', 'c']) await backend.events.ingest(event(id), [], { dedupWindowMs: 60_000 });
    expect((await backend.events.ingest(event('c'), [], { dedupWindowMs: 60_000 })).duplicate).toBe(true);
    expect((await backend.events.ingest(event('a'), [], { dedupWindowMs: 60_000 })).duplicate).toBe(false);
    await backend.close();
  });
});
