import { createHmac } from 'node:crypto';
import { createGatewayLogger, GATEWAY_ERROR_STATUS, type RunningGateway, startGateway } from '@baton/gateway';
import { type Backend, createEmbeddedBackend, loadHub } from '@baton/runtime';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { disposableRedisBackend } from '../helpers/redis';
import { FUZZ_FLOWS, FUZZ_SECRET, FUZZ_TYPE, hostileHub } from './hostile-hub';
import { edgeSpecials, type HostilePayload, hostilePayload, nestedText, seededRandom } from './hostile-json';

/**
 * Random and adversarial JSON through ingest → expressions → API read-back:
 * deep, wide, huge strings, odd Unicode, prototype keys, odd numbers,
 * duplicate keys, broken bodies. Every answer must be the documented one
 * (never a 5xx), every accepted run must end and read back, the gateway
 * must stay up and Object.prototype untouched. FUZZ_SEED replays a seed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TERMINAL = new Set(['succeeded', 'failed']);

interface Sent {
  payload: HostilePayload;
  id: string;
  status: number;
  answer: { error?: { code: string }; runs?: Array<{ runId: string }>; duplicate?: boolean };
}

interface RunAnswer {
  id: string;
  status: string;
  event: { id: string };
  error: null | { code: string; message: string };
}

function sign(body: Buffer, id: string): Record<string, string> {
  const at = new Date();
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const text = body.toString('utf8');
  // The official library signs text; a body that is not UTF-8 gets the same HMAC over its bytes.
  const signature = Buffer.from(text).equals(body)
    ? new Webhook(FUZZ_SECRET).sign(id, at, text)
    : `v1,${createHmac('sha256', Buffer.from(FUZZ_SECRET.slice('whsec_'.length), 'base64'))
        .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]))
        .digest('base64')}`;
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

const where = (s: Sent) => `seed ${SEED}: ${s.id} (${s.payload.kind}, ${s.payload.body.byteLength} bytes)`;

/** Each answer is exactly the one its payload must get: 202, a documented 4xx, or 200 for a redelivery. */
function checkAnswers(sent: readonly Sent[]): void {
  for (const s of sent) {
    expect(s.status, where(s)).toBeLessThan(500);
    if (s.answer.duplicate) {
      expect(s.status, where(s)).toBe(200);
      continue;
    }
    const expected = s.payload.expected;
    if ('code' in expected) {
      expect({ status: s.status, code: s.answer.error?.code }, where(s)).toEqual(expected);
      expect(GATEWAY_ERROR_STATUS[expected.code as keyof typeof GATEWAY_ERROR_STATUS]).toBe(expected.status);
    } else {
      expect(s.status, `${where(s)}: ${JSON.stringify(s.answer).slice(0, 300)}`).toBe(202);
      // Every flow starts; the one with an `if` may be left out if its condition ran out of time.
      expect(s.answer.runs!.length, where(s)).toBeGreaterThanOrEqual(FUZZ_FLOWS.length - 1);
    }
  }
}

/** Reads a run back through the API once it ended: 200, JSON, ended; returns it. */
async function readBack(gateway: RunningGateway, runId: string, context: string): Promise<RunAnswer> {
  await gateway.engine.waitForRun(runId, { timeoutMs: 30_000 });
  const res = await fetch(`${gateway.url}/api/runs/${runId}`);
  expect(res.status, context).toBe(200);
  const run = (await res.json()) as RunAnswer;
  expect(run.id, context).toBe(runId);
  expect(TERMINAL.has(run.status), `${context}: ${run.status}`).toBe(true);
  return run;
}

async function fuzz(backend: Backend, count: number, label: string) {
  const hub = await hostileHub();
  const lines: Array<{ level: number }> = [];
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  let gateway: RunningGateway | undefined;
  try {
    const loaded = await loadHub({
      configPath: `${hub.path}/baton.config.json`,
      conditions: ['@baton/source'],
    });
    gateway = await startGateway({
      hub: loaded,
      backend,
      port: 0,
      concurrency: 8,
      log: createGatewayLogger({
        level: 'warn',
        secrets: loaded.secrets,
        destination: { write: (line: string) => lines.push(JSON.parse(line)) },
      }),
    });
    const url = gateway.url;

    const r = seededRandom(SEED);
    const payloads = [
      ...edgeSpecials().map((special) => hostilePayload(r, FUZZ_TYPE, special, 19)),
      ...Array.from({ length: count }, () => hostilePayload(r, FUZZ_TYPE)),
    ];
    const sent: Sent[] = [];
    const post = async (payload: HostilePayload, id: string) => {
      const res = await fetch(`${url}/webhooks/fuzz`, {
        method: 'POST',
        body: payload.body,
        headers: { ...sign(payload.body, id), 'content-type': payload.contentType },
      });
      sent.push({ payload, id, status: res.status, answer: (await res.json()) as Sent['answer'] });
    };
    await pool(payloads, 6, (payload, i) => post(payload, `fuzz-${SEED}-${label}-${i}`));
    // A few accepted bodies delivered again with their ids: duplicates, nothing new started.
    const redelivered = sent.filter((s) => s.status === 202).slice(0, 5);
    await pool(redelivered, 5, (s) => post(s.payload, s.id));
    checkAnswers(sent);
    expect(sent.filter((s) => s.answer.duplicate)).toHaveLength(redelivered.length);

    const runs = sent.filter((s) => s.status === 202 && !s.answer.duplicate);
    const failures = new Map<string, number>();
    await pool(
      runs.flatMap((s) => s.answer.runs!.map(({ runId }) => ({ s, runId }))),
      8,
      async ({ s, runId }) => {
        const run = await readBack(gateway!, runId, where(s));
        expect(run.event.id, where(s)).toBe(s.id);
        if (run.status !== 'failed') return;
        // A poison event fails its own run, with an expression error that says where.
        expect(run.error?.code, `${where(s)}: ${run.error?.message}`).toMatch(
          /^(INPUT|OUTPUT)_EXPRESSION_FAILED$/,
        );
        const reason = `${run.error!.code}: ${run.error!.message.replace(/"[^"]*"/g, '…').slice(0, 100)}`;
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      },
    );
    const answers: Record<string, number> = {};
    for (const s of sent) {
      const key = `${s.status} ${s.answer.error?.code ?? ''}`.trim();
      answers[key] = (answers[key] ?? 0) + 1;
    }
    console.log(`hostile payloads on ${label}, seed ${SEED}:`, {
      answers,
      failedRuns: Object.fromEntries(failures),
    });

    // An event stored before the gateway refused deep bodies (20 000 levels) still reads back.
    const deep = `{"name":"old","free":${nestedText(20_000)}}`;
    const old = await gateway.engine.dispatch(
      {
        specversion: '1.0',
        id: `old-deep-${label}`,
        source: 'fuzz',
        type: FUZZ_TYPE,
        time: new Date().toISOString(),
        data: JSON.parse(deep),
      },
      { dataJson: deep },
    );
    expect(old.runs.length).toBeGreaterThan(0);
    for (const { runId } of old.runs) await readBack(gateway, runId, `old deep event, run ${runId}`);

    expect((await fetch(`${url}/api/runs?limit=500`)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  } finally {
    if (gateway) await gateway.close({ drainMs: 2000 });
    else await backend.close();
    await hub.remove();
  }
}

describe('hostile payloads through ingest, expressions and read-back', () => {
  afterAll(() => console.log(`hostile payloads: seed ${SEED} (FUZZ_SEED=${SEED} replays it)`));

  it('on the embedded backend: every answer documented, every accepted run ends and reads back', async () => {
    await fuzz(createEmbeddedBackend(), 200, 'embedded');
  }, 60_000);

  it('on Redis: the same for fewer payloads', async () => {
    await fuzz(await disposableRedisBackend(), 60, 'redis');
  }, 60_000);
});
