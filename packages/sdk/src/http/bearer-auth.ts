import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import type { BatonError } from '../errors/baton-error';
import { CredentialsInvalidError } from '../errors/kinds';
import type { Logger } from '../logger';

/**
 * Where a client gets the bearer token it sends: the instance's OAuth2
 * token source, which fetches, shares and refreshes it.
 */
export interface BearerTokenSource {
  /** A token to send now. */
  token(context: BearerContext): Promise<string>;
  /** A token to use instead of `rejected`, which the API just answered 401 to. */
  renew(rejected: string, context: BearerContext): Promise<string>;
}

/** Who asks: the logger of the call that needs the token. */
export interface BearerContext {
  log: Logger;
}

interface BearerConfig extends InternalAxiosRequestConfig {
  /** The token this request was sent with. */
  batonBearer?: string;
  /** True once the request was sent again after a 401. */
  batonBearerRetried?: boolean;
}

interface InstallOptions {
  context: BearerContext;
  /** The request as it may be printed: method and redacted URL. */
  describe(config: InternalAxiosRequestConfig): string;
  /** The client's own classification of a failure, for the cause. */
  convert(error: unknown): BatonError;
}

/**
 * Sends `Authorization: Bearer <token>` on every request of `client`, and
 * answers a 401 by renewing the token once and sending the request once
 * more. Install before the interceptor that classifies failures: this one
 * needs the raw axios error (with its request config) to send it again.
 */
export function installBearer(
  client: AxiosInstance,
  source: BearerTokenSource,
  options: InstallOptions,
): void {
  client.interceptors.request.use(async (config: BearerConfig) => {
    // A request sent again after a 401 already carries its renewed token.
    if (!config.batonBearerRetried) {
      const token = await source.token(options.context);
      config.batonBearer = token;
      config.headers.set('Authorization', `Bearer ${token}`);
    }
    return config;
  });

  client.interceptors.response.use(undefined, async (error: unknown) => {
    if (!axios.isAxiosError(error) || error.response?.status !== 401) throw error;
    const config = error.config as BearerConfig | undefined;
    if (!config?.batonBearer) throw error;
    if (config.batonBearerRetried) {
      // The token was renewed for this very request: a refresh cannot help. Not marked
      // "needs reconnect": the grant still works (it just issued a token), and one
      // endpoint refusing it (a missing scope) must not stop the instance's other calls.
      throw new CredentialsInvalidError(
        `${options.describe(config)} was refused with 401 again after its token was renewed: ` +
          `the API does not accept the instance's credentials (check the grant's scopes and the account's access)`,
        { cause: options.convert(error), details: { status: 401 } },
      );
    }
    const renewed = await source.renew(config.batonBearer, options.context);
    config.batonBearer = renewed;
    config.batonBearerRetried = true;
    config.headers.set('Authorization', `Bearer ${renewed}`);
    return client.request(config);
  });
}
