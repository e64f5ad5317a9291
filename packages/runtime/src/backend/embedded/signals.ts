import type { CancelSignals } from '../types';

/** Cancel notices within one process: the embedded backend has no other process to tell. */
export class EmbeddedSignals implements CancelSignals {
  private readonly listeners = new Set<(runId: string) => void>();

  async publishCancel(runId: string): Promise<void> {
    for (const listener of this.listeners) listener(runId);
  }

  onCancel(listener: (runId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
