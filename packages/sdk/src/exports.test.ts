import { describe, expect, it } from 'vitest';
import * as host from './host/index';
import * as root from './index';
import * as testing from './testing/index';

// Each entry point's names are a reviewed list: adding, moving or dropping a
// name must change this file too, so it is a decision and not an accident.
// Only values are listed: type-only exports (`Connector`, `ActionContext`,
// `SerializedError` …) vanish when TypeScript is compiled away, so there is
// nothing to enumerate at run time; typecheck of every importer guards them.

function valueNames(module: object): string[] {
  return Object.keys(module).sort();
}

/** Host-side names the root keeps, deprecated, for one minor release while programs move their imports to `@baton/sdk/host`. */
const DEPRECATED_AT_ROOT = [
  'CallAbort',
  'createConnectorInstance',
  'errorDescriptions',
  'redactValue',
  'serializeError',
  'toBatonError',
];

describe('the entry points of @baton/sdk', () => {
  it('@baton/sdk exports what a connector author uses', () => {
    expect(valueNames(root)).toEqual(
      [
        'BatonError',
        'CredentialsInvalidError',
        'ERROR_CATALOG',
        'EgressBlockedError',
        'HttpError',
        'NonRetryableError',
        'RateLimitedError',
        'RetryableError',
        'SDK_ERROR_CODES',
        'TimeoutError',
        'ValidationError',
        'defineAction',
        'defineConnector',
        'hasCode',
        'isBatonError',
        'isRetryableStatus',
        'noConfig',
        'oauth2ClientCredentials',
        'oauth2RefreshToken',
        'parseRateLimitHeaders',
        'parseRetryAfter',
        ...DEPRECATED_AT_ROOT,
      ].sort(),
    );
  });

  it('@baton/sdk/host exports what a program that hosts connectors uses', () => {
    expect(valueNames(host)).toEqual([
      'CallAbort',
      'HTTP_ERROR_STATUS',
      'REDACTED',
      'SECRET_KEY_PATTERN',
      'batonTracer',
      'carrierOf',
      'changeLocation',
      'compareSchemas',
      'connectorManifest',
      'contextOf',
      'createConnectorInstance',
      'createEgressGuard',
      'createHttpClient',
      'deserializeError',
      'diffManifests',
      'errorAnchor',
      'errorDescriptions',
      'errorDocsPath',
      'errorEntry',
      'formatChange',
      'isCatalogCode',
      'isConnector',
      'isTracing',
      'memoryCredentialStore',
      'redactText',
      'redactUrl',
      'redactValue',
      'refreshTracing',
      'resolveRef',
      'scrubbedLogger',
      'secretsOfConfig',
      'serializeError',
      'silentLogger',
      'spanContextOf',
      'throttleOf',
      'throttleOfAnswer',
      'toBatonError',
      'toJsonSchema',
      'traceLogFields',
      'validationErrorFromZod',
    ]);
  });

  it('@baton/sdk/testing exports the harness', () => {
    expect(valueNames(testing)).toEqual([
      'CANARY_SECRET',
      'checkCompatibility',
      'checkConformance',
      'createCapturingLogger',
      'createTestServer',
      'runAction',
      'runCheck',
    ]);
  });

  it('no name is exported by both the root and /host but the deprecated ones, and those are the same values', () => {
    const hostValues = new Map<string, unknown>(Object.entries(host));
    const shared = Object.entries(root).filter(([name]) => hostValues.has(name));
    expect(shared.map(([name]) => name).sort()).toEqual(DEPRECATED_AT_ROOT);
    for (const [name, value] of shared) expect(value, name).toBe(hostValues.get(name));
  });
});
