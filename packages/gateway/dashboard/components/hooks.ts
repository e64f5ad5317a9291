import { useEffect, useState } from 'preact/hooks';

/**
 * A value kept outside Preact (the token, the live state), re-rendering on
 * change. It reads the value again right after subscribing: a change
 * between the first render and the effect would otherwise be missed.
 */
export function useExternal<T>(subscribe: (listener: () => void) => () => void, read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(() => read());
    const off = subscribe(update);
    update();
    return off;
  }, []);
  return value;
}

/** The current time, updated every `everyMs` while `active`, for "5 s ago" and running bars. */
export function useNow(everyMs: number, active = true): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, active]);
  return now;
}

/** Sets the tab's title while a page is shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Baton`;
  }, [title]);
}

let flashMessage: string | undefined;

/** A message for the next page, such as "Replay started", shown once. */
export const flash = {
  set(message: string): void {
    flashMessage = message;
  },
  take(): string | undefined {
    const message = flashMessage;
    flashMessage = undefined;
    return message;
  },
};
