import { carrierOf, spanContextOf } from '@baton/sdk/host';
import { type Attributes, type Link, ROOT_CONTEXT, type Span, SpanKind } from '@opentelemetry/api';
import type { Backend } from '../backend/types';
import type { CloudEvent, RunRecord } from '../model/run-record';
import { messagingAttributes, runtimeTracer, within } from './spans';

/**
 * Records an event and its new runs inside a `record event` span, child of
 * the active span (the webhook's), with a `publish tasks` PRODUCER span
 * under it for the runs it hands to the queue. Each run carries the publish
 * span's context: the spans of all its work, in whichever process and
 * however much later, are parented on it, and none stays open meanwhile.
 */
export function traceRecord<T extends { duplicate: boolean }>(
  backend: Pick<Backend, 'name'>,
  event: CloudEvent,
  runs: readonly RunRecord[],
  record: () => Promise<T>,
): Promise<T> {
  const span = runtimeTracer().startSpan('record event', {
    attributes: {
      'baton.source': event.source,
      'baton.event.type': event.type,
      'baton.event.id': event.id,
      'baton.runs': runs.length,
    },
  });
  return within(span, async () => {
    const result = await publishRuns(backend, runs, record);
    span.setAttribute('baton.duplicate', result.duplicate);
    return result;
  });
}

/**
 * Replays a run inside a new trace: its root span `replay run` links to the
 * original run's trace (the replay is a new attempt at the same work, not
 * part of the original's), and the new run carries that trace.
 */
export function traceReplay<T extends { created: boolean } | undefined>(
  backend: Pick<Backend, 'name'>,
  original: RunRecord,
  run: RunRecord,
  claim: () => Promise<T>,
): Promise<T> {
  const replayed = spanContextOf(original.trace);
  const links: Link[] = replayed ? [{ context: replayed, attributes: { 'baton.link': 'replay-of' } }] : [];
  const span = runtimeTracer().startSpan(
    'replay run',
    {
      root: true,
      links,
      attributes: { 'baton.flow': run.flow, 'baton.run.id': run.id, 'baton.replay.of': original.id },
    },
    ROOT_CONTEXT,
  );
  return within(span, async () => {
    const result = await publishRuns(backend, [run], claim);
    if (result && !result.created) span.setAttribute('baton.duplicate', true);
    return result;
  });
}

/** The PRODUCER span of new runs' start tasks; each run is stamped with its context. */
function publishRuns<T>(
  backend: Pick<Backend, 'name'>,
  runs: readonly RunRecord[],
  write: () => Promise<T>,
): Promise<T> {
  if (runs.length === 0) return write();
  const attributes: Attributes = {
    ...messagingAttributes(backend),
    'messaging.operation.type': 'publish',
    'messaging.operation.name': 'start',
  };
  if (runs.length > 1) attributes['messaging.batch.message_count'] = runs.length;
  else {
    attributes['baton.flow'] = runs[0]!.flow;
    attributes['baton.run.id'] = runs[0]!.id;
  }
  const span: Span = runtimeTracer().startSpan('publish tasks', { kind: SpanKind.PRODUCER, attributes });
  const carrier = carrierOf(span.spanContext());
  for (const run of runs) run.trace = carrier;
  return within(span, write);
}
