import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEFAULT_MAX_BODY_DEPTH, valueTooDeep } from '@baton/gateway';
import { type CloudEvent, isScheduleTrigger, type LoadedSource } from '@baton/runtime';
import { newEventId, webhookBody } from '@baton/sandbox';
import { CliError } from '../cli-error';
import { readData } from './send';

/** What `baton run` needs to know of the flow to make its event. */
export interface EventContext {
  /** The flow's trigger, as in the flow file. */
  trigger: unknown;
  /** A source of the hub by name. */
  sourceOf: (name: string) => LoadedSource | undefined;
}

/**
 * The event of `baton run --event FILE`: a CloudEvents-shaped object, its
 * missing fields filled in from the flow's trigger. A file with neither
 * `data` nor `specversion` is taken as the event's data, unless the flow's source
 * wraps its data in an envelope (Standard Webhooks, Stripe, generic HMAC):
 * then the data alone would fail deep in the flow, so it is refused with
 * the shape wanted and a pointer to `--data`.
 */
export async function readEvent(file: string, context: EventContext): Promise<CloudEvent> {
  const parsed = await readJson(file);
  const object =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  // A body of one's own often has an `id` or a `type`; only `data` or `specversion` mark a CloudEvent.
  const shaped = object !== undefined && ('data' in object || 'specversion' in object);
  const webhook = webhookOf(context);
  if (!shaped && webhook?.wraps) {
    const example = { type: webhook.type, data: webhook.wrap({ '…': '…' }) };
    throw new CliError(
      'EVENT_INVALID',
      `${file} is not a CloudEvent (it has no "data" nor "specversion"), and a "${webhook.source}" webhook (${webhook.scheme}) does not carry its data bare. ` +
        `Pass the body as baton send takes it with --data ${file} (wrapped as the sender would), or give a CloudEvent whose data is the whole webhook body, e.g. ${JSON.stringify(example)}`,
    );
  }
  const given = shaped ? object! : { data: parsed };
  for (const key of ['id', 'source', 'type', 'time'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'string') {
      throw new CliError('EVENT_INVALID', `${file}: "${key}" must be a string`);
    }
  }
  checkDepth(file, given.data, webhook?.maxDepth);
  return {
    specversion: '1.0',
    id: (given.id as string | undefined) ?? randomUUID(),
    source: (given.source as string | undefined) ?? webhook?.source ?? 'manual',
    type: (given.type as string | undefined) ?? webhook?.type ?? 'manual',
    time: (given.time as string | undefined) ?? new Date().toISOString(),
    data: given.data ?? {},
  };
}

/**
 * The event of `baton run --data FILE [--type T]`: the data as `baton send
 * --data` takes it, wrapped and typed as the flow's source's sender would
 * (so `event.data` is what the gateway would record); the data as is for a
 * flow started by hand or on a schedule.
 */
export async function dataEvent(
  file: string,
  type: string | undefined,
  context: EventContext,
): Promise<CloudEvent> {
  const data = await readData(file);
  const webhook = webhookOf(context);
  const eventType = type ?? webhook?.type ?? 'manual';
  const id = webhook ? newEventId(webhook.scheme) : randomUUID();
  const body = webhook ? webhook.wrap(data, { id, type: eventType }) : data;
  checkDepth(file, body, webhook?.maxDepth);
  return {
    specversion: '1.0',
    id,
    source: webhook?.source ?? 'manual',
    type: eventType,
    time: new Date().toISOString(),
    data: body,
  };
}

function webhookOf({ trigger, sourceOf }: EventContext) {
  if (!trigger || isScheduleTrigger(trigger as never)) return undefined;
  const { source, event } = trigger as { source: string; event: string };
  const loaded = sourceOf(source);
  const scheme = loaded?.config.verify.scheme ?? 'github';
  const type = event.replace(/\*$/, 'manual');
  const wrap = (data: Record<string, unknown>, meta = { id: newEventId(scheme), type }) =>
    webhookBody(scheme, { ...meta, data });
  const probe = {};
  return {
    source,
    scheme,
    type,
    wrap,
    wraps: wrap(probe) !== probe,
    maxDepth: loaded?.config.maxBodyDepth,
  };
}

/** Data nested deeper than a webhook of the source may be is refused, as the gateway would refuse it. */
function checkDepth(file: string, data: unknown, limit: number | undefined): void {
  const maxDepth = limit ?? DEFAULT_MAX_BODY_DEPTH;
  if (valueTooDeep(data, maxDepth)) {
    throw new CliError(
      'EVENT_INVALID',
      `${file}: the data nests arrays and objects more than ${maxDepth} levels deep, which the gateway refuses (maxBodyDepth)`,
    );
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(
      missing ? 'EVENT_NOT_FOUND' : 'EVENT_INVALID',
      missing ? `${file} does not exist` : `${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
}
