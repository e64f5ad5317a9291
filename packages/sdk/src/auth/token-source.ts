import { CredentialsInvalidError, RetryableError } from '../errors/kinds';
import type { BearerContext, BearerTokenSource } from '../http/bearer-auth';
import type { EgressPolicy } from '../http/egress-guard';
import { authFingerprint } from './fingerprint';
import { requestToken, TOKEN_REQUEST_TIMEOUT_MS } from './token-request';
import type { CredentialStatus, CredentialStore, OAuth2Auth, StoredCredentials } from './types';

/** How long a record read from the store is trusted before it is read again. */
const STORE_READ_TTL_MS = 1000;
/** The refresh lock outlives one token request, so only a dead holder loses it. */
const LOCK_TTL_MS = TOKEN_REQUEST_TIMEOUT_MS + 5000;
/** How long a caller without a token waits for another process's refresh. */
const PEER_WAIT_MS = 10_000;
const PEER_POLL_MS = 100;
/**
 * After a refresh ahead of expiry failed for a reason that may pass, this
 * process waits this long before trying again: its calls still succeed
 * with the old token, so nothing else would slow the attempts down.
 */
const AHEAD_RETRY_MS = 5000;

export interface TokenSourceOptions {
  /** The instance's name: the key in the store. */
  instance: string;
  auth: OAuth2Auth;
  store: CredentialStore;
  egress?: EgressPolicy | undefined;
  /** The instance's secrets, read at each use (they grow as tokens arrive). */
  secrets: Iterable<string>;
  /** Told every token received, so it is redacted wherever the instance prints. */
  onSecret(secret: string): void;
}

/** An instance's OAuth2 access tokens: fetched, shared through the store, refreshed. */
export interface TokenSource extends BearerTokenSource {
  status(): Promise<CredentialStatus>;
}

/**
 * The token source of one instance, shared by every call of it. The store
 * is the truth shared by every process; this process keeps the record it
 * read for a second, so a busy instance does not read the store per request.
 *
 * - A token with more than `refreshAheadMs` left is used as it is.
 * - In the refresh-ahead window, the caller that takes the store's lock
 *   refreshes; every other caller, here or in another process, keeps using
 *   the still-valid token.
 * - Without a valid token, the lock holder fetches one and the others poll
 *   the store for it (up to 10 s); a lock whose holder died expires.
 * - A refusal marks the record invalid: every call then fails at once with
 *   `CREDENTIALS_INVALID`, without asking the token endpoint again, until
 *   the config changes (a new fingerprint).
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { auth, store, instance } = options;
  const fingerprint = authFingerprint(auth);
  let cached: { record: StoredCredentials | undefined; readAt: number } | undefined;
  /** This process's refresh in flight: one at a time, whoever asked. */
  let refreshing: Promise<string> | undefined;
  let aheadFailedAt = Number.NEGATIVE_INFINITY;

  const read = async (fresh = false): Promise<StoredCredentials | undefined> => {
    const now = Date.now();
    if (!fresh && cached && now - cached.readAt < STORE_READ_TTL_MS) return cached.record;
    const stored = await store.get(instance);
    const record = stored?.fingerprint === fingerprint ? stored : undefined;
    if (record?.accessToken) options.onSecret(record.accessToken);
    if (record?.refreshToken) options.onSecret(record.refreshToken);
    cached = { record, readAt: now };
    return record;
  };

  const remember = (record: StoredCredentials) => {
    cached = { record, readAt: Date.now() };
  };

  /** Exchanges the grant for a new token and stores it; a refusal marks the record invalid. */
  const refresh = async (current: StoredCredentials | undefined, context: BearerContext): Promise<string> => {
    let answer: Awaited<ReturnType<typeof requestToken>>;
    try {
      answer = await requestToken({
        instance,
        auth,
        refreshToken: current?.refreshToken ?? auth.refreshToken,
        egress: options.egress,
        secrets: options.secrets,
      });
    } catch (error) {
      if (error instanceof CredentialsInvalidError) {
        const reason = String(error.details?.reason ?? 'refused');
        const invalid: StoredCredentials = { fingerprint, invalid: { reason, at: Date.now() } };
        await store.set(instance, invalid);
        remember(invalid);
        context.log.warn('oauth2 credentials refused: the instance needs reconnecting', { instance, reason });
      }
      throw error;
    }
    options.onSecret(answer.accessToken);
    if (answer.refreshToken) options.onSecret(answer.refreshToken);
    const now = Date.now();
    const record: StoredCredentials = { fingerprint, accessToken: answer.accessToken, refreshedAt: now };
    if (answer.expiresInMs !== undefined) record.expiresAt = now + answer.expiresInMs;
    // Providers that do not rotate keep the refresh token they issued: keep ours too.
    const refreshToken = answer.refreshToken ?? current?.refreshToken;
    if (refreshToken) record.refreshToken = refreshToken;
    await store.set(instance, record);
    remember(record);
    context.log.debug('oauth2 token refreshed', {
      instance,
      ...(record.expiresAt !== undefined ? { expiresAt: new Date(record.expiresAt).toISOString() } : {}),
    });
    return answer.accessToken;
  };

  /**
   * Gets a token that is not `rejected` (nor expired), refreshing under the
   * store's lock or waiting for whoever holds it.
   */
  const obtain = async (context: BearerContext, rejected?: string): Promise<string> => {
    const deadline = Date.now() + PEER_WAIT_MS;
    for (;;) {
      if (await store.lock(instance, LOCK_TTL_MS)) {
        try {
          // Someone may have refreshed between our read and the lock.
          const current = await read(true);
          const record = usable(current, rejected);
          if (record && !dueForRefresh(record)) return record.accessToken;
          return await refresh(current, context);
        } finally {
          await store.unlock(instance);
        }
      }
      await sleep(PEER_POLL_MS);
      const record = usable(await read(true), rejected);
      if (record) return record.accessToken;
      if (Date.now() >= deadline) {
        throw new RetryableError(
          `Timed out waiting for another process to refresh the OAuth2 token of connector instance "${instance}"`,
          { code: 'CREDENTIALS_REFRESH_FAILED', details: { instance } },
        );
      }
    }
  };

  /** A record whose token may be sent: not invalid (that throws), not expired, not rejected. */
  const usable = (record: StoredCredentials | undefined, rejected?: string) => {
    if (record?.invalid) throw invalidError(instance, record.invalid);
    if (!record?.accessToken || record.accessToken === rejected) return undefined;
    if (record.expiresAt !== undefined && Date.now() >= record.expiresAt) return undefined;
    return record as StoredCredentials & { accessToken: string };
  };

  const dueForRefresh = (record: StoredCredentials) =>
    record.expiresAt !== undefined && Date.now() >= record.expiresAt - refreshAheadOf(auth, record);

  /** Runs `work` as this process's one refresh; concurrent callers share it. */
  const once = (work: () => Promise<string>): Promise<string> => {
    refreshing ??= work().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  /** In the refresh-ahead window: whoever takes the lock refreshes; the others keep the valid token. */
  const refreshAhead = (record: StoredCredentials & { accessToken: string }, context: BearerContext) =>
    once(async () => {
      if (!(await store.lock(instance, LOCK_TTL_MS))) return record.accessToken;
      try {
        const current = await read(true);
        const still = usable(current);
        if (still && !dueForRefresh(still)) return still.accessToken;
        return await refresh(current ?? record, context);
      } catch (error) {
        if (error instanceof CredentialsInvalidError) throw error;
        // A refresh that may pass later does not fail a call whose token still works.
        aheadFailedAt = Date.now();
        context.log.warn('oauth2 refresh ahead of expiry failed; the current token is used meanwhile', {
          instance,
          code: (error as { code?: unknown }).code,
        });
        return record.accessToken;
      } finally {
        await store.unlock(instance);
      }
    });

  return {
    async token(context) {
      const record = usable(await read());
      if (!record) return once(() => obtain(context));
      // Callers that find a refresh under way send the token that is still valid.
      if (!dueForRefresh(record) || refreshing) return record.accessToken;
      if (Date.now() - aheadFailedAt < AHEAD_RETRY_MS) return record.accessToken;
      return refreshAhead(record, context);
    },
    async renew(rejected, context) {
      // A refresh under way here may bring the new token.
      const pending = await refreshing?.catch(() => undefined);
      if (pending !== undefined && pending !== rejected) return pending;
      // Refresh only if the store still holds the refused token: another process may have already.
      const record = usable(await read(true), rejected);
      if (record) return record.accessToken;
      return once(() => obtain(context, rejected));
    },
    async status() {
      const record = await read(true);
      if (record?.invalid) {
        return {
          state: 'needs-reconnect',
          reason: record.invalid.reason,
          invalidAt: new Date(record.invalid.at).toISOString(),
        };
      }
      if (!record?.accessToken) return { state: 'unknown' };
      const status: CredentialStatus = { state: 'valid' };
      if (record.expiresAt !== undefined) status.expiresAt = new Date(record.expiresAt).toISOString();
      if (record.refreshedAt !== undefined) status.refreshedAt = new Date(record.refreshedAt).toISOString();
      return status;
    },
  };
}

/**
 * How long before expiry to refresh: the grant's `refreshAheadMs`, else a
 * minute, or a tenth of the token's lifetime when that is shorter than ten
 * minutes (a 5-minute token is refreshed 30 s ahead, not after 4).
 */
export function refreshAheadOf(auth: OAuth2Auth, record: StoredCredentials): number {
  if (auth.refreshAheadMs !== undefined) return Math.max(0, auth.refreshAheadMs);
  const lifetime =
    record.expiresAt !== undefined && record.refreshedAt !== undefined
      ? record.expiresAt - record.refreshedAt
      : undefined;
  return lifetime !== undefined && lifetime < 600_000 ? Math.max(0, lifetime / 10) : 60_000;
}

function invalidError(instance: string, invalid: { reason: string; at: number }): CredentialsInvalidError {
  return new CredentialsInvalidError(
    `Connector instance "${instance}" needs reconnecting: its token endpoint refused its credentials ` +
      `(${invalid.reason}) at ${new Date(invalid.at).toISOString()}. Put new credentials in its config.`,
    { details: { instance, reason: invalid.reason } },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
