/**
 * Each body's first bytes that the budget does not count: a usual webhook
 * is a few kilobytes and never touches the budget, so large bodies cannot
 * starve it, and the hot path does no accounting. What they can hold is
 * still bounded, by the connection cap times this.
 */
export const UNCOUNTED_BODY_BYTES = 64 * 1024;

/**
 * The bytes of webhook bodies being read at once, across every request,
 * with a ceiling: the body limit bounds one request, this bounds them all
 * (a thousand clients each sending a 1 MiB body would otherwise hold a
 * gigabyte before a single signature is checked).
 */
export class BodyBudget {
  private used = 0;

  /**
   * @param limit bytes that may be held at once, past each body's uncounted first bytes
   * @param uncounted each body's first bytes that are not counted @default UNCOUNTED_BODY_BYTES
   */
  constructor(
    readonly limit: number,
    readonly uncounted: number = UNCOUNTED_BODY_BYTES,
  ) {}

  /** Bytes counted right now. */
  get inUse(): number {
    return this.used;
  }

  /**
   * Counts a body that has grown to `total` bytes, of which `counted` are
   * counted already. Returns the body's new count, or -1 (counting
   * nothing more) when the budget cannot hold it.
   */
  grow(counted: number, total: number): number {
    const wanted = total - this.uncounted;
    if (wanted <= counted) return counted;
    if (this.used + wanted - counted > this.limit) return -1;
    this.used += wanted - counted;
    return wanted;
  }

  /** Gives back what a body counted, once it is read or dropped. */
  release(counted: number): void {
    this.used -= counted;
  }
}
