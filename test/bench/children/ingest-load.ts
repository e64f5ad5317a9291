/**
 * The ingest load generator, in a process of its own so it does not share
 * the server's event loop: autocannon posts signed Standard Webhooks (a
 * fresh `webhook-id` and signature per request) at a fixed number of
 * connections for a fixed time, after a short warm-up, and prints one JSON
 * line with what it measured.
 *
 * With `amount`, sends that many requests instead, without warm-up; with
 * `rate`, at most that many per second.
 *
 * argv[2]: JSON { url, connections, durationS, warmupS, amount, rate, eventType, bodyBytes }
 */
import autocannon from 'autocannon';
import { orderBody, signedHeaders } from '../lib/sign';

interface LoadOptions {
  url: string;
  connections: number;
  durationS?: number;
  warmupS?: number;
  amount?: number;
  rate?: number;
  eventType: string;
  bodyBytes: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const body = orderBody(options.eventType, options.bodyBytes);

function blast(length: { duration: number } | { amount: number }): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    ...length,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        body,
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json', ...signedHeaders(body) },
        }),
      },
    ],
  });
}

// From here: what sending costs, without the process's start and its imports.
const cpuAtStart = process.cpuUsage();
const warmup = options.warmupS ? await blast({ duration: options.warmupS }) : undefined;
const result = await blast(
  options.amount ? { amount: options.amount } : { duration: options.durationS ?? 5 },
);
const ok = result['2xx'];
const cpu = process.cpuUsage(cpuAtStart);
const answered = result.requests.total + (warmup?.requests.total ?? 0);
console.log(
  JSON.stringify({
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    /** Every request answered, warm-up included (for CPU time per request). */
    answered,
    /** This process's CPU time per answered request, in µs (signing included). */
    cpuUsPerRequest: (cpu.user + cpu.system) / answered,
    errors: result.errors + result.timeouts + result.non2xx,
    statuses: result.statusCodeStats,
    bodyBytes: Buffer.byteLength(body),
  }),
);
