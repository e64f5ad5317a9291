import type { EngineLogger } from '../../log/logger';
import type { EngineEvent } from '../../model/events';
import { isLiveEvent, liveEventOf } from '../../model/live-event';
import type { LiveEventBus, LiveListener, LiveSubscription } from '../types';
import type { RedisClient } from './client';

/** How long events gather before they are sent as one message: live enough for a person, one command per batch. */
const FLUSH_MS = 20;
/** A message is sent once its events reach about this many characters. */
const MAX_MESSAGE_CHARS = 64 * 1024;
/** An event larger than this once bounded is not sent (it cannot be, short of a bug: fields are cut). */
const MAX_EVENT_CHARS = 8 * 1024;
/** Messages sent and not yet answered; past it Redis is too slow and batches are dropped, not queued in memory. */
const MAX_IN_FLIGHT = 8;
/** A received message larger than this is ignored (no process of ours sends one). */
const MAX_RECEIVED_CHARS = 1024 * 1024;
/** How long a subscriber waits for Redis to confirm the subscription before it says it is not (yet) live. */
const READY_TIMEOUT_MS = 2_000;
/** Dropped events are logged at most this often. */
const LOG_EVERY_MS = 30_000;

/** One message on the channel: the publisher's origin and a batch of bounded events. */
interface LiveBatch {
  o: string;
  e: unknown[];
}

/**
 * Live engine events over Redis pub/sub on `<prefix>:live`. Pub/sub, not a
 * stream: these are hints for live views, and the run records stay the
 * truth, so a subscriber that was away (a reconnect, a restart) misses
 * events and refetches instead of replaying them.
 *
 * Publishing costs little on the step path: each event is bounded and
 * serialized, then gathered for up to 20 ms and sent as one `PUBLISH` on
 * the command connection (auto-pipelined with the steps' own commands),
 * without waiting for it. A failed or too slow publish drops its batch,
 * counted in `dropped` and logged at most every 30 s; nothing throws.
 */
export class RedisLiveEvents implements LiveEventBus {
  readonly fleetWide = true;
  private batch: string[] = [];
  private chars = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private droppedEvents = 0;
  private lastLog = 0;
  private closed = false;
  private readonly subscriptions = new Set<{ listener: LiveListener; onGap?: (() => void) | undefined }>();
  private subscriber: RedisClient | undefined;
  private subscribed: Promise<boolean> | undefined;

  constructor(
    private readonly publisher: RedisClient,
    private readonly makeSubscriber: () => RedisClient,
    private readonly channel: string,
    readonly origin: string,
    private readonly log: EngineLogger,
  ) {}

  get dropped(): number {
    return this.droppedEvents;
  }

  publish(event: EngineEvent): void {
    if (this.closed) return;
    const json = JSON.stringify(liveEventOf(event));
    if (json.length > MAX_EVENT_CHARS) {
      this.drop(1, 'an event over the size bound');
      return;
    }
    if (this.chars + json.length > MAX_MESSAGE_CHARS) this.flush();
    this.batch.push(json);
    this.chars += json.length + 1;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref?.();
    }
  }

  subscribe(listener: LiveListener, onGap?: () => void): LiveSubscription {
    const subscription = { listener, onGap };
    this.subscriptions.add(subscription);
    const ready = this.listen();
    return {
      ready,
      close: () => {
        if (this.subscriptions.delete(subscription) && this.subscriptions.size === 0) this.unlisten();
      },
    };
  }

  /** Sends what is gathered, waits for the messages in flight, and closes the subscriber connection. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await Promise.all(this.inFlight);
    this.subscriptions.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.subscribed = undefined;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    const events = this.batch;
    this.batch = [];
    this.chars = 0;
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.drop(events.length, 'Redis is too slow');
      return;
    }
    const message = `{"o":${JSON.stringify(this.origin)},"e":[${events.join(',')}]}`;
    const sent = this.publisher.publish(this.channel, message).then(
      () => undefined,
      (error: Error) => this.drop(events.length, error.message),
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  private drop(count: number, reason: string): void {
    this.droppedEvents += count;
    const now = Date.now();
    if (now - this.lastLog < LOG_EVERY_MS) return;
    this.lastLog = now;
    this.log.warn(
      { dropped: this.droppedEvents, reason },
      'live events could not be sent to the other processes (dashboards refetch instead)',
    );
  }

  /** Subscribes the connection when the first listener comes; answers whether it is subscribed in time. */
  private listen(): Promise<boolean> {
    if (!this.subscribed) {
      const subscriber = this.connection();
      this.subscribed = subscriber.subscribe(this.channel).then(
        () => true,
        (error: Error) => {
          this.log.warn({ err: error.message }, 'could not subscribe to live events');
          return false;
        },
      );
    }
    const subscribed = this.subscribed;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      timer.unref?.();
      void subscribed.then((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
  }

  /** The last listener left: no message is worth receiving (and parsing) any more. */
  private unlisten(): void {
    if (!this.subscribed) return;
    this.subscribed = undefined;
    this.subscriber?.unsubscribe(this.channel).catch(() => undefined);
  }

  /** The subscriber connection, opened once; ioredis reconnects it and subscribes again on its own. */
  private connection(): RedisClient {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.makeSubscriber();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => this.deliver(message));
    let lost = false;
    subscriber.on('close', () => {
      lost = true;
    });
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      // Events published while the connection was down never arrive: tell the readers to refetch.
      for (const { onGap } of this.subscriptions) onGap?.();
    });
    return subscriber;
  }

  private deliver(message: string): void {
    if (message.length > MAX_RECEIVED_CHARS) return;
    let batch: LiveBatch;
    try {
      batch = JSON.parse(message) as LiveBatch;
    } catch {
      return;
    }
    if (typeof batch?.o !== 'string' || !Array.isArray(batch.e)) return;
    for (const event of batch.e) {
      if (!isLiveEvent(event)) continue;
      for (const { listener } of this.subscriptions) {
        try {
          listener(event, batch.o);
        } catch {
          // Listeners are observers; their failures are theirs.
        }
      }
    }
  }
}
