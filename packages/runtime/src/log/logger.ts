import type { Logger } from '@baton/sdk';
import pino from 'pino';

/** The structured logger the engine writes to: pino, or anything shaped like it. */
export interface EngineLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: Record<string, unknown>): EngineLogger;
}

/** A pino logger that writes nothing, for tests and embedding. */
export function silentEngineLogger(): EngineLogger {
  return pino({ level: 'silent' });
}

/**
 * Adapts the engine's logger to the SDK's `Logger` an action receives, with
 * the call's bindings (run, step, action). The child logger is made on the
 * first line the action logs: most actions log nothing, and making one per
 * call was a measurable part of a step's cost.
 */
export function actionLogger(log: EngineLogger, bindings: Record<string, unknown>): Logger {
  return new LazyActionLogger(log, bindings);
}

class LazyActionLogger implements Logger {
  private child: EngineLogger | undefined;

  constructor(
    private readonly parent: EngineLogger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.logger().debug(fields ?? {}, message);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.logger().info(fields ?? {}, message);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.logger().warn(fields ?? {}, message);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.logger().error(fields ?? {}, message);
  }

  private logger(): EngineLogger {
    this.child ??= this.parent.child(this.bindings);
    return this.child;
  }
}
