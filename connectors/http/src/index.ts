/**
 * `@baton/connector-http`: calls any HTTP or REST endpoint from a flow,
 * with configured auth, expected statuses and the step's idempotency key.
 *
 * @example
 * ```json
 * { "id": "order-laptop", "action": "internal.request",
 *   "input": { "method": "POST", "path": "/hardware/orders", "json": { "employeeId": "{{ event.data.id }}" } } }
 * ```
 *
 * @module
 */
import { defineConnector } from '@baton/sdk';
import pkg from '../package.json' with { type: 'json' };
import { request } from './actions/request';
import { checkCredentials } from './check';
import { config, secretHeaderValues } from './config';

export type { RequestInput, RequestOutput } from './actions/request';
export type { HttpConnectorConfig } from './config';
export type { StatusPattern } from './status';

/** The HTTP connector. Use it in `baton.config.json` as `"use": "@baton/connector-http"`. */
export default defineConnector({
  name: 'http',
  version: pkg.version,
  description: 'Any HTTP or REST endpoint: one request action.',
  config,
  http: (cfg) => {
    const headers = {
      ...cfg.headers,
      ...(cfg.bearerToken ? { authorization: `Bearer ${cfg.bearerToken}` } : {}),
    };
    return {
      ...(cfg.baseUrl ? { baseURL: cfg.baseUrl } : {}),
      // An empty header set would still count as credentials for the redirect guard.
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(cfg.basicAuth ? { auth: cfg.basicAuth } : {}),
    };
  },
  secrets: (cfg) => secretHeaderValues(cfg),
  // No default `limits`: the connector calls whatever API the config points
  // at, whose limits it cannot know; give them in the instance's config.
  check: checkCredentials,
  actions: {
    request,
  },
});
