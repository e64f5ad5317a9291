import type { SerializedError, TraceCarrier } from '@baton/sdk/host';
import type {
  AuditEntry,
  CloudEvent,
  ItemRecord,
  ReplayChoice,
  RunRecord,
  RunStatus,
  RunSummary,
  StepRecord,
  TriggerKind,
} from '../../model/run-record';
import type { RunPatch } from '../types';

/**
 * How a run is laid out in its Redis hash. Fields that change often or are
 * needed alone (status, flow, one per step) are separate, so a step write
 * touches one field and a list reads a few small ones:
 * - `head`: what never changes and what lists show (flow, trigger, event id
 *   and type, createdAt, replayOf, the step ids in order, the run's trace
 *   context while tracing, the connector packages its flow calls)
 * - `event`, `audit`, `output`, `error`: JSON; `flow`, `status`, `phase`,
 *   `startedAt`, `endedAt`: plain strings; `phase` and `audit` are absent
 *   while the run is in its main phase and has no audit entry
 * - `step:<id>`: the step record (JSON); `s:<id>`: its status, for the
 *   compare-and-set
 * - `replayedBy`: the run that replays this one, once there is one (written
 *   by lua/replay-run.ts only)
 * - `orderKey`: an ordered run's key, plain, for lua/patch-run.ts to find
 *   its line (absent for runs that are not ordered)
 * - `flowVersion`: the version of the flow the run runs on, plain, so the
 *   versions in use can be read without decoding runs (flow-versions.ts)
 * - `v`: the version, bumped by every write, so a process can tell whether
 *   the copy it holds is current (absent until the first write: taken as 0)
 */
interface Head {
  flow: string;
  trigger: TriggerKind;
  eventId: string;
  eventType: string;
  createdAt: string;
  replayOf?: string;
  replay?: ReplayChoice;
  steps: string[];
  trace?: TraceCarrier;
  connectors?: Record<string, string>;
}

/** The fields a list reads for each run, in this order. */
export const SUMMARY_FIELDS = ['head', 'status', 'endedAt', 'error', 'replayedBy'] as const;

/**
 * An event as JSON. With `dataJson` (its data as JSON text, a webhook's
 * body) the data is spliced in as it is rather than serialized again:
 * it parses back to the same value.
 */
export function eventToJson(event: CloudEvent, dataJson?: string): string {
  if (dataJson === undefined) return JSON.stringify(event);
  // Field by field, in the order JSON.stringify(event) gives: a copy of the event without its data costs more.
  const { specversion, id, source, type, time } = event;
  return `{"specversion":${JSON.stringify(specversion)},"id":${JSON.stringify(id)},"source":${JSON.stringify(source)},"type":${JSON.stringify(type)},"time":${JSON.stringify(time)},"data":${dataJson}}`;
}

/** A new run as HSET field/value items; `eventJson`: its event as JSON, when the caller has it. */
export function runFields(run: RunRecord, eventJson = eventToJson(run.event)): string[] {
  // Optional fields set one by one (a spread of an empty object per absent one cost more).
  const head: Head = {
    flow: run.flow,
    trigger: run.trigger,
    eventId: run.event.id,
    eventType: run.event.type,
    createdAt: run.createdAt,
    steps: run.steps.map((s) => s.id),
  };
  if (run.replayOf) head.replayOf = run.replayOf;
  if (run.replay) head.replay = run.replay;
  if (run.trace) head.trace = run.trace;
  if (run.connectors) head.connectors = run.connectors;
  // Left out while they hold their defaults (phase main, no audit entry, version 0): less to
  // send and store on the gateway's hot path; every reader and script takes absence so.
  const fields = ['head', JSON.stringify(head), 'flow', run.flow, 'event', eventJson, 'status', run.status];
  if (run.phase !== 'main') fields.push('phase', run.phase);
  if (run.audit.length > 0) fields.push('audit', JSON.stringify(run.audit));
  if (run.startedAt) fields.push('startedAt', run.startedAt);
  if (run.endedAt) fields.push('endedAt', run.endedAt);
  if (run.output !== undefined) fields.push('output', JSON.stringify(run.output));
  if (run.error) fields.push('error', JSON.stringify(run.error));
  if (run.orderKey !== undefined) fields.push('orderKey', run.orderKey);
  if (run.flowVersion !== undefined) fields.push('flowVersion', run.flowVersion);
  for (const step of run.steps) fields.push(...stepFields(step));
  return fields;
}

export function stepFields(step: StepRecord): string[] {
  return [`step:${step.id}`, JSON.stringify(step), `s:${step.id}`, step.status];
}

/** A patch's plain fields as HSET items (status and audit are handled by the script). */
export function patchFields(patch: RunPatch): string[] {
  const fields: string[] = [];
  if (patch.phase !== undefined) fields.push('phase', patch.phase);
  if (patch.startedAt !== undefined) fields.push('startedAt', patch.startedAt);
  if (patch.endedAt !== undefined) fields.push('endedAt', patch.endedAt);
  if (patch.output !== undefined) fields.push('output', JSON.stringify(patch.output));
  if (patch.error !== undefined) fields.push('error', JSON.stringify(patch.error));
  return fields;
}

/** HGETALL as a script returns it (a flat list) or as ioredis returns it (an object). */
export function toRecord(fields: readonly string[] | Record<string, string>): Record<string, string> {
  if (!Array.isArray(fields)) return fields as Record<string, string>;
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return record;
}

/** The run a hash holds, or undefined for a missing (or expired) one. */
export function decodeRun(
  id: string,
  fields: readonly string[] | Record<string, string>,
): RunRecord | undefined {
  return decodeVersionedRun(id, fields)?.run;
}

/** The run a hash holds with its version, or undefined for a missing (or expired) one. */
export function decodeVersionedRun(
  id: string,
  fields: readonly string[] | Record<string, string>,
): { run: RunRecord; version: number } | undefined {
  const hash = toRecord(fields);
  if (hash.head === undefined) return undefined;
  const head = JSON.parse(hash.head) as Head;
  const run: RunRecord = {
    id,
    flow: head.flow,
    status: hash.status as RunStatus,
    phase: (hash.phase ?? 'main') as RunRecord['phase'],
    trigger: head.trigger,
    event: JSON.parse(hash.event!) as CloudEvent,
    steps: head.steps.map((step) => JSON.parse(hash[`step:${step}`]!) as StepRecord),
    createdAt: head.createdAt,
    audit: JSON.parse(hash.audit ?? '[]') as AuditEntry[],
  };
  if (hash.output !== undefined) run.output = JSON.parse(hash.output);
  if (hash.error !== undefined) run.error = JSON.parse(hash.error) as SerializedError;
  if (hash.startedAt !== undefined) run.startedAt = hash.startedAt;
  if (hash.endedAt !== undefined) run.endedAt = hash.endedAt;
  if (head.replayOf) run.replayOf = head.replayOf;
  if (head.replay) run.replay = head.replay;
  if (hash.replayedBy !== undefined) run.replayedBy = hash.replayedBy;
  if (hash.orderKey !== undefined) run.orderKey = hash.orderKey;
  if (hash.flowVersion !== undefined) run.flowVersion = hash.flowVersion;
  if (head.trace) run.trace = head.trace;
  if (head.connectors) run.connectors = head.connectors;
  return { run, version: Number(hash.v ?? 0) };
}

/** A list row from the SUMMARY_FIELDS values, or undefined when the run is gone. */
export function decodeSummary(id: string, values: readonly (string | null)[]): RunSummary | undefined {
  const [rawHead, status, endedAt, error, replayedBy] = values;
  if (!rawHead || !status) return undefined;
  const head = JSON.parse(rawHead) as Head;
  return {
    id,
    flow: head.flow,
    status: status as RunStatus,
    trigger: head.trigger,
    eventId: head.eventId,
    eventType: head.eventType,
    createdAt: head.createdAt,
    ...(endedAt ? { endedAt } : {}),
    ...(error ? { error: JSON.parse(error) as SerializedError } : {}),
    ...(head.replayOf ? { replayOf: head.replayOf } : {}),
    ...(replayedBy ? { replayedBy } : {}),
  };
}

/** The items hash field of one forEach item. */
export function itemField(stepId: string, index: number): string {
  return `${stepId}|${index}`;
}

/** The items of one step from the run's items hash, in index order. */
export function decodeItems(stepId: string, fields: Record<string, string>): ItemRecord[] {
  const prefix = `${stepId}|`;
  const items: ItemRecord[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith(prefix)) items.push(JSON.parse(value) as ItemRecord);
  }
  return items.sort((a, b) => a.index - b.index);
}
