import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder } from '../helpers/cli';
import { startRedisServer } from '../helpers/redis-server';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';
import { startVendor, vendorConnectorModule } from '../helpers/vendor';
import { apiRequest, send, signedWebhook, steadyTraffic } from './gateway-traffic';

const SECRET = `whsec_${Buffer.from('redis-dies-under-load-secret-42').toString('base64')}`;
/** Long enough for anything that logs on a timer (ioredis reconnects, BullMQ polls) to show up more than once. */
const OUTAGE_MS = 7000;

/** A pino line of the gateway's log. */
interface LogLine {
  level: number;
  time: number;
  msg: string;
}

function logLines(stdout: string): LogLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `baton serve` on a Redis that is killed (SIGKILL) while webhooks and
 * admin API requests keep coming: every answer to a request sent after the
 * kill is 503 + Retry-After + BACKEND_UNAVAILABLE, never a 500; the process
 * stays up and logs the outage once (not once per request, nor per poll of
 * its worker); once Redis is back webhooks are accepted again.
 */
describe('Redis dies under load', () => {
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;

  beforeAll(async () => {
    vendor = await startVendor();
    hub = await hubFolder({
      'baton.config.json': {
        connectors: {
          vendor: { use: './vendor.mjs', config: { baseUrl: vendor.url }, egress: { allow: ['loopback'] } },
        },
        sources: {
          // A rate limit far above the traffic, so every webhook also goes through the shared limiter.
          shop: {
            verify: { scheme: 'standard-webhooks', secret: SECRET },
            rateLimit: { requests: 1_000_000, per: '1s' },
          },
        },
      },
      'vendor.mjs': vendorConnectorModule,
      'flows/record.json': {
        id: 'record',
        trigger: { source: 'shop', event: 'order.created' },
        steps: [{ id: 'record', action: 'vendor.record', input: { seq: '{{ event.data.data.seq }}' } }],
      },
    });
  });
  afterEach(async () => {
    killChildren();
    await redis?.stop();
  });
  afterAll(async () => {
    await vendor.close();
    await hub.remove();
  });

  it('answers 503 BACKEND_UNAVAILABLE to webhooks and the admin API, logs the outage once, and recovers', async () => {
    redis = await startRedisServer(['--appendonly', 'yes']);
    const serve = spawnBaton(['serve', '--port', '0', '--concurrency', '4'], {
      cwd: hub.path,
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        BATON_REDIS_PREFIX: '{baton}',
        BATON_API_TOKEN: '',
        BATON_LOG_LEVEL: 'info',
      },
    });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/, 60_000);
    const base = url!;

    // A finished run for the run reads, replays and cancels to work on.
    const first = await fetch(`${base}/webhooks/shop`, signedWebhook('shop', SECRET, 'first').make().init);
    expect(first.status).toBe(202);
    const runId = ((await first.json()) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    await until(async () => {
      const run = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as { status: string };
      return run.status === 'succeeded' ? true : undefined;
    }, 'the first run succeeds');

    const traffic = steadyTraffic(base, [
      ...[1, 2, 3, 4].map((n) => signedWebhook('shop', SECRET, `load-${n}`)),
      apiRequest('GET', '/api/runs?limit=5'),
      apiRequest('GET', `/api/runs/${runId}`),
      apiRequest('GET', '/api/connectors'),
      apiRequest('POST', '/api/flows/record/trigger', { data: { seq: 0 } }),
      apiRequest('POST', `/api/runs/${runId}/replay`),
      apiRequest('POST', `/api/runs/${runId}/cancel`),
    ]);
    try {
      await until(
        async () =>
          traffic.answers.filter((a) => a.route.startsWith('POST /webhooks') && a.status === 202).length >= 40
            ? true
            : undefined,
        'webhooks are accepted',
      );
      // The gateway may see its connections reset before this process sees redis-server exit.
      const killing = Date.now();
      await redis.kill9();
      const killedAt = Date.now();
      await pause(OUTAGE_MS / 2);
      const readyDuringOutage = await send(base, apiRequest('GET', '/readyz'));
      await pause(OUTAGE_MS / 2);
      await traffic.stop();
      const outageEnd = Date.now();

      expect(readyDuringOutage.status).toBe(503);
      expect(traffic.answers.filter((a) => a.status === 0 || (a.status >= 500 && a.status !== 503))).toEqual(
        [],
      );
      const after = traffic.answers.filter((a) => a.sentAt > killedAt);
      expect(after.length).toBeGreaterThan(100);
      for (const route of new Set(traffic.answers.map((a) => a.route)))
        expect(
          after.some((a) => a.route === route),
          route,
        ).toBe(true);
      const wrong = after.filter(
        (a) => a.status !== 503 || a.code !== 'BACKEND_UNAVAILABLE' || !/^[1-9]\d*$/.test(a.retryAfter ?? ''),
      );
      expect(wrong).toEqual([]);
      expect(serve.proc.exitCode).toBeNull();

      const outageLog = logLines(serve.output().stdout).filter(
        (l) => l.time >= killing && l.time <= outageEnd,
      );
      // Hundreds of refused requests, reconnect attempts and worker polls: one line, the outage's.
      expect(outageLog.filter((l) => l.level >= 50)).toEqual([]);
      expect(outageLog.length, JSON.stringify(outageLog, null, 1)).toBeLessThanOrEqual(2);
      expect(outageLog.filter((l) => l.level === 40 && /^Redis is unavailable/.test(l.msg))).toHaveLength(1);
    } finally {
      await traffic.stop();
    }

    // The gateway may reconnect before this process has seen the new redis-server answer.
    const restarting = Date.now();
    await redis.restart();
    const afterwards = signedWebhook('shop', SECRET, 'after');
    await until(async () => {
      const answer = await send(base, afterwards);
      return answer.status === 202 ? answer : undefined;
    }, 'webhooks are accepted again');
    await until(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 'ready');
    expect((await fetch(`${base}/api/runs/${runId}`)).status).toBe(200);
    const back = () =>
      logLines(serve.output().stdout).filter((l) => l.time >= restarting && l.msg === 'Redis is back');
    await until(async () => (back().length > 0 ? true : undefined), 'the log says Redis is back', {
      timeoutMs: 10_000,
    });
    expect(back()).toEqual([expect.objectContaining({ level: 30 })]);

    await serve.stop();
    expect(await serve.exited).toBe(0);
  });
});
