import { redactValue } from '@baton/sdk/host';
import type { GatewayDeps } from '../deps';

/** How often a comment line keeps idle proxies from closing the stream. */
const HEARTBEAT_MS = 15_000;
/** Chunks a slow reader may leave unread before it is told to refetch instead. */
const MAX_QUEUED = 1_000;
/** How often readers still refetch while events of every process reach them: events are hints, records the truth. */
export const DEFAULT_SAFETY_POLL_MS = 60_000;

/**
 * `GET /api/events`: Server-Sent Events of the hub's runs as they move:
 * every engine event (`run.started`, `step.attempt-failed`, `run.ended` …,
 * named by their `type`) and every webhook outcome of this gateway
 * (`webhook`). This process's engine events come from its engine; on
 * Redis, those of every other process (`baton worker`, other gateways)
 * come through the backend's live events, bounded (an error keeps its
 * code and the start of its message).
 *
 * The first event, `hello`, names the backend and says `fleetWide: true`
 * when the events of every process reach this stream (then readers only
 * refetch every `safetyPollMs`), false when only this process's do (the
 * embedded backend, or Redis not answering the subscription yet: readers
 * keep polling). A `resync` event tells readers to refetch what they show:
 * sent when a reader fell more than a thousand events behind (events are
 * dropped until it catches up, not buffered without end), and when the
 * connection to Redis came back (other processes' events were missed).
 */
export function liveEventsResponse(deps: GatewayDeps, request: Request): Response {
  const encoder = new TextEncoder();
  // Set in start(), where the controller is; pull() and cancel() call them.
  let stop = () => {};
  let resync = () => {};

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let overflowed = false;
        let stopped = false;
        let greeted = false;
        const offs: Array<() => void> = [];
        const write = (text: string) => {
          if (overflowed || stopped) return;
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED) {
            overflowed = true;
            return;
          }
          controller.enqueue(encoder.encode(text));
        };
        const send = (event: string, data: unknown) =>
          write(`event: ${event}\ndata: ${JSON.stringify(redactValue(data, deps.hub.secrets))}\n\n`);

        // `retry` sets how soon a dropped connection may be retried by clients that honour it.
        write('retry: 3000\n\n');
        const bus = deps.backend.live?.fleetWide ? deps.backend.live : undefined;
        // This process's own events come from its engine (below): in order, and even while Redis is away.
        const fleet = bus?.subscribe(
          (event, origin) => {
            if (greeted && origin !== bus.origin) send(event.type, event);
          },
          () => {
            if (greeted)
              send('resync', { reason: 'events of other processes were missed; refetch what is shown' });
          },
        );
        if (fleet) offs.push(() => fleet.close());
        const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
        heartbeat.unref?.();
        offs.push(() => clearInterval(heartbeat));

        stop = () => {
          if (stopped) return;
          stopped = true;
          for (const off of offs.splice(0)) off();
          request.signal.removeEventListener('abort', stop);
          deps.closing?.removeEventListener('abort', end);
        };
        const end = () => {
          stop();
          try {
            controller.close();
          } catch {
            // Already closed by the reader going away.
          }
        };
        request.signal.addEventListener('abort', stop);
        // Open streams would hold the server's close() forever: end them when the gateway closes.
        deps.closing?.addEventListener('abort', end);
        if (deps.closing?.aborted) end();

        resync = () => {
          if (!overflowed || (controller.desiredSize ?? 0) <= 0) return;
          overflowed = false;
          send('resync', { reason: 'the reader fell behind; refetch what is shown' });
        };

        // The greeting waits for the subscription, so a reader greeted as fleet-wide misses nothing after it.
        return (fleet?.ready ?? Promise.resolve(false)).then((fleetWide) => {
          if (stopped) return;
          send('hello', {
            backend: deps.backend.name,
            durable: deps.backend.durable,
            fleetWide,
            safetyPollMs: deps.safetyPollMs ?? DEFAULT_SAFETY_POLL_MS,
            at: new Date(deps.now()).toISOString(),
          });
          greeted = true;
          offs.push(deps.engine.on((event) => send(event.type, event)));
          offs.push(
            deps.metrics.activity.on((outcome) =>
              send('webhook', { ...outcome, at: new Date(outcome.at).toISOString() }),
            ),
          );
        });
      },
      pull() {
        resync();
      },
      cancel() {
        stop();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 16 }),
  );

  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Proxies such as nginx buffer responses unless told not to, which would hold events back.
      'x-accel-buffering': 'no',
    },
  });
}
