import { constants } from 'node:os';
import { type CliIo, warn } from './io';

/** The signals that stop a long-running command: `kill`, orchestrators and Ctrl+C. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** How a long-running command (serve, worker, sandbox) comes up and goes down. */
export interface Lifecycle<TRunning> {
  /** Starts the service. A signal that arrives meanwhile stops it as soon as it is up. */
  start(): Promise<TRunning>;
  /** Drains and closes what `start` opened. Runs once, after the first signal. */
  stop(running: TRunning, signal: NodeJS.Signals): Promise<void>;
  /**
   * Reloads the service's files on SIGHUP (one at a time; a SIGHUP during
   * `start` reloads once it is up). A failure is reported and the service
   * keeps running. Without it, SIGHUP is left to Node (it ends the process).
   */
  reload?(running: TRunning): Promise<void>;
}

/**
 * Starts a service, keeps it up until SIGTERM or SIGINT, then stops it, and
 * resolves with the command's exit code:
 * - 0 once `stop` finished;
 * - `128 + the signal's number` (143 for SIGTERM, 130 for SIGINT) when a
 *   second signal arrives before `start` and `stop` are done, so an operator
 *   can cut a drain that hangs; the caller exits without waiting for it.
 *
 * An error from `start` or `stop` rejects, and the CLI reports it as any
 * other (exit 1). The signal handlers are removed once it settles, so a
 * third signal gets Node's default (the process dies at once).
 */
export async function runUntilSignal<TRunning>(io: CliIo, lifecycle: Lifecycle<TRunning>): Promise<number> {
  const signals = listenForStopSignals();
  const hangups = lifecycle.reload ? reloadOnHangup(io, lifecycle.reload) : undefined;
  try {
    const forced = signals.nth(2).then((signal) => {
      warn(io, `${signal} again: exiting without waiting for the drain to finish`);
      return 128 + constants.signals[signal];
    });
    const stopped = (async () => {
      const running = await lifecycle.start();
      hangups?.started(running);
      const signal = await signals.nth(1);
      hangups?.dispose();
      await lifecycle.stop(running, signal);
      return 0;
    })();
    // Once forced, a failure of the abandoned drain has nobody left to tell.
    stopped.catch(() => undefined);
    return await Promise.race([stopped, forced]);
  } finally {
    signals.dispose();
    hangups?.dispose();
  }
}

/**
 * Calls `reload` on each SIGHUP once the service is up, never two at once
 * (SIGHUPs that arrive during a reload make one more). Listening replaces
 * Node's default for SIGHUP, ending the process, until `dispose`.
 */
function reloadOnHangup<TRunning>(io: CliIo, reload: (running: TRunning) => Promise<void>) {
  let running: { service: TRunning } | undefined;
  let asked = false;
  let busy = false;
  const drain = async () => {
    if (busy || !running) return;
    busy = true;
    while (asked && running) {
      asked = false;
      try {
        await reload(running.service);
      } catch (error) {
        warn(io, `SIGHUP: the reload failed: ${(error as Error).message}`);
      }
    }
    busy = false;
  };
  const onHangup = () => {
    asked = true;
    void drain();
  };
  process.on('SIGHUP', onHangup);
  return {
    started(service: TRunning) {
      running = { service };
      void drain();
    },
    dispose() {
      running = undefined;
      process.off('SIGHUP', onHangup);
    },
  };
}

/**
 * Records every SIGTERM and SIGINT from now on. Listening replaces Node's
 * default of dying at once, until `dispose`.
 */
function listenForStopSignals() {
  const received: NodeJS.Signals[] = [];
  const waiting = new Set<() => void>();
  const onSignal = (signal: NodeJS.Signals) => {
    received.push(signal);
    for (const check of waiting) check();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    /** Resolves with the `n`th signal received (counting from 1). */
    nth(n: number): Promise<NodeJS.Signals> {
      return new Promise((resolve) => {
        const check = () => {
          const signal = received[n - 1];
          if (signal === undefined) return;
          waiting.delete(check);
          resolve(signal);
        };
        waiting.add(check);
        check();
      });
    },
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      waiting.clear();
    },
  };
}
