import type { WebhookEndpoint } from './endpoint';
import { type SignWebhookOptions, signWebhook } from './sign';

/**
 * What the outbox needs of the sandbox's state (SandboxState provides it):
 * its own interface, so state.ts may hold an outbox without a cycle.
 */
export interface OutboxHost {
  readonly isClosed: boolean;
  /** Runs `task` after `delayMs`, unless the sandbox closes first; answers a cancel. */
  schedule(delayMs: number, task: () => void): () => void;
  /** Records an effect in the ledger. */
  effect(system: string, kind: string, ref?: string, data?: Record<string, unknown>): void;
}

/** An event a system hands over to be sent to its endpoint. */
export interface OutgoingWebhook {
  /** The event id, in the sender's format (`evt_…`). */
  id: string;
  type: string;
  /** The body, sent byte for byte the same on every attempt. */
  body: Record<string, unknown>;
  /**
   * How the sender signs, less the secret (the endpoint's). Each attempt is
   * signed anew, so a retry carries a fresh timestamp, as Stripe's do.
   */
  sign: Omit<SignWebhookOptions, 'secret' | 'body' | 'id' | 'type'>;
  /** Headers the sender always adds, such as its `User-Agent`. */
  headers?: Record<string, string>;
  /** EasyPost keys its HMAC with the NFKD form of the secret. */
  normalizeSecret?: 'NFKD';
  /** Overrides the endpoint's `delayMs`: a carrier spends that delay in transit, then reports at once. */
  delayMs?: number;
}

/**
 * Where one event stands: `scheduled` (waiting for its delay or a retry),
 * `sending`, `delivered` (a 2xx), `failed` (every attempt failed),
 * `withheld` (the endpoint's mode is `never`), `cancelled` (the sandbox
 * closed first).
 */
export type WebhookDeliveryStatus =
  | 'scheduled'
  | 'sending'
  | 'delivered'
  | 'failed'
  | 'withheld'
  | 'cancelled';

/** One POST of an event: the receiver's status, or why there was none. */
export interface WebhookDeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

/** One event on its way to an endpoint, as `GET /_sandbox/webhooks/deliveries` lists it. */
export interface WebhookDelivery {
  id: string;
  system: string;
  eventId: string;
  type: string;
  url: string;
  status: WebhookDeliveryStatus;
  createdAt: string;
  /** When the next attempt is due, while `scheduled`. */
  dueAt?: string;
  attempts: WebhookDeliveryAttempt[];
  /** The body as sent. */
  event: Record<string, unknown>;
}

/** How long one attempt waits for the receiver's answer. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The webhooks systems send: one endpoint per system, and a log of every
 * event with its attempts. Delays and retries run on the sandbox's timers,
 * so a reset or close cancels them; an attempt in flight is aborted.
 */
export class WebhookOutbox {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  /** The endpoints the sandbox started with; a reset brings them back. */
  private readonly initial = new Map<string, WebhookEndpoint>();
  private readonly inFlight = new Set<AbortController>();
  private seq = 0;

  constructor(private readonly state: OutboxHost) {}

  /** Sets a system's endpoint; `initial` ones survive resets. */
  configure(system: string, endpoint: WebhookEndpoint, options: { initial?: boolean } = {}): void {
    this.endpoints.set(system, endpoint);
    if (options.initial) this.initial.set(system, endpoint);
  }

  /** Forgets a system's endpoint (until a reset brings an initial one back). */
  remove(system: string): void {
    this.endpoints.delete(system);
  }

  endpoint(system: string): WebhookEndpoint | undefined {
    return this.endpoints.get(system);
  }

  /** Every endpoint, by system, without its secret. */
  describe(): Record<string, Omit<WebhookEndpoint, 'secret'>> {
    return Object.fromEntries(
      [...this.endpoints].map(([system, { secret: _secret, ...rest }]) => [system, rest]),
    );
  }

  /**
   * Hands an event over: nothing happens when the system has no endpoint or
   * the endpoint does not take this type; otherwise it is logged and sent
   * after the endpoint's delay (or withheld).
   */
  send(system: string, webhook: OutgoingWebhook): WebhookDelivery | undefined {
    const endpoint = this.endpoints.get(system);
    if (!endpoint || (endpoint.events && !endpoint.events.includes(webhook.type))) return undefined;
    const body = JSON.stringify(webhook.body);
    const delivery: WebhookDelivery = {
      id: `dlv_${++this.seq}`,
      system,
      eventId: webhook.id,
      type: webhook.type,
      url: endpoint.url,
      status: 'scheduled',
      createdAt: new Date().toISOString(),
      attempts: [],
      event: JSON.parse(body) as Record<string, unknown>,
    };
    this.deliveries.push(delivery);
    if (this.state.isClosed) delivery.status = 'cancelled';
    else if (endpoint.mode === 'never') delivery.status = 'withheld';
    else {
      const delayMs = webhook.delayMs ?? endpoint.delayMs;
      this.plan(delivery, delayMs, () => this.attempt(delivery, endpoint, webhook, body));
    }
    return delivery;
  }

  /** Forgets the log and every pending delivery; the initial endpoints come back. */
  reset(): void {
    this.cancelPending();
    this.deliveries.length = 0;
    this.seq = 0;
    this.endpoints.clear();
    for (const [system, endpoint] of this.initial) this.endpoints.set(system, endpoint);
  }

  /** Cancels what is still pending; the log stays readable. */
  close(): void {
    this.cancelPending();
  }

  private cancelPending(): void {
    for (const delivery of this.deliveries) {
      if (delivery.status === 'scheduled' || delivery.status === 'sending') {
        delivery.status = 'cancelled';
        delete delivery.dueAt;
      }
    }
    for (const controller of this.inFlight) controller.abort(new Error('the sandbox closed'));
    this.inFlight.clear();
  }

  private plan(delivery: WebhookDelivery, delayMs: number, run: () => Promise<void>): void {
    delivery.status = 'scheduled';
    delivery.dueAt = new Date(Date.now() + delayMs).toISOString();
    this.state.schedule(delayMs, () => void run());
  }

  private async attempt(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    webhook: OutgoingWebhook,
    body: string,
  ): Promise<void> {
    delivery.status = 'sending';
    delete delivery.dueAt;
    const signed = signWebhook({
      ...webhook.sign,
      secret: webhook.normalizeSecret ? endpoint.secret.normalize(webhook.normalizeSecret) : endpoint.secret,
      id: webhook.id,
      type: webhook.type,
      body,
    });
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)),
      ATTEMPT_TIMEOUT_MS,
    );
    this.inFlight.add(controller);
    const started = Date.now();
    const attempt: WebhookDeliveryAttempt = { at: new Date(started).toISOString(), durationMs: 0 };
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { ...signed.headers, ...webhook.headers, ...endpoint.headers },
        body: signed.body,
        signal: controller.signal,
      });
      // Read the answer so the connection is free for the next delivery.
      await response.arrayBuffer();
      attempt.status = response.status;
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : ((error as Error).cause ?? error);
      attempt.error = (reason as Error)?.message ?? String(reason);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    attempt.durationMs = Date.now() - started;
    delivery.attempts.push(attempt);
    // A reset or close while the POST was on its way has cancelled the delivery.
    if (cancelled(delivery)) return;
    const outcome = { type: webhook.type, url: endpoint.url, attempts: delivery.attempts.length };
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      delivery.status = 'delivered';
      this.state.effect(delivery.system, 'webhook.sent', webhook.id, { ...outcome, status: attempt.status });
      return;
    }
    if (delivery.attempts.length >= endpoint.maxAttempts) {
      delivery.status = 'failed';
      this.state.effect(delivery.system, 'webhook.failed', webhook.id, outcome);
      return;
    }
    const backoff = endpoint.retryDelayMs * 2 ** (delivery.attempts.length - 1);
    this.plan(delivery, backoff, () => this.attempt(delivery, endpoint, webhook, body));
  }
}

/** Read through a function: the delivery changes while an attempt awaits the receiver. */
function cancelled(delivery: WebhookDelivery): boolean {
  return delivery.status === 'cancelled';
}
