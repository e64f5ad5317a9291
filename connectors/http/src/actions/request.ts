import { defineAction, HttpError, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { decodeBody, encodeBody, encodeQuery, responseHeaders } from '../body';
import { config, hasCredentials } from '../config';
import { DURATION_PATTERN, toMilliseconds } from '../duration';
import { discardStream, readText } from '../read-text';
import { describePatterns, statusMatcher, statusPattern } from '../status';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** Methods that change nothing, so they carry no idempotency key. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** `//host/x` is absolute to axios, so a `path` must not start with it. */
const ABSOLUTE = /^([a-z][a-z\d+.-]*:)?\/\//i;

const input = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    url: z.string().min(1).optional().describe('An absolute URL, or one relative to the baseUrl.'),
    path: z
      .string()
      .min(1)
      .refine((value) => !ABSOLUTE.test(value), {
        error: 'must be relative to the baseUrl; use "url" instead',
      })
      .optional()
      .describe('A path under the baseUrl, such as "/orders/42".'),
    query: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Added to (and overriding) the configured headers.'),
    body: z.string().optional().describe('A raw body, sent as text/plain unless headers say otherwise.'),
    json: z.unknown().optional().describe('A value sent as JSON.'),
    form: z.record(z.string(), scalar).optional().describe('Fields sent form-encoded.'),
    expectStatus: z
      .array(statusPattern)
      .min(1)
      .optional()
      .describe(
        'Statuses returned as output rather than thrown, such as [200, 404] or ["2xx", "409"]. Default: 2xx and 3xx.',
      ),
    timeout: z
      .union([
        z.string().regex(DURATION_PATTERN, { error: 'must be a duration such as "10s"' }),
        z.number().int().positive(),
      ])
      .optional()
      .describe('Per request: a duration ("10s") or milliseconds. The step timeout applies as well.'),
  })
  .refine((value) => (value.url === undefined) !== (value.path === undefined), {
    error: 'Give exactly one of "url" and "path"',
  })
  .refine((value) => [value.body, value.json, value.form].filter((b) => b !== undefined).length <= 1, {
    error: 'Give at most one of "body", "json" and "form"',
  });

const output = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  /** Parsed JSON when the response says it is JSON, text otherwise, null when empty. */
  body: z.unknown(),
});

/** What a step gives `request`. */
export type RequestInput = z.input<typeof input>;
/** What `request` returns. */
export type RequestOutput = z.output<typeof output>;

/**
 * Sends one HTTP request. Failures are classified by the SDK (network, 408,
 * 429 with `Retry-After` and 5xx retryable; other 4xx not); a status listed
 * in `expectStatus` is returned instead of thrown.
 */
export const request = defineAction({
  description: 'Sends an HTTP request and returns its status, headers and body (JSON parsed).',
  config,
  input,
  output,
  examples: [
    {
      description: 'Read a resource',
      input: { method: 'GET', path: '/backups/latest' },
      output: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { id: 'bkp-20250301-020000' },
      },
    },
    {
      description: 'Create a resource; the step idempotency key goes in the Idempotency-Key header',
      input: {
        method: 'POST',
        path: '/hardware/orders',
        json: { employeeId: '42', department: 'engineering' },
      },
      output: { status: 201, headers: {}, body: { id: 'HW-1001', model: 'MacBook Pro 16" M3 Pro, 36 GB' } },
    },
    {
      description: 'A 404 is an answer, not a failure',
      input: { method: 'GET', url: 'https://api.example.com/users/7', expectStatus: ['2xx', 404] },
    },
  ],
  async run({ input, config, http, idempotencyKey }) {
    const target = input.path ?? input.url!;
    const absolute = ABSOLUTE.test(target);
    if (!absolute && !config.baseUrl) {
      throw new NonRetryableError(`"${target}" is relative but the connector instance has no baseUrl`, {
        code: 'BASE_URL_REQUIRED',
      });
    }
    if (absolute && config.baseUrl && hasCredentials(config)) {
      const origin = new URL(target).origin;
      if (origin !== new URL(config.baseUrl).origin) {
        throw new NonRetryableError(
          `Refused to send this instance's credentials to ${origin}: they only go to the baseUrl's origin`,
          { code: 'CREDENTIALS_OFF_ORIGIN' },
        );
      }
    }
    const { data, contentType } = encodeBody(input);
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    if (config.idempotencyHeader && !SAFE_METHODS.has(input.method)) {
      headers[config.idempotencyHeader] = idempotencyKey;
    }
    for (const [name, value] of Object.entries(input.headers ?? {})) {
      // The step's headers win over defaults, whatever their case.
      for (const key of Object.keys(headers))
        if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
      headers[name] = value;
    }
    const accepts = statusMatcher(input.expectStatus);
    const response = await http
      .request({
        method: input.method,
        url: target,
        params: encodeQuery(input.query),
        headers,
        ...(data !== undefined ? { data } : {}),
        ...(input.timeout !== undefined ? { timeout: toMilliseconds(input.timeout) } : {}),
        // A stream, so the size limit stops the download rather than judging it after.
        responseType: 'stream',
        validateStatus: accepts,
      })
      .catch((error: unknown) => {
        if (error instanceof HttpError) discardStream(error.response?.data);
        throw explain(error, describePatterns(input.expectStatus));
      });
    const text = await readText(response.data, config.maxResponseBytes);
    const received = responseHeaders(response.headers);
    return { status: response.status, headers: received, body: decodeBody(text, received['content-type']) };
  },
});

/**
 * Keeps the SDK's classification, but says plainly when a success status
 * was not one the step expected.
 */
function explain(error: unknown, expected: string): unknown {
  if (!(error instanceof HttpError) || error.status === undefined || error.status >= 400) return error;
  return new NonRetryableError(
    `${error.method} ${error.url} answered ${error.status}; expected ${expected}`,
    {
      code: 'UNEXPECTED_STATUS',
      details: { status: error.status },
    },
  );
}
