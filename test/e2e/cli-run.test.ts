import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, hubFolder, shopConnectorModule } from '../helpers/cli';

describe('baton run', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  const env = { ...process.env, SHOP_KEY: 'sk_canary_0192837465' };

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        flows: './flows',
        connectors: { shop: { use: './connectors/shop.mjs', config: { apiKey: { $env: 'SHOP_KEY' } } } },
        sources: {},
      },
      'connectors/shop.mjs': shopConnectorModule,
      'flows/order.json': {
        id: 'order',
        steps: [
          {
            id: 'stock',
            action: 'shop.reserve',
            input: { sku: '{{ event.data.sku }}', qty: '{{ event.data.qty }}' },
            compensate: { action: 'shop.refund', input: { charge: '{{ steps.stock.output.id }}' } },
          },
          {
            id: 'charge',
            action: 'shop.charge',
            retry: { maxAttempts: 3, initialInterval: '10ms' },
            input: { amount: '{{ event.data.total }}' },
            compensate: { action: 'shop.refund', input: { charge: '{{ steps.charge.output.id }}' } },
          },
          {
            id: 'low',
            action: 'shop.reserve',
            if: '{{ steps.stock.output.remaining < 5 }}',
            input: { sku: 'alert', qty: 0 },
          },
        ],
        output: { charge: '{{ steps.charge.output.id }}' },
      },
      'flows/refund-ok.json': {
        id: 'refund-ok',
        steps: [{ id: 'ok', timeout: '300ms', approval: { title: 'Refund {{ event.data.total }}?' } }],
      },
      'event.json': { id: 'evt-1', type: 'order.created', data: { sku: 'A-1', qty: 2, total: 40 } },
      'big.json': { data: { sku: 'A-1', qty: 7, total: 5000 } },
      'raw.json': { sku: 'B', qty: 1, total: 10 },
    });
  });
  afterAll(async () => hub?.remove());

  it('shows each step live and exits 0 when the run succeeds', async () => {
    const { code, stdout, stderr } = await baton(['run', 'order', '--event', 'event.json'], hub.path, env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^> order run_[0-9a-z]{26}$/);
    expect(stdout).toContain('\n  *     stock              shop.reserve\n');
    expect(stdout).toMatch(
      /\n {2}retry charge {13}attempt 1 of shop\.charge failed: RETRYABLE: gateway hiccup \(retrying in \d+ms\)\n/,
    );
    expect(stdout).toMatch(/\n {2}ok {4}charge {13}\d+ms via shop\.charge\n/);
    expect(stdout).toContain('\n  -     low                skipped: condition is false\n');
    expect(stdout).toMatch(/ok order succeeded in \d+ms\noutput: \{\n {2}"charge": "ch-40"\n\}\n$/);
  });

  it('exits 1 and shows the compensation when the run fails', async () => {
    const { code, stdout } = await baton(['run', 'flows/order.json', '--event', 'big.json'], hub.path, env);
    expect(code).toBe(1);
    expect(stdout).toMatch(/\n {2}x {5}charge {13}\d+ms card_declined: card declined\n/);
    expect(stdout).toMatch(/\n {2}undo {2}stock {14}compensating with shop\.refund\n/);
    expect(stdout).toContain('x order failed');
    expect(stdout).toContain('error card_declined: Step "charge" failed: card declined');
  });

  it('says what a waiting step waits for, and how long at most', async () => {
    const { code, stdout } = await baton(['run', 'refund-ok', '--event', 'raw.json'], hub.path, env);
    expect(code).toBe(1);
    expect(stdout).toMatch(/\n {2}\S+ +ok +waiting for a decision: Refund 10\? at most 300ms\n/);
    expect(stdout).toContain('WAIT_TIMEOUT');
  });

  it('prints the run record with --json, and takes a bare payload as data', async () => {
    const { code, stdout } = await baton(['run', 'order', '--event', 'raw.json', '--json'], hub.path, env);
    expect(code).toBe(0);
    const run = JSON.parse(stdout);
    expect(run).toMatchObject({
      flow: 'order',
      status: 'succeeded',
      event: { source: 'manual', data: { sku: 'B' } },
    });
    expect(stdout).not.toContain('sk_canary_0192837465');
  });

  it('names what is wrong: usage, unknown flow, missing event file, missing secret', async () => {
    expect(await baton(['run', 'order'], hub.path, env)).toMatchObject({
      code: 1,
      stderr:
        'error USAGE: give one of --event FILE (a CloudEvent: { "type": "order.created", "data": { … } }) or --data FILE (the data as baton send takes it)\n',
    });
    expect(await baton(['run', 'nope', '--event', 'event.json'], hub.path, env)).toMatchObject({
      code: 1,
      stderr: 'error FLOW_NOT_FOUND: no flow "nope" in baton.config.json (flows: order, refund-ok)\n',
    });
    expect((await baton(['run', 'order', '--event', 'missing.json'], hub.path, env)).stderr).toMatch(
      /^error EVENT_NOT_FOUND: .*missing\.json does not exist\n$/,
    );
    await writeFile(join(hub.path, 'bad.json'), '{ nope');
    expect((await baton(['run', 'order', '--event', 'bad.json'], hub.path, env)).stderr).toMatch(
      /^error EVENT_INVALID: /,
    );
    await writeFile(join(hub.path, 'deep.json'), `{"data":${'['.repeat(65)}${']'.repeat(65)}}`);
    expect((await baton(['run', 'order', '--event', 'deep.json'], hub.path, env)).stderr).toMatch(
      /^error EVENT_INVALID: .*deep\.json: the data nests arrays and objects more than 64 levels deep, which the gateway refuses \(maxBodyDepth\)\n$/,
    );
    const noSecret = await baton(['run', 'order', '--event', 'event.json'], hub.path, {
      ...process.env,
      SHOP_KEY: '',
    });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('SHOP_KEY');
  });
});
