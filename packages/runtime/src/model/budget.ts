/** A connector instance's provider budget, as `limits` in the config resolve. */
export interface BudgetPolicy {
  /** At most `requests` calls whose answer came back less than `perMs` ago, or are still in flight. */
  rate?: { requests: number; perMs: number };
  /** At most this many calls in flight. */
  concurrency?: number;
}
