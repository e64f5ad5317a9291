/** A listener told once, with the reason, when a call is aborted. */
export type AbortListener = (reason: unknown) => void;

/**
 * The cancellation of one action call (its timeout, the run's cancel), for
 * a caller that invokes actions in bulk, such as the engine. The call's
 * `AbortSignal` is only made when the action asks for it: most actions
 * never read `signal`, and an `AbortController` with its listeners was the
 * largest part of invoking an action that does little.
 *
 * @example
 * ```ts
 * const abort = new CallAbort();
 * const timer = setTimeout(() => abort.abort(new TimeoutError('too slow')), 5000);
 * try {
 *   await instance.invoke('create-ticket', { input, idempotencyKey, abort });
 * } finally {
 *   clearTimeout(timer);
 * }
 * ```
 */
export class CallAbort {
  private controller: AbortController | undefined;
  /** The signal of a CallAbort made by following(): handed out as it is. */
  private external: AbortSignal | undefined;
  private detach: (() => void) | undefined;
  private listeners: AbortListener[] | undefined;
  private isAborted = false;
  private abortReason: unknown;

  /**
   * A CallAbort that aborts when `signal` does and hands out that signal;
   * `release()` stops following it once the call is over.
   */
  static following(signal: AbortSignal): CallAbort {
    const abort = new CallAbort();
    abort.external = signal;
    if (signal.aborted) {
      abort.abort(signal.reason);
    } else {
      const follow = () => abort.abort(signal.reason);
      signal.addEventListener('abort', follow, { once: true });
      abort.detach = () => signal.removeEventListener('abort', follow);
    }
    return abort;
  }

  /** Stops following the signal given to following(); nothing for other CallAborts. */
  release(): void {
    this.detach?.();
    this.detach = undefined;
  }

  get aborted(): boolean {
    return this.isAborted;
  }

  get reason(): unknown {
    return this.abortReason;
  }

  /** The call's signal, made on first use (already aborted if the call was). */
  get signal(): AbortSignal {
    if (this.external) return this.external;
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.isAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts the call once; later calls do nothing. */
  abort(reason?: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.controller?.abort(this.abortReason);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener(this.abortReason);
  }

  /** Calls `listener` once when the call is aborted (at once if it was); returns its removal. */
  onAbort(listener: AbortListener): () => void {
    if (this.isAborted) {
      listener(this.abortReason);
      return () => {};
    }
    // A list of one made as such: an empty one pushed to takes room for 16 (a call's race adds one).
    if (this.listeners) this.listeners.push(listener);
    else this.listeners = [listener];
    return () => {
      const index = this.listeners?.indexOf(listener) ?? -1;
      if (index >= 0) this.listeners!.splice(index, 1);
    };
  }
}
