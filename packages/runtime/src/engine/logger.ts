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

/** Adapts the engine's logger to the SDK's `Logger` an action receives. */
export function actionLogger(log: EngineLogger): Logger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}
