import type { EngineEvent, EngineListener } from '../model/events';

/** A tiny synchronous event hub; a throwing listener never breaks the engine. */
export class EngineEvents {
  private readonly listeners = new Set<EngineListener>();

  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // Listeners are observers; their failures are theirs.
      }
    }
  }
}
