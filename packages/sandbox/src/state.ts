import { SystemLimits } from './limits/system-limits';
import { WebhookOutbox } from './webhooks/outbox';

/**
 * What the sandbox remembers across systems: the ledger of requests and side
 * effects, the faults injected per system, the rate limits and pauses of each
 * system and what they let through, the webhooks systems send, and
 * the timers of what happens later. Each system keeps its own business data
 * and registers a reset hook here.
 */

/** One request a system received. */
export interface LedgerRequest {
  seq: number;
  at: string;
  system: string;
  method: string;
  path: string;
  status: number;
  idempotencyKey?: string;
  /** The W3C `traceparent` the request carried: the caller's trace, which a traced hub joins. */
  traceparent?: string;
  /** Set when the fault injector answered instead of the system. */
  fault?: string;
}

/** One side effect a system performed: a charge, a shipment, an account. */
export interface LedgerEffect {
  seq: number;
  at: string;
  system: string;
  /** `domain.verb`, such as `charge.created` or `shipment.created`. */
  kind: string;
  /** The id of what was affected, such as the payment intent id. */
  ref?: string;
  data?: Record<string, unknown>;
}

/** What can go wrong with a system, on purpose. */
export interface FaultPlan {
  /** Statuses answered to the next requests, one each, before normal service resumes. */
  statuses?: number[];
  /** Share of requests (0–1) answered with `errorStatus`. */
  errorRate?: number;
  /** @default 500 */
  errorStatus?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /** Answer 429 with this `Retry-After` (seconds) to the next `count` requests (all when absent). */
  rateLimit?: { retryAfter: number; count?: number };
  /** Never answer (until the fault is cleared or the sandbox reset). */
  hang?: boolean;
  /** Only requests whose path contains this text are affected. */
  pathIncludes?: string;
  /** Only requests with this method are affected. */
  method?: string;
}

export class SandboxState {
  readonly requests: LedgerRequest[] = [];
  readonly effects: LedgerEffect[] = [];
  readonly faults = new Map<string, FaultPlan>();
  /** Rate limits and pauses per system, and the requests they accepted and refused. */
  readonly limits = new SystemLimits();
  private seq = 0;
  private readonly resetHooks: Array<() => void> = [];
  private readonly hanging = new Set<() => void>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  /** Where systems send their webhooks: endpoints per system and the log of deliveries. */
  readonly webhooks: WebhookOutbox = new WebhookOutbox(this);

  recordRequest(entry: Omit<LedgerRequest, 'seq' | 'at'>): void {
    this.requests.push({ seq: ++this.seq, at: new Date().toISOString(), ...entry });
  }

  /** Records a side effect; systems call this when they change the world. */
  effect(system: string, kind: string, ref?: string, data?: Record<string, unknown>): void {
    this.effects.push({
      seq: ++this.seq,
      at: new Date().toISOString(),
      system,
      kind,
      ...(ref !== undefined ? { ref } : {}),
      ...(data !== undefined ? { data } : {}),
    });
  }

  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  /** Keeps a hung request's release, so reset and clearing faults free it. */
  holdHanging(release: () => void): () => void {
    this.hanging.add(release);
    return () => this.hanging.delete(release);
  }

  releaseHanging(): void {
    for (const release of this.hanging) release();
    this.hanging.clear();
  }

  /**
   * Runs `task` after `delayMs`, unless the sandbox is reset or closed first
   * (a delayed webhook, a parcel delivered later). The timer does not keep
   * the process alive. Returns a function that cancels it.
   */
  schedule(delayMs: number, task: () => void): () => void {
    if (this.closed) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, delayMs);
    timer.unref?.();
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** True once `close()` ran: nothing new is scheduled or sent. */
  get isClosed(): boolean {
    return this.closed;
  }

  reset(): void {
    this.requests.length = 0;
    this.effects.length = 0;
    this.faults.clear();
    this.limits.reset();
    this.releaseHanging();
    this.cancelTimers();
    this.webhooks.reset();
    for (const hook of this.resetHooks) hook();
  }

  /** Stops everything still pending (timers, webhook deliveries, hung requests) for a clean exit. */
  close(): void {
    this.closed = true;
    this.releaseHanging();
    this.cancelTimers();
    this.webhooks.close();
  }

  private cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
