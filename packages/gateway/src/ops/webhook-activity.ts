/** One webhook outcome as it happened, for live listeners. */
export interface WebhookOutcome {
  source: string;
  /** `accepted`, `duplicate`, or an error code in lower case (`signature_invalid` …). */
  outcome: string;
  /** Epoch ms. */
  at: number;
}

/** Outcome counts of one source in one minute. */
export interface ActivityMinute {
  /** The minute's start, ISO 8601. */
  at: string;
  outcomes: Record<string, number>;
}

/** One source's webhooks over the window, oldest minute first. */
export interface SourceActivity {
  source: string;
  total: number;
  /** Counts by outcome over the whole window. */
  outcomes: Record<string, number>;
  /** Every minute of the window, empty ones included, so charts need no gap filling. */
  minutes: ActivityMinute[];
}

/** What `WebhookActivity.snapshot` answers. */
export interface ActivitySnapshot {
  /** Start of the oldest minute, ISO 8601. */
  from: string;
  /** Now, ISO 8601. */
  to: string;
  windowMinutes: number;
  sources: SourceActivity[];
}

/** Webhook outcomes of the last minutes in this process, by source and minute. */
export interface WebhookActivity {
  record(source: string, outcome: string): void;
  snapshot(): ActivitySnapshot;
  /** Calls `listener` for every outcome recorded from now on; returns an unsubscribe. */
  on(listener: (outcome: WebhookOutcome) => void): () => void;
}

/** Options of `createWebhookActivity`. */
export interface WebhookActivityOptions {
  /** Minutes kept. @default 60 */
  windowMinutes?: number;
  /** @default Date.now */
  now?: () => number;
}

const MINUTE_MS = 60_000;

interface Slot {
  /** The minute this slot holds (epoch ms / 60 000), or -1 when unused. */
  minute: number;
  counts: Map<string, Map<string, number>>;
}

/**
 * A ring of per-minute buckets: memory stays bounded by the window and the
 * number of sources and outcomes (both small, fixed sets), however many
 * webhooks arrive. Counts are this process's only: with several gateways
 * behind a load balancer each shows its own share (Prometheus has the sum).
 */
export function createWebhookActivity(options: WebhookActivityOptions = {}): WebhookActivity {
  const windowMinutes = options.windowMinutes ?? 60;
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1)
    throw new RangeError(`windowMinutes must be a positive integer, got ${windowMinutes}`);
  const now = options.now ?? Date.now;
  const slots: Slot[] = Array.from({ length: windowMinutes }, () => ({ minute: -1, counts: new Map() }));
  const listeners = new Set<(outcome: WebhookOutcome) => void>();

  const slotFor = (minute: number): Slot => {
    const slot = slots[minute % windowMinutes]!;
    if (slot.minute !== minute) {
      slot.minute = minute;
      slot.counts = new Map();
    }
    return slot;
  };

  return {
    record(source, outcome) {
      const at = now();
      const bySource = slotFor(Math.floor(at / MINUTE_MS)).counts;
      const outcomes = bySource.get(source) ?? new Map<string, number>();
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      bySource.set(source, outcomes);
      for (const listener of listeners) {
        try {
          listener({ source, outcome, at });
        } catch {
          // A listener (a live stream) failing must not fail the webhook.
        }
      }
    },

    snapshot() {
      const at = now();
      const current = Math.floor(at / MINUTE_MS);
      const first = current - windowMinutes + 1;
      const live = slots.filter((s) => s.minute >= first && s.minute <= current);
      const names = new Set(live.flatMap((s) => [...s.counts.keys()]));
      const sources = [...names].sort().map((source): SourceActivity => {
        const outcomes: Record<string, number> = {};
        const minutes: ActivityMinute[] = [];
        for (let minute = first; minute <= current; minute++) {
          const slot = slots[minute % windowMinutes]!;
          const counts = slot.minute === minute ? slot.counts.get(source) : undefined;
          const entry: Record<string, number> = {};
          for (const [outcome, n] of counts ?? []) {
            entry[outcome] = n;
            outcomes[outcome] = (outcomes[outcome] ?? 0) + n;
          }
          minutes.push({ at: new Date(minute * MINUTE_MS).toISOString(), outcomes: entry });
        }
        const total = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
        return { source, total, outcomes, minutes };
      });
      return {
        from: new Date(first * MINUTE_MS).toISOString(),
        to: new Date(at).toISOString(),
        windowMinutes,
        sources,
      };
    },

    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
