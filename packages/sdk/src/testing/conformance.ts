import type { z } from 'zod';
import { isBatonError } from '../errors/baton-error';
import { serializeError } from '../errors/serialize';
import { createConnectorInstance } from '../instance';
import { toJsonSchema } from '../manifest';
import type { Connector } from '../types';
import { runAction, runCheck } from './run-action';
import { createTestServer, type RecordedRequest, type TestHandler, type TestResponse } from './test-server';

/** A value no real config contains, so finding it anywhere means a leak. */
export const CANARY_SECRET = 'canary-secret-7f3a9c21d4e8b6f0';

/** The access token the test server's token endpoint issues to an OAuth2 connector: a secret too. */
const CANARY_ACCESS_TOKEN = 'canary-access-token-5b1e8d0c2a74f963';

export interface ConformanceOptions {
  /**
   * Builds a valid instance config that points the connector at `baseUrl`
   * and puts `secret` in every secret field (API key, token, password …).
   * For a connector with OAuth2 `auth`, point its token URL at `baseUrl`
   * too (`${baseUrl}/oauth/token`): the test server then answers token
   * requests with a token, and the checks see the requests that follow.
   */
  config: (baseUrl: string, secret: string) => unknown;
  /** Input per action for the error checks. @default the action's first example */
  inputs?: Record<string, unknown>;
  /** Actions that make no HTTP call to the configured server; error checks skip them. */
  skipHttpChecks?: readonly string[];
}

export interface ConformanceReport {
  /** Checks that held, one line each. */
  passed: string[];
  /** Checks that failed, one line each saying what and where. Empty when conformant. */
  problems: string[];
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The checks every connector passes: names are kebab-case, schemas convert
 * to JSON Schema, every action has examples that parse, HTTP failures are
 * classified (5xx and 429 retryable with `Retry-After`, 4xx not), a
 * canary secret in the config never shows up in errors or logs, an OAuth2
 * connector sends its access token as a bearer (and never leaks it), and a
 * `check` fails without retry when the credentials are refused.
 *
 * @example
 * ```ts
 * it('conforms', async () => {
 *   const report = await checkConformance(connector, { config: (baseUrl, apiKey) => ({ baseUrl, apiKey }) });
 *   expect(report.problems).toEqual([]);
 * });
 * ```
 */
export async function checkConformance(
  connector: Connector,
  options: ConformanceOptions,
): Promise<ConformanceReport> {
  const passed: string[] = [];
  const problems: string[] = [];
  const check = (ok: boolean, label: string) => (ok ? passed : problems).push(label);

  check(KEBAB.test(connector.name), `connector name "${connector.name}" is kebab-case`);
  check(convertible(connector.config, 'input'), `config schema converts to JSON Schema`);
  check(
    connector.config.safeParse(options.config('http://127.0.0.1:1', CANARY_SECRET)).success,
    'test config parses',
  );

  for (const [name, action] of Object.entries(connector.actions)) {
    check(KEBAB.test(name), `action name "${name}" is kebab-case`);
    check(convertible(action.input, 'input'), `${name}: input schema converts to JSON Schema`);
    check(convertible(action.output, 'output'), `${name}: output schema converts to JSON Schema`);
    const examples = action.examples ?? [];
    check(examples.length > 0, `${name}: has at least one example`);
    examples.forEach((example, index) => {
      check(action.input.safeParse(example.input).success, `${name}: example ${index} input parses`);
      if (example.output !== undefined) {
        check(action.output.safeParse(example.output).success, `${name}: example ${index} output parses`);
      }
    });
  }

  for (const [name, action] of Object.entries(connector.actions)) {
    if (options.skipHttpChecks?.includes(name)) continue;
    const input = options.inputs?.[name] ?? action.examples?.[0]?.input;
    if (input === undefined) continue;
    await checkErrors(connector, name, input, options, check);
  }
  if (connector.check) await checkCheck(connector, options, check);
  return { passed, problems };
}

type Check = (ok: boolean, label: string) => void;

async function checkErrors(
  connector: Connector,
  action: string,
  input: unknown,
  options: ConformanceOptions,
  check: Check,
): Promise<void> {
  const cases: Array<{ label: string; answer: TestResponse; expect: (e: unknown) => boolean }> = [
    {
      label: '503 is retryable',
      answer: { status: 503, json: { error: 'unavailable' } },
      expect: (e) => isBatonError(e) && e.retryable,
    },
    {
      label: '429 is retryable and honours Retry-After',
      answer: { status: 429, headers: { 'retry-after': '3' }, json: { error: 'slow down' } },
      expect: (e) => isBatonError(e) && e.retryable && e.retryAfterMs === 3000,
    },
    {
      label: '400 is not retryable',
      answer: { status: 400, json: { error: { message: 'bad request', type: 'invalid_request_error' } } },
      expect: (e) => isBatonError(e) && !e.retryable,
    },
  ];
  for (const testCase of cases) {
    await using server = await createTestServer(withTokens(connector, options, () => testCase.answer));
    const error = await runAction(connector, action, {
      config: options.config(server.url, CANARY_SECRET),
      input,
      timeoutMs: 5000,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    check(error !== undefined && testCase.expect(error), `${action}: ${testCase.label}`);
  }

  // A server that echoes everything it received back in a 500: the secret
  // reaches the error only if the connector or the client copies the
  // response or the request into it.
  await using echo = await createTestServer(
    withTokens(connector, options, (request) => ({
      status: 500,
      json: { echo: request.headers, query: request.query, body: request.body, secret: CANARY_SECRET },
    })),
  );
  const error = await runAction(connector, action, {
    config: options.config(echo.url, CANARY_SECRET),
    input,
    timeoutMs: 5000,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  check(error !== undefined && !leaks(error), `${action}: the canary secret stays out of errors and logs`);
  if (tokenPathOf(connector, options, echo.url)) {
    const api = echo.requests.filter((request) => !isTokenRequest(request, connector, options, echo.url));
    check(
      api.length > 0 && api.every((r) => r.headers.authorization === `Bearer ${CANARY_ACCESS_TOKEN}`),
      `${action}: sends the OAuth2 access token as a bearer`,
    );
  }
}

/** A check refused by the server (401 on every call, with the request echoed) fails without retry and without leaking. */
async function checkCheck(connector: Connector, options: ConformanceOptions, check: Check): Promise<void> {
  await using server = await createTestServer(
    withTokens(connector, options, (request) => ({
      status: 401,
      json: { error: 'unauthorized', echo: request.headers, secret: CANARY_SECRET },
    })),
  );
  const error = await runCheck(connector, {
    config: options.config(server.url, CANARY_SECRET),
    timeoutMs: 5000,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  check(isBatonError(error) && !error.retryable, 'check: refused credentials fail it without retry');
  check(error !== undefined && !leaks(error), 'check: the canary secret stays out of errors and logs');
}

function leaks(error: unknown): boolean {
  const logs = (error as { logs?: unknown } | undefined)?.logs ?? [];
  const seen = JSON.stringify([serializeError(error), (error as Error | undefined)?.message, logs]);
  return seen.includes(CANARY_SECRET) || seen.includes(CANARY_ACCESS_TOKEN);
}

/** Answers the OAuth2 token requests of a connector with `auth` (when its token URL is on this server), the rest with `handler`. */
function withTokens(connector: Connector, options: ConformanceOptions, handler: TestHandler): TestHandler {
  return (request) => {
    const origin = `http://${request.headers.host ?? ''}`;
    if (isTokenRequest(request, connector, options, origin)) {
      return { json: { access_token: CANARY_ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 } };
    }
    return handler(request);
  };
}

function isTokenRequest(
  request: RecordedRequest,
  connector: Connector,
  options: ConformanceOptions,
  serverUrl: string,
): boolean {
  return request.method === 'POST' && request.path === tokenPathOf(connector, options, serverUrl);
}

/** The path of the connector's token endpoint when the test config puts it on `serverUrl`. */
function tokenPathOf(
  connector: Connector,
  options: ConformanceOptions,
  serverUrl: string,
): string | undefined {
  if (!connector.auth) return undefined;
  try {
    const config = options.config(serverUrl, CANARY_SECRET);
    const tokenUrl = createConnectorInstance(connector, config).auth?.tokenUrl;
    if (!tokenUrl) return undefined;
    const url = new URL(tokenUrl);
    return url.origin === new URL(serverUrl).origin ? url.pathname : undefined;
  } catch {
    return undefined;
  }
}

function convertible(schema: z.ZodType, io: 'input' | 'output'): boolean {
  try {
    toJsonSchema(schema, io);
    return true;
  } catch {
    return false;
  }
}
