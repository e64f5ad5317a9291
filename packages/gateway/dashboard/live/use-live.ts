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
 * missed), and on a timer while the stream is down. On Redis runs also
 * move in other worker processes whose events never reach this gateway, so
 * the timer keeps running there, at a slower pace.
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
    const shared = state === 'live' && live.backend === 'redis';
    if (state === 'live' && !shared) return;
    const every = shared ? options.pollMs * 3 : options.pollMs;
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
