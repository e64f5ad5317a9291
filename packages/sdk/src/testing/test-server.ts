import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the test server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The raw body. */
  body: string;
  /** The body parsed as JSON or as a form, when its content type says so. */
  parsed: unknown;
}

/** What the handler answers. */
export interface TestResponse {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, when `json` is absent. */
  body?: string;
  /** Waits this long before answering. */
  delayMs?: number;
}

export type TestHandler = (request: RecordedRequest) => TestResponse | Promise<TestResponse>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Replaces the handler, e.g. to fail the next calls. */
  setHandler(handler: TestHandler): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a real HTTP server on loopback for a connector test. Mock the
 * vendor with a local server, never by replacing modules.
 *
 * @example
 * ```ts
 * await using server = await createTestServer(() => ({ status: 201, json: { id: 't_1' } }));
 * const { output } = await runAction(connector, 'create-ticket', { config: { baseUrl: server.url }, input });
 * expect(server.requests[0]?.headers['idempotency-key']).toBeDefined();
 * ```
 */
export async function createTestServer(
  handler: TestHandler = () => ({ status: 200, json: {} }),
): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const recorded = await record(req);
      requests.push(recorded);
      const answer = await current(recorded);
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      const headers: Record<string, string> = { ...answer.headers };
      let body = answer.body ?? '';
      if (answer.json !== undefined) {
        body = JSON.stringify(answer.json);
        headers['content-type'] ??= 'application/json';
      }
      res.writeHead(answer.status ?? 200, headers);
      res.end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`test handler failed: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      current = next;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const type = headers['content-type'] ?? '';
  let parsed: unknown;
  if (type.includes('json') && body) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  } else if (type.includes('x-www-form-urlencoded')) {
    parsed = Object.fromEntries(new URLSearchParams(body));
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    parsed,
  };
}
