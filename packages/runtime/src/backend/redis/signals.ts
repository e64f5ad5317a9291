import type { EngineLogger } from '../../log/logger';
import type { CancelSignals } from '../types';
import type { RedisClient } from './client';
import { guard } from './errors';

/**
 * Cancel notices over Redis pub/sub. The subscriber connection opens with
 * the first listener. Pub/sub is fire-and-forget: a process that is
 * reconnecting misses a notice, and then stops the run at its next step
 * (the run record says cancelled), only its call in flight runs on.
 */
export class RedisSignals implements CancelSignals {
  private readonly listeners = new Set<(runId: string) => void>();
  private subscriber: RedisClient | undefined;

  constructor(
    private readonly publisher: RedisClient,
    private readonly makeSubscriber: () => RedisClient,
    private readonly channel: string,
    private readonly log: EngineLogger,
  ) {}

  async publishCancel(runId: string): Promise<void> {
    await guard(() => this.publisher.publish(this.channel, runId));
  }

  onCancel(listener: (runId: string) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const subscriber = this.makeSubscriber();
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, runId: string) => {
        for (const each of this.listeners) each(runId);
      });
      subscriber.subscribe(this.channel).catch((err: unknown) => {
        this.log.warn({ err: (err as Error).message }, 'could not subscribe to cancel notices');
      });
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
