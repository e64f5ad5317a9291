/**
 * A constant-rate sender for the latency scenario, in a process of its
 * own: signed Standard Webhooks at `rate` per second for `durationS`
 * seconds over keep-alive connections, each with a fresh id. Prints one
 * JSON line: per accepted request, when it was sent (epoch ms, sub-ms) and
 * the run it started, plus the count of failed requests.
 *
 * With `startAt` (epoch ms), it prints `ready` once loaded and sends its
 * first request then: a caller can read its counters just before the
 * load begins, after the sender's own start-up (tsx and its imports).
 *
 * argv[2]: JSON { url, rate, durationS, eventType, bodyBytes, startAt? }
 */
import { Agent, request } from 'node:http';
import { orderBody, signedHeaders } from '../lib/sign';

interface Options {
  url: string;
  rate: number;
  durationS: number;
  eventType: string;
  bodyBytes: number;
  startAt?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const body = orderBody(options.eventType, options.bodyBytes);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL(options.url);
const sent: Array<[number, string]> = [];
let failed = 0;

const epochNow = () => performance.timeOrigin + performance.now();

function send(): Promise<void> {
  return new Promise((resolve) => {
    const at = epochNow();
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...signedHeaders(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => {
          const runId =
            res.statusCode === 202
              ? (JSON.parse(text) as { runs: Array<{ runId: string }> }).runs[0]?.runId
              : undefined;
          if (runId) sent.push([at, runId]);
          else failed += 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      failed += 1;
      resolve();
    });
    req.end(body);
  });
}

const total = Math.round(options.rate * options.durationS);
if (options.startAt !== undefined) {
  console.log('ready');
  const wait = options.startAt - epochNow();
  // Too late to start on time: say so, the caller's counters would be off.
  if (wait < 0) throw new Error(`steady-load: ready ${Math.round(-wait)} ms after startAt`);
  await new Promise((r) => setTimeout(r, wait));
}
const start = performance.now();
const pending: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  // Sends are due at fixed times; the loop sleeps until each one is due.
  const due = start + (i * 1000) / options.rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  pending.push(send());
}
await Promise.all(pending);
agent.destroy();
console.log(JSON.stringify({ sent, failed }));
