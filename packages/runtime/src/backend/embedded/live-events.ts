import { randomBytes } from 'node:crypto';
import type { EngineEvent } from '../../model/events';
import { liveEventOf } from '../../model/live-event';
import type { LiveEventBus, LiveListener, LiveSubscription } from '../types';

/**
 * Live events within one process: the embedded backend has no other
 * process to tell, so publishing hands the (bounded) event to this
 * process's subscribers, and costs nothing while there are none.
 */
export class EmbeddedLiveEvents implements LiveEventBus {
  readonly fleetWide = false;
  readonly origin = `embedded-${randomBytes(4).toString('hex')}`;
  readonly dropped = 0;
  private readonly listeners = new Set<LiveListener>();

  publish(event: EngineEvent): void {
    if (this.listeners.size === 0) return;
    const live = liveEventOf(event);
    for (const listener of this.listeners) {
      try {
        listener(live, this.origin);
      } catch {
        // Listeners are observers; their failures are theirs.
      }
    }
  }

  subscribe(listener: LiveListener): LiveSubscription {
    // Each subscription is its own entry, even when two pass the same function.
    const own: LiveListener = (event, origin) => listener(event, origin);
    this.listeners.add(own);
    return { ready: Promise.resolve(true), close: () => this.listeners.delete(own) };
  }
}
