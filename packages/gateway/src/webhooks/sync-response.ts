import { isScheduleTrigger, parseDuration } from '@baton/runtime';
import type { GatewayDeps } from '../deps';

/**
 * For flows with `respond: "sync"`, holds the webhook answer until their
 * runs end (within `respondTimeout`) and answers with their results. On
 * timeout it says so, and the caller answers 202 with status URLs. Without
 * such a flow among the runs it answers undefined at once, not a promise:
 * most webhooks start no sync flow and pay no turn of the event loop here.
 */
export function syncAnswer(
  deps: GatewayDeps,
  runs: Array<{ flow: string; runId: string }>,
): Promise<{ ended: true; body: unknown } | { ended: false }> | undefined {
  const sync = runs.filter((r) => {
    const trigger = deps.engine.flows.get(r.flow)?.flow.trigger;
    return trigger !== undefined && !isScheduleTrigger(trigger) && trigger.respond === 'sync';
  });
  return sync.length === 0 ? undefined : waitForSync(deps, runs, sync);
}

async function waitForSync(
  deps: GatewayDeps,
  runs: Array<{ flow: string; runId: string }>,
  sync: Array<{ flow: string; runId: string }>,
): Promise<{ ended: true; body: unknown } | { ended: false }> {
  const timeoutMs = Math.max(
    ...sync.map((r) => {
      const trigger = deps.engine.flows.get(r.flow)!.flow.trigger as { respondTimeout?: string };
      return parseDuration(trigger.respondTimeout ?? '10s');
    }),
  );
  try {
    const ended = await Promise.all(sync.map((r) => deps.engine.waitForRun(r.runId, { timeoutMs })));
    const body = {
      eventId: ended[0]!.event.id,
      runs: runs.map((r) => {
        const run = ended.find((e) => e.id === r.runId);
        return run
          ? { ...r, status: run.status, output: run.output ?? null, error: run.error ?? null }
          : { ...r, statusUrl: `/api/runs/${r.runId}` };
      }),
    };
    return { ended: true, body };
  } catch {
    return { ended: false };
  }
}
