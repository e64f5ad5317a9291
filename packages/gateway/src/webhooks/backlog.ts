import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';

/** How long a queue depth reading is trusted: one reading serves a burst. */
const FRESH_MS = 500;

/**
 * Refuses webhooks with 503 while more runs wait to start than the backlog
 * limit allows, so a stalled worker fleet does not turn into an unbounded
 * queue. The depth is read at most every half second; `check` answers a
 * promise only when it reads it (otherwise it returns, or throws, at once).
 */
export function backlogGuard(deps: GatewayDeps) {
  let readAt = 0;
  let waiting = 0;
  let reading: Promise<void> | undefined;
  const judge = () => {
    if (waiting >= deps.backlogLimit) {
      throw new GatewayError(
        'BACKLOG_FULL',
        `${waiting} runs are waiting to start (limit ${deps.backlogLimit})`,
        {
          retryAfterSeconds: 10,
        },
      );
    }
  };
  return {
    check(): Promise<void> | undefined {
      if (deps.now() - readAt <= FRESH_MS) {
        judge();
        return undefined;
      }
      reading ??= deps.backend.queue
        .depth()
        .then((depth) => {
          waiting = depth.waiting;
          readAt = deps.now();
        })
        .finally(() => {
          reading = undefined;
        });
      return reading.then(judge);
    },
  };
}
