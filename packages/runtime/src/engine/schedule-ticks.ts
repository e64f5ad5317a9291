import { isTracing } from '@baton/sdk/host';
import type { Backend, ScheduleEntry } from '../backend/types';
import type { CompiledFlow } from '../compile/compile-flow';
import { isScheduleTrigger } from '../flow/schema';
import type { EngineLogger } from '../log/logger';
import { newRun } from '../model/new-run';
import type { CloudEvent } from '../model/run-record';
import type { Task } from '../model/task';
import { traceRecord } from '../trace/record';

/** The schedules of the flows that have one, for the backend's clock. */
export function scheduleEntries(flows: Iterable<CompiledFlow>): ScheduleEntry[] {
  return [...flows].flatMap((flow) => {
    const trigger = flow.flow.trigger;
    return isScheduleTrigger(trigger)
      ? [
          {
            flow: flow.id,
            cron: trigger.schedule,
            timezone: trigger.timezone ?? 'UTC',
            catchUp: trigger.catchUp ?? false,
          },
        ]
      : [];
  });
}

/**
 * A schedule's tick: the run it starts, unless the tick is later than
 * `lateToleranceMs` (a hub that was down) and the flow does not catch up.
 */
export async function handleTick(
  deps: { flows: ReadonlyMap<string, CompiledFlow>; backend: Backend; log: EngineLogger; now: () => number },
  task: Extract<Task, { kind: 'tick' }>,
  options: { lateToleranceMs: number; dedupWindowMs: number },
): Promise<void> {
  const flow = deps.flows.get(task.flow);
  const trigger = flow?.flow.trigger;
  if (!flow || !isScheduleTrigger(trigger)) return;
  const late = deps.now() - Date.parse(task.at);
  if (late > options.lateToleranceMs && !trigger.catchUp) {
    deps.log.info({ flow: flow.id, tick: task.at, lateMs: late }, 'skipping a missed schedule tick');
    return;
  }
  const event: CloudEvent = {
    specversion: '1.0',
    id: `${flow.id}@${task.at}`,
    source: 'schedule',
    type: 'schedule.tick',
    time: task.at,
    data: { scheduledAt: task.at, schedule: trigger.schedule, timezone: trigger.timezone ?? 'UTC' },
  };
  // The event id names the tick, so a tick delivered twice starts one run.
  const runs = [newRun(flow, event, 'schedule', deps.now())];
  deps.backend.placeRuns?.(runs, { source: event.source, eventId: event.id });
  const record = () => deps.backend.events.ingest(event, runs, { dedupWindowMs: options.dedupWindowMs });
  await (isTracing() ? traceRecord(deps.backend, event, runs, record) : record());
}
