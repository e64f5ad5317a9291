import { defineAction, defineConnector, NonRetryableError, RetryableError } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmbeddedBackend } from '../backend/embedded/index';
import { decodeRun, runFields } from '../backend/redis/run-codec';
import { compileFlow } from '../compile/compile-flow';
import { type Flow, flowSchema } from '../flow/schema';
import { newRun } from '../model/new-run';
import { recordRuntimeSpans } from '../trace/_test-spans';
import { createEngine, type Engine } from './engine';

/** A connector whose `flaky` fails once per key, `broken` always, `fine` never. */
function vendor() {
  const seen = new Set<string>();
  const connector = defineConnector({
    name: 'vendor',
    config: z.object({}),
    actions: {
      flaky: defineAction({
        input: z.object({ key: z.string() }),
        output: z.object({ ok: z.boolean() }),
        async run({ input }) {
          if (seen.has(input.key)) return { ok: true };
          seen.add(input.key);
          throw new RetryableError('try again');
        },
      }),
      broken: defineAction({
        input: z.object({}),
        output: z.object({}),
        async run() {
          throw new NonRetryableError('refused', { code: 'VENDOR_REFUSED' });
        },
      }),
      fine: defineAction({
        input: z.object({}),
        output: z.object({ ok: z.boolean() }),
        async run() {
          return { ok: true };
        },
      }),
    },
  });
  return createConnectorInstance(connector, {}, { name: 'vendor' });
}

function flow(id: string, steps: object[]) {
  return compileFlow(flowSchema.parse({ id, trigger: { source: 'shop', event: id }, steps }) as Flow);
}

const retried = {
  id: 'reserve',
  action: 'vendor.flaky',
  input: { key: '{{ event.id }}' },
  retry: { maxAttempts: 3, initialInterval: '10ms' },
};
const fellBack = {
  id: 'ship',
  action: 'vendor.broken',
  fallback: [{ action: 'vendor.fine' }],
};

let recording: ReturnType<typeof recordRuntimeSpans> | undefined;
let engine: Engine | undefined;
async function stop() {
  await engine?.stop({ drainMs: 1000 });
  engine = undefined;
}
afterEach(async () => {
  await stop();
  await recording?.stop();
  recording = undefined;
});

function start(flows: ReturnType<typeof flow>[]) {
  engine = createEngine({
    flows,
    instances: new Map([['vendor', vendor()]]),
    backend: createEmbeddedBackend(),
  });
  engine.startWorker({ concurrency: 4 });
  return engine;
}

const event = (type: string, id: string) => ({
  specversion: '1.0' as const,
  id,
  source: 'shop',
  type,
  time: new Date().toISOString(),
  data: {},
});

async function until(check: () => Promise<true | undefined>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

const byName = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('the engine while tracing', () => {
  it('puts a run in one trace: record, publish, each task, each attempt, retries and fallbacks', async () => {
    recording = recordRuntimeSpans();
    const engine = start([flow('order', [retried, { ...fellBack, needs: ['reserve'] }])]);
    // The gateway's webhook span is active around dispatch.
    const webhook = trace.getTracer('test').startSpan('POST /webhooks/:source');
    const answer = await context.with(trace.setSpan(context.active(), webhook), () =>
      engine.dispatch(event('order', 'evt-1')),
    );
    webhook.end();
    const run = await engine.waitForRun(answer.runs[0]!.runId, { timeoutMs: 5000 });
    expect(run.status).toBe('succeeded');
    // The run ended; the task that ended it ends its span once handled.
    await stop();
    const spans = recording.spans();
    const traceId = webhook.spanContext().traceId;
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));

    const [record] = byName(spans, 'record event');
    expect(parentOf(record!)).toBe(webhook.spanContext().spanId);
    expect(record!.attributes).toMatchObject({
      'baton.source': 'shop',
      'baton.event.type': 'order',
      'baton.event.id': 'evt-1',
      'baton.duplicate': false,
    });
    const publishes = byName(spans, 'publish tasks');
    const startPublish = publishes.find((span) => parentOf(span) === record!.spanContext().spanId)!;
    expect(startPublish.kind).toBe(SpanKind.PRODUCER);
    expect(startPublish.attributes).toMatchObject({
      'messaging.system': 'baton-embedded',
      'messaging.operation.type': 'publish',
      'baton.run.id': run.id,
    });
    expect(run.trace?.traceparent).toBe(`00-${traceId}-${startPublish.spanContext().spanId}-01`);

    // Every task is a CONSUMER span parented on the run's context; the retry's links to its publish.
    const processes = byName(spans, 'process tasks');
    expect(processes.length).toBeGreaterThanOrEqual(2);
    for (const span of processes) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(parentOf(span)).toBe(startPublish.spanContext().spanId);
    }
    const retryPublish = publishes.find((span) => span.attributes['baton.delay_ms'] !== undefined)!;
    expect(retryPublish).toBeDefined();
    const retryProcess = processes.find((span) =>
      span.links.some((link) => link.context.spanId === retryPublish.spanContext().spanId),
    );
    expect(retryProcess?.attributes['baton.step']).toBe('reserve');

    const attempts = spans
      .filter((span) => span.name.startsWith('step '))
      .map((span) => [
        span.name,
        span.attributes['baton.route'],
        span.attributes['baton.attempt'],
        span.attributes['baton.outcome'],
        span.status.code,
      ]);
    expect(attempts).toEqual([
      ['step reserve', 0, 1, 'failed', SpanStatusCode.ERROR],
      ['step reserve', 0, 2, 'succeeded', SpanStatusCode.UNSET],
      ['step ship', 0, 1, 'failed', SpanStatusCode.ERROR],
      ['step ship', 1, 1, 'succeeded', SpanStatusCode.UNSET],
    ]);
    const refused = spans.find((span) => span.name === 'step ship' && span.attributes['baton.route'] === 0)!;
    expect(refused.attributes).toMatchObject({
      'baton.connector': 'vendor',
      'baton.action': 'vendor.broken',
      'baton.flow': 'order',
      'baton.run.id': run.id,
      'error.type': 'VENDOR_REFUSED',
    });
    for (const span of spans.filter((each) => each.name.startsWith('step '))) {
      expect(processes.map((each) => each.spanContext().spanId)).toContain(parentOf(span));
    }
  });

  it('starts a replay in a new trace whose root links to the original run', async () => {
    recording = recordRuntimeSpans();
    const engine = start([flow('refund', [{ id: 'pay', action: 'vendor.broken' }])]);
    const answer = await engine.dispatch(event('refund', 'evt-2'));
    const failed = await engine.waitForRun(answer.runs[0]!.runId, { timeoutMs: 5000 });
    expect(failed.status).toBe('failed');

    const { runId } = await engine.replay(failed.id);
    const again = await engine.waitForRun(runId, { timeoutMs: 5000 });
    await stop();
    const [replay] = byName(recording.spans(), 'replay run');
    expect(parentOf(replay!)).toBeUndefined();
    expect(replay!.spanContext().traceId).not.toBe(failed.trace?.traceparent.split('-')[1]);
    expect(replay!.links.map((link) => link.context.spanId)).toEqual([
      failed.trace?.traceparent.split('-')[2],
    ]);
    expect(replay!.attributes).toMatchObject({ 'baton.replay.of': failed.id, 'baton.run.id': runId });
    expect(again.trace?.traceparent.split('-')[1]).toBe(replay!.spanContext().traceId);
    const replayAttempt = recording
      .spans()
      .find((span) => span.name === 'step pay' && span.attributes['baton.run.id'] === runId);
    expect(replayAttempt?.spanContext().traceId).toBe(replay!.spanContext().traceId);
  });

  it('keeps a run that waited for an approval, decided through the API, in its trace', async () => {
    recording = recordRuntimeSpans();
    const engine = start([
      flow('access', [
        { id: 'ok', approval: { title: 'Grant?' } },
        { id: 'grant', needs: ['ok'], action: 'vendor.fine' },
      ]),
    ]);
    const answer = await engine.dispatch(event('access', 'evt-4'));
    const runId = answer.runs[0]!.runId;
    await until(async () => ((await engine.getRun(runId))?.status === 'waiting' ? true : undefined));
    // No span is active here, as in the gateway's handler of POST /api/runs/:id/steps/:step/decision.
    await engine.decide(runId, 'ok', { decision: 'approve', by: 'ops' });
    const run = await engine.waitForRun(runId, { timeoutMs: 5000 });
    expect(run.status).toBe('succeeded');
    await stop();
    const traceId = run.trace?.traceparent.split('-')[1];
    const spans = recording.spans();
    expect(spans.filter((span) => span.name === 'step grant')).toHaveLength(1);
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it('records nothing and carries no trace context while tracing is off', async () => {
    const engine = start([flow('quiet', [{ id: 'ok', action: 'vendor.fine' }])]);
    const answer = await engine.dispatch(event('quiet', 'evt-3'));
    const run = await engine.waitForRun(answer.runs[0]!.runId, { timeoutMs: 5000 });
    expect(run.status).toBe('succeeded');
    expect(run.trace).toBeUndefined();
  });

  it('keeps a run\u2019s trace context in the Redis run record', () => {
    const run = newRun({ id: 'f', steps: [] }, event('f', 'e'), 'webhook', Date.now());
    run.trace = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'a=b' };
    expect(decodeRun(run.id, runFields(run))?.trace).toEqual(run.trace);
  });
});
