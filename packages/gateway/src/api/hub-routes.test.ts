import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EventSourceMessage, EventSourceParserStream } from 'eventsource-parser/stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfigPath, gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';
import { orderBody, signers } from '../test-support/signers';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;
const TOKEN = 'admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** Reads Server-Sent Events until one matches, returning it and every event seen before. */
async function readUntil(
  reader: ReadableStreamDefaultReader<EventSourceMessage>,
  match: (message: EventSourceMessage) => boolean,
): Promise<EventSourceMessage[]> {
  const seen: EventSourceMessage[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before the awaited event; saw ${seen.map((m) => m.event)}`);
    seen.push(value);
    if (match(value)) return seen;
  }
}

function events(response: Response) {
  return response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
}

describe('dashboard API routes', () => {
  let gw: Fixture | undefined;
  const folders: string[] = [];
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('need the bearer token like the rest of /api, and are in the OpenAPI document', async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
    for (const path of ['/api/status', '/api/webhooks/activity', '/api/diagnostics', '/api/events']) {
      const res = await gw.app.request(path);
      expect(res.status, path).toBe(401);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('UNAUTHORIZED');
    }
    const doc = await json<{ paths: Record<string, unknown> }>(
      gw.app.request('/api/openapi.json', { headers: auth }),
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/status', '/webhooks/activity', '/diagnostics', '/events']),
    );
  });

  it('GET /api/status answers the backend, the queue depth and the runs by status', async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
    const { runId } = await gw.engine.trigger('order', { data: { sku: 'A-1', qty: 1 } });
    await gw.engine.waitForRun(runId);
    const status = await json(gw.app.request('/api/status', { headers: auth }));
    expect(status).toEqual({
      backend: { name: 'embedded', durable: false, reachable: true, error: null },
      queue: { waiting: expect.any(Number), delayed: expect.any(Number), active: expect.any(Number) },
      runs: { queued: 0, running: 0, waiting: 0, succeeded: 1, failed: 0, cancelled: 0 },
      draining: false,
    });
  });

  it('GET /api/webhooks/activity counts webhook outcomes by source over the last hour', async () => {
    gw = await gatewayFixture({ apiToken: TOKEN });
    const body = orderBody();
    await gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) });
    await gw.app.request('/webhooks/shop', {
      method: 'POST',
      body,
      headers: { ...signers.standard(body), 'webhook-signature': 'v1,bm90LWEtc2lnbmF0dXJl' },
    });
    await gw.app.request('/webhooks/nobody', { method: 'POST', body: '{}' });
    const activity = await json<{
      windowMinutes: number;
      sources: Array<{ source: string; total: number; outcomes: Record<string, number>; minutes: unknown[] }>;
    }>(gw.app.request('/api/webhooks/activity', { headers: auth }));
    expect(activity.windowMinutes).toBe(60);
    const shop = activity.sources.find((s) => s.source === 'shop');
    expect(shop).toMatchObject({ total: 2, outcomes: { accepted: 1, signature_invalid: 1 } });
    expect(shop?.minutes).toHaveLength(60);
    expect(activity.sources.find((s) => s.source === 'unknown')?.outcomes).toEqual({ source_not_found: 1 });
  });

  it('GET /api/diagnostics checks the files on disk as a restart would, with secrets kept out', async () => {
    // Inside the package (git-ignored .tmp), so the copied connector still resolves @baton/sdk.
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    const folder = await mkdtemp(join(scratch, 'diagnostics-'));
    folders.push(folder);
    await cp(join(fixtureConfigPath, '..'), folder, { recursive: true });
    gw = await gatewayFixture({ apiToken: TOKEN, configPath: join(folder, 'baton.config.json') });

    const clean = await json<{ valid: boolean; flows: Array<{ id: string; loaded: boolean }> }>(
      gw.app.request('/api/diagnostics', { headers: auth }),
    );
    expect(clean.valid).toBe(true);
    expect(clean.flows.map((f) => [f.id, f.loaded]).sort()).toEqual([
      ['github-push', true],
      ['order', true],
      ['payments', true],
      ['quote', true],
      ['store-orders', true],
    ]);

    // An operator edits a running flow and adds a file that names a literal secret by mistake.
    await writeFile(
      join(folder, 'flows/order.json'),
      JSON.stringify(
        { id: 'order', steps: [{ id: 'stock', action: 'shop.reserve-all', input: {} }] },
        null,
        2,
      ),
    );
    await writeFile(
      join(folder, 'flows/new.json'),
      JSON.stringify({ id: 'new', trigger: { source: 'legacy-secret-value', event: 'x' }, steps: [] }),
    );
    await writeFile(join(folder, 'flows/broken.json'), '{ "id": "broken", ');
    const answer = await json<{
      valid: boolean;
      flows: Array<{
        path: string;
        id: string | null;
        loaded: boolean;
        definition: unknown;
        diagnostics: Array<{ path: string; line: number; pointer: string; code: string; message: string }>;
      }>;
    }>(gw.app.request('/api/diagnostics', { headers: auth }));
    expect(answer.valid).toBe(false);
    const order = answer.flows.find((f) => f.path === 'flows/order.json')!;
    expect(order).toMatchObject({ id: 'order', loaded: true, definition: { id: 'order' } });
    expect(order.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'STEP_UNKNOWN_ACTION', pointer: '/steps/0/action', line: 6, col: 17 }),
    );
    const added = answer.flows.find((f) => f.path === 'flows/new.json')!;
    expect(added).toMatchObject({ id: null, loaded: false, definition: null });
    expect(added.diagnostics.map((d) => d.code)).toContain('FLOW_SCHEMA');
    const broken = answer.flows.find((f) => f.path === 'flows/broken.json')!;
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['FLOW_JSON_SYNTAX']);
    expect(JSON.stringify(answer)).not.toContain('legacy-secret-value');
  });

  it('GET /api/events streams engine events and webhook outcomes as Server-Sent Events', async () => {
    const closing = new AbortController();
    gw = await gatewayFixture({ apiToken: TOKEN, closing: closing.signal });
    const res = await gw.app.request('/api/events', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events(res);
    const [hello] = await readUntil(reader, (m) => m.event === 'hello');
    expect(JSON.parse(hello!.data)).toMatchObject({ backend: 'embedded', durable: false });

    const body = orderBody({ sku: 'A-1', qty: 2 });
    const accepted = await json<{ runs: Array<{ runId: string }> }>(
      gw.app.request('/webhooks/shop', { method: 'POST', body, headers: signers.standard(body) }),
    );
    const runId = accepted.runs[0]!.runId;
    const seen = await readUntil(
      reader,
      (m) => m.event === 'run.ended' && JSON.parse(m.data).runId === runId,
    );
    const names = seen.map((m) => m.event);
    expect(names).toContain('webhook');
    expect(names).toContain('run.started');
    expect(names).toContain('step.ended');
    expect(JSON.parse(seen.find((m) => m.event === 'webhook')!.data)).toMatchObject({
      source: 'shop',
      outcome: 'accepted',
    });
    expect(JSON.parse(seen.at(-1)!.data)).toMatchObject({ runId, flow: 'order', status: 'succeeded' });

    // Closing the gateway ends open streams, so the server's close() is not held open by them.
    closing.abort();
    for (;;) if ((await reader.read()).done) break;
  });
});
