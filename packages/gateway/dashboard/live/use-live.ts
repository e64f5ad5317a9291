import { useEffect, useRef } from 'preact/hooks';
import { auth } from '../api/auth';
import { useExternal } from '../components/hooks';
import { type LiveMessage, type LiveState, live } from './live-connection';

/** Options of `useLiveRefresh`. */
export interface LiveRefreshOptions {
  /** Which events concern the view. @default every event */
  match?: (message: LiveMessage) => boolean;
  /** How often to poll while the stream is down. */
  pollMs: number;
  /** False stops both (a run that ended changes no more). @default true */
  active?: boolean;
}

/**
 * Calls `refresh` when a matching live event arrives (a burst of events
 * makes one call), when the stream comes back after a gap (events were
 * missed), and on a timer while the stream is down. While the stream is
 * live the timer slows down: on the embedded backend it stops (every event
 * reaches the stream); on Redis it runs at the server's safety pace when
 * the events of every worker reach the stream (`fleetWide`), else at a
 * third of the pace, for runs other processes move.
 */
export function useLiveRefresh(refresh: () => void, options: LiveRefreshOptions): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  const match = useRef(options.match);
  match.current = options.match;
  const state = useLiveState();
  const active = options.active ?? true;

  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        latest.current();
      }, 150);
    };
    const off = live.subscribe((message) => {
      if (message.event === 'resync' || message.event === 'hello') return soon();
      if (!match.current || match.current(message)) soon();
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [active]);

  useEffect(() => {
    if (!active) return;
    const every = pollEvery(state, options.pollMs);
    if (every === undefined) return;
    // Without a token every poll would be one more 401; the token dialog's answer reloads the page's data.
    const timer = setInterval(() => auth.required || latest.current(), every);
    return () => clearInterval(timer);
  }, [active, state, options.pollMs]);
}

/** The live stream's state, re-rendering on change. */
export function useLiveState(): LiveState {
  return useExternal(
    (listener) => live.onState(listener),
    () => live.state,
  );
}

/** How often to poll in a stream state: undefined for never (every event reaches the stream). */
function pollEvery(state: LiveState, pollMs: number): number | undefined {
  if (state !== 'live') return pollMs;
  if (live.backend !== 'redis') return undefined;
  return live.fleetWide ? Math.max(live.safetyPollMs, pollMs) : pollMs * 3;
}
