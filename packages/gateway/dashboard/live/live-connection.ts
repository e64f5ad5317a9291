import { EventSourceParserStream } from 'eventsource-parser/stream';
import { auth } from '../api/auth';
import { apiHeaders } from '../api/client';

/** One Server-Sent Event of `/api/events`: an engine event (`run.ended` …), `webhook`, `hello` or `resync`. */
export interface LiveMessage {
  event: string;
  data: Record<string, unknown>;
}

/**
 * `connecting` before the first answer, `live` while events flow, `offline`
 * while the stream is down (the pages poll then).
 */
export type LiveState = 'connecting' | 'live' | 'offline';

type Listener = (message: LiveMessage) => void;

/** The server sends a comment every 15 s; silence for three of those means the stream is dead. */
const SILENCE_MS = 45_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * The dashboard's one connection to `/api/events`. It reads the stream with
 * `fetch` rather than `EventSource` because EventSource cannot send the
 * `Authorization` header, and a token in the URL would end up in proxy and
 * access logs. It reconnects with backoff, and at once when the token
 * changes.
 */
class LiveConnection {
  state: LiveState = 'connecting';
  /** `redis` when runs may also move in other processes. */
  backend: 'embedded' | 'redis' | undefined;
  /** True when the events of every process of the hub reach this stream, not only the gateway's own. */
  fleetWide = false;
  /** How often pages still refetch while the stream is live and fleet-wide (the server's `safetyPollMs`). */
  safetyPollMs = 60_000;
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<() => void>();
  private current: AbortController | undefined;
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    auth.subscribe(() => {
      // A new token: drop the stream opened with the old one and start again with it.
      if (!auth.required) this.current?.abort();
    });
    void this.loop();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    for (;;) {
      if (auth.required) {
        this.setState('offline');
        await new Promise<void>((resolve) => {
          const off = auth.subscribe(() => {
            if (auth.required) return;
            off();
            resolve();
          });
        });
      }
      const opened = await this.readOnce();
      failures = opened ? 0 : failures + 1;
      this.setState('offline');
      await sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!);
    }
  }

  /** Reads the stream until it ends or fails; true when it delivered at least the greeting. */
  private async readOnce(): Promise<boolean> {
    const controller = new AbortController();
    this.current = controller;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    let greeted = false;
    try {
      alive();
      const response = await fetch('/api/events', {
        headers: { ...apiHeaders(), accept: 'text/event-stream' },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) auth.refused();
      if (!response.ok || !response.body) return false;
      const events = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream({ onComment: alive }));
      const reader = events.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return greeted;
        alive();
        const message: LiveMessage = { event: value.event ?? 'message', data: parse(value.data) };
        if (message.event === 'hello') {
          greeted = true;
          this.backend = message.data.backend === 'redis' ? 'redis' : 'embedded';
          this.fleetWide = message.data.fleetWide === true;
          const safety = message.data.safetyPollMs;
          if (typeof safety === 'number' && safety >= 1_000) this.safetyPollMs = safety;
          this.setState('live');
        }
        for (const listener of this.listeners) listener(message);
      }
    } catch {
      return greeted;
    } finally {
      clearTimeout(watchdog);
      controller.abort();
    }
  }
}

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The connection every page shares. */
export const live = new LiveConnection();
