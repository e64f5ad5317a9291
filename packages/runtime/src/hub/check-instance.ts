import { BatonError, isBatonError } from '@baton/sdk';
import type { ConnectorInstance } from '@baton/sdk/host';

/** What a credentials check of one connector instance found. */
export interface CheckResult {
  /**
   * `ok`: the check passed; `needs-reconnect`: the provider refused the
   * credentials (CREDENTIALS_INVALID); `failing`: the check failed otherwise
   * (the provider is down, the check timed out); `unchecked`: the instance
   * has nothing to check (no `check` in its connector, no OAuth2).
   */
  status: 'ok' | 'needs-reconnect' | 'failing' | 'unchecked';
  /** When the check ended (epoch ms); undefined when nothing was checked. */
  checkedAt?: number;
  durationMs?: number;
  error?: { code: string; message: string };
}

/**
 * Runs an instance's credentials check (its connector's `check`, or for an
 * OAuth2 instance without one, getting a token) under a timeout. Never
 * throws: a failure is a result, with the classified error's code and its
 * message (which the SDK keeps free of secrets). A check that ignores its
 * abort signal still ends at the timeout, with TIMEOUT.
 */
export async function checkInstance(
  instance: ConnectorInstance,
  options: { timeoutMs: number; now?: () => number },
): Promise<CheckResult> {
  if (!instance.checkable && !instance.auth) return { status: 'unchecked' };
  const now = options.now ?? Date.now;
  const started = now();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BatonError(
        `the check of "${instance.name}" took longer than ${options.timeoutMs} ms`,
        { code: 'TIMEOUT' },
      );
      abort.abort(error);
      reject(error);
    }, options.timeoutMs);
  });
  try {
    await Promise.race([instance.check({ signal: abort.signal }), timedOut]);
    return { status: 'ok', checkedAt: now(), durationMs: now() - started };
  } catch (error) {
    const code = isBatonError(error) ? error.code : 'UNEXPECTED_ERROR';
    return {
      status: code === 'CREDENTIALS_INVALID' ? 'needs-reconnect' : 'failing',
      checkedAt: now(),
      durationMs: now() - started,
      error: { code, message: error instanceof Error ? error.message : String(error) },
    };
  } finally {
    clearTimeout(timer);
  }
}
