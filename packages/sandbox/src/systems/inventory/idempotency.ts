/** An answer kept for an `Idempotency-Key`. */
export interface SavedAnswer {
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key` for stock changes: the first answer to a key is kept
 * (errors included, so a retried refused reservation is refused the same
 * way), the same key with the same request replays it, and the same key
 * with another request is refused. Keys are checked and answered in one
 * synchronous step after the body is read, so two concurrent requests with
 * one key cannot both change stock.
 */
export class IdempotencyKeys {
  private readonly saved = new Map<string, SavedAnswer & { fingerprint: string }>();

  /** The saved answer, `'mismatch'` when the key was used for another request, or undefined. */
  lookup(key: string, fingerprint: string): SavedAnswer | 'mismatch' | undefined {
    const previous = this.saved.get(key);
    if (!previous) return undefined;
    return previous.fingerprint === fingerprint ? previous : 'mismatch';
  }

  save(key: string, fingerprint: string, answer: SavedAnswer): void {
    this.saved.set(key, { fingerprint, ...answer });
  }

  reset(): void {
    this.saved.clear();
  }
}
