import { redactValue } from '@baton/sdk/host';
import type { GatewayDeps } from '../deps';

/** How often a comment line keeps idle proxies from closing the stream. */
const HEARTBEAT_MS = 15_000;
/** Chunks a slow reader may leave unread before it is told to refetch instead. */
const MAX_QUEUED = 1_000;

/**
 * `GET /api/events`: Server-Sent Events of what this process sees, as it
 * happens: every engine event (`run.started`, `step.attempt-failed`,
 * `run.ended` …, named by their `type`) and every webhook outcome
 * (`webhook`). The first event, `hello`, names the backend: on Redis, runs
 * also move in other worker processes whose events never reach this
 * stream, so clients keep polling there.
 *
 * A reader that falls more than a thousand events behind is not buffered
 * without end: events are dropped until it catches up, then it gets one
 * `resync` event telling it to refetch what it shows.
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
        send('hello', {
          backend: deps.backend.name,
          durable: deps.backend.durable,
          at: new Date(deps.now()).toISOString(),
        });
        const offEngine = deps.engine.on((event) => send(event.type, event));
        const offWebhooks = deps.metrics.activity.on((outcome) =>
          send('webhook', { ...outcome, at: new Date(outcome.at).toISOString() }),
        );
        const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
        heartbeat.unref?.();

        stop = () => {
          if (stopped) return;
          stopped = true;
          offEngine();
          offWebhooks();
          clearInterval(heartbeat);
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
