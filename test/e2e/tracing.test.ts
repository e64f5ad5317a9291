import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { type ReceivedSpan, SPAN_KIND, startOtlpReceiver } from '../helpers/otlp-receiver';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { STOCK_CONNECTOR_MODULE } from '../helpers/stock-connector';
import { until } from '../helpers/until';

const SECRET = `whsec_${Buffer.from('tracing-test-signing-key-0123456789').toString('base64')}`;

interface RunAnswer {
  id: string;
  status: string;
  trace?: { traceparent: string };
}

/**
 * One trace from the provider's webhook to every outgoing call, across a
 * gateway and a worker on Redis, exported to an OTLP/HTTP receiver of the
 * test's own: the webhook, its record, the queue, each attempt (a retry, a
 * fallback, a failure) and each call to the sandbox, which received the same
 * trace in `traceparent`; a replay of the run starts a trace linked to it.
 */
describe('tracing across baton serve --no-worker and baton worker', () => {
  let sandbox: RunningSandbox;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  const prefix = uniquePrefix('tracing');

  beforeAll(async () => {
    [sandbox, receiver] = await Promise.all([startSandbox({ port: 0 }), startOtlpReceiver()]);
    const instance = {
      use: './stock.mjs',
      config: { baseUrl: `${sandbox.url}/inventory/admin/api/2024-10` },
      egress: { allow: ['loopback'] },
    };
    const call = (action = 'stock.locations') => ({ action, input: { n: 1 } });
    hub = await hubFolder({
      'baton.config.json': {
        connectors: { stock: instance, backup: instance },
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: SECRET } } },
      },
      'stock.mjs': STOCK_CONNECTOR_MODULE,
      'flows/order.json': {
        id: 'order',
        trigger: { source: 'shop', event: 'order.created' },
        steps: [
          { id: 'reserve', ...call(), retry: { maxAttempts: 3, initialInterval: '50ms' } },
          { id: 'ship', needs: ['reserve'], ...call(), fallback: [call('backup.locations')] },
          { id: 'confirm', needs: ['ship'], ...call() },
        ],
      },
    });
  });

  afterAll(async () => {
    killChildren();
    await deleteKeys(prefix);
    await Promise.all([sandbox?.close(), receiver?.close(), hub?.remove()]);
  });

  it('follows one webhook through record, queue, attempts and calls; the replay links to it', async () => {
    const { REDIS_URL: _redis, OTEL_SDK_DISABLED: _off, ...parentEnv } = process.env;
    const env = {
      ...parentEnv,
      REDIS_URL: redisUrl,
      BATON_REDIS_PREFIX: prefix,
      BATON_API_TOKEN: '',
      BATON_LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const serve = spawnBaton(['serve', '--port', '0', '--no-worker'], { cwd: hub.path, env });
    const worker = spawnBaton(['worker', '--concurrency', '2', '--port', String(await freePort())], {
      cwd: hub.path,
      env,
    });
    const [[, url]] = await Promise.all([
      serve.waitFor(/Baton listening on (http:\/\/\S+)/),
      worker.waitFor(/worker started \(pid/),
    ]);
    const api = async (path: string, method = 'GET') =>
      (await fetch(`${url}/api${path}`, { method })).json() as Promise<Record<string, unknown>>;
    const ended = (id: string) =>
      until(async () => {
        const run = (await api(`/runs/${id}`)) as unknown as RunAnswer;
        return run.status === 'succeeded' || run.status === 'failed' ? run : undefined;
      }, `run ${id} ended`);

    // The inventory answers 500 (reserve retries), 400 (ship falls back), then 409 (confirm fails the run).
    await fetch(`${sandbox.url}/_sandbox/faults/inventory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statuses: [500, 200, 400, 200, 409], pathIncludes: '/locations' }),
    });
    const body = JSON.stringify({ type: 'order.created', data: { sku: 'A-1' } });
    const signed = new Webhook(SECRET).sign('msg_traced', new Date(), body);
    const res = await fetch(`${url}/webhooks/shop`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_traced',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signed,
      },
      body,
    });
    expect(res.status).toBe(202);
    const runId = ((await res.json()) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    const run = await ended(runId);
    expect(run.status).toBe('failed');
    const replayId = (await api(`/runs/${runId}/replay`, 'POST')).runId as string;
    expect((await ended(replayId)).status).toBe('succeeded');

    // Both processes flush their spans as they stop.
    serve.proc.kill('SIGTERM');
    worker.proc.kill('SIGTERM');
    expect(await Promise.all([serve.exited, worker.exited])).toEqual([0, 0]);

    const traceId = run.trace!.traceparent.split('-')[1]!;
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const byId = new Map(receiver.spans.map((span) => [span.spanId, span]));
    /** The span's name and each ancestor's, up to the root. */
    const chain = (span: ReceivedSpan): string[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return [span.name, ...(parent ? chain(parent) : span.parentSpanId ? ['<missing>'] : [])];
    };

    const [webhook] = spans.filter((span) => span.kind === SPAN_KIND.server);
    expect(webhook).toMatchObject({
      service: 'baton-gateway',
      name: 'POST /webhooks/:source',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/webhooks/:source',
        'http.response.status_code': 202,
        'baton.source': 'shop',
        'baton.event.type': 'order.created',
        'baton.event.id': 'msg_traced',
      },
    });

    // Each attempt, in order, under a queue task the worker processed.
    const attempts = spans
      .filter((span) => span.name.startsWith('step '))
      .map((span) => ({
        chain: chain(span),
        service: span.service,
        facts: [
          span.attributes['baton.step'],
          span.attributes['baton.connector'],
          span.attributes['baton.route'],
          span.attributes['baton.attempt'],
          span.attributes['baton.outcome'],
        ],
      }));
    const taskChain = ['process tasks', 'publish tasks', 'record event', 'POST /webhooks/:source'];
    expect(attempts.map((a) => a.facts)).toEqual([
      ['reserve', 'stock', 0, 1, 'failed'],
      ['reserve', 'stock', 0, 2, 'succeeded'],
      ['ship', 'stock', 0, 1, 'failed'],
      ['ship', 'backup', 1, 1, 'succeeded'],
      ['confirm', 'stock', 0, 1, 'failed'],
    ]);
    for (const attempt of attempts) {
      expect(attempt.service).toBe('baton-worker');
      expect(attempt.chain.slice(1)).toEqual(taskChain);
    }
    const consumer = spans.find((span) => span.kind === SPAN_KIND.consumer)!;
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.operation.type': 'process',
      'baton.run.id': runId,
    });

    // Each outgoing call is a CLIENT span under its attempt; the sandbox got its context.
    const calls = spans.filter((span) => span.kind === SPAN_KIND.client);
    expect(calls.map((span) => [span.attributes['http.response.status_code'], chain(span)[1]])).toEqual([
      [500, 'step reserve'],
      [200, 'step reserve'],
      [400, 'step ship'],
      [200, 'step ship'],
      [409, 'step confirm'],
    ]);
    const ledger = (await (await fetch(`${sandbox.url}/_sandbox/ledger?system=inventory`)).json()) as {
      requests: Array<{ traceparent?: string; status: number }>;
    };
    expect(ledger.requests.slice(0, 5).map((r) => r.traceparent)).toEqual(
      calls.map((span) => `00-${traceId}-${span.spanId}-01`),
    );

    // Log lines of the worker carry the trace and the span they were written in: the client's
    // debug line of each call, written within its attempt.
    const lines = worker
      .output()
      .stderr.split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; trace_id?: string; span_id?: string });
    const attemptIds = new Set(spans.filter((s) => s.name.startsWith('step ')).map((s) => s.spanId));
    const callLines = lines.filter(
      (line) => line.msg.startsWith('http request') && line.trace_id === traceId,
    );
    expect(callLines).toHaveLength(5);
    for (const line of callLines) expect(attemptIds.has(line.span_id!)).toBe(true);

    // The replay: a new trace whose root links to the original run's context.
    const [replay] = receiver.spans.filter((span) => span.name === 'replay run');
    expect(replay!.parentSpanId).toBeUndefined();
    expect(replay!.traceId).not.toBe(traceId);
    expect(replay!.links).toEqual([{ traceId, spanId: run.trace!.traceparent.split('-')[2] }]);
    expect(replay!.attributes).toMatchObject({ 'baton.replay.of': runId, 'baton.run.id': replayId });
    const replayCall = receiver.spans.find(
      (span) => span.traceId === replay!.traceId && span.kind === SPAN_KIND.client,
    )!;
    expect(chain(replayCall)).toEqual([
      'GET',
      'step confirm',
      'process tasks',
      'publish tasks',
      'replay run',
    ]);
    expect(ledger.requests[5]?.traceparent).toBe(`00-${replay!.traceId}-${replayCall.spanId}-01`);
  });
});
