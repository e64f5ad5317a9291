import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../_test-cli';

/**
 * `baton run` in-process, on flows without connectors (a 1ms delay), so each
 * case shows which event a file becomes.
 */
describe('baton run --event / --data', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'baton-run-'));
    const files: Record<string, unknown> = {
      'baton.config.json': {
        flows: './flows',
        connectors: {},
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: 'whsec_dGVzdA==' } } },
      },
      'flows/order.json': {
        id: 'order',
        trigger: { source: 'shop', event: 'order.created' },
        steps: [{ id: 'pause', delay: '1ms' }],
        output: { sku: '{{ event.data.data.sku }}' },
      },
      'flows/manual.json': { id: 'manual', steps: [{ id: 'pause', delay: '1ms' }] },
      'raw.json': { id: 'ord_1', sku: 'A-1' },
      'cloud.json': { type: 'order.created', data: { type: 'order.created', data: { sku: 'C-3' } } },
    };
    await mkdir(join(folder, 'flows'));
    for (const [name, json] of Object.entries(files)) {
      await writeFile(join(folder, name), JSON.stringify(json));
    }
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const run = (argv: string[]) => runInProcess(argv, folder);

  it('wraps --data as the source sends it, so the flow sees what a webhook would give it', async () => {
    const { code, stdout, stderr } = await run(['run', 'order', '--data', 'raw.json', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const record = JSON.parse(stdout);
    expect(record.event).toMatchObject({
      source: 'shop',
      type: 'order.created',
      data: { type: 'order.created', data: { id: 'ord_1', sku: 'A-1' } },
    });
    expect(record.output).toEqual({ sku: 'A-1' });
  });

  it('takes --type with --data, and the data as is for a flow started by hand', async () => {
    const typed = JSON.parse(
      (await run(['run', 'order', '--data', 'raw.json', '--type', 'order.paid', '--json'])).stdout,
    );
    expect(typed.event).toMatchObject({ type: 'order.paid', data: { type: 'order.paid' } });
    const manual = JSON.parse((await run(['run', 'manual', '--data', 'raw.json', '--json'])).stdout);
    expect(manual.event).toMatchObject({ source: 'manual', data: { id: 'ord_1', sku: 'A-1' } });
  });

  it('still runs a CloudEvent given with --event', async () => {
    const { code, stdout } = await run(['run', 'order', '--event', 'cloud.json', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).output).toEqual({ sku: 'C-3' });
  });

  it('refuses a bare body with --event for a source that wraps its data, showing the shape and --data', async () => {
    const { code, stderr } = await run(['run', 'order', '--event', 'raw.json']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error EVENT_INVALID: .*raw\.json is not a CloudEvent/);
    expect(stderr).toContain('--data ');
    expect(stderr).toContain('"shop" webhook (standard-webhooks)');
    expect(stderr).toContain('{"type":"order.created","data":{"type":"order.created"');
  });

  it('asks for exactly one of --event and --data', async () => {
    for (const argv of [
      ['run', 'order'],
      ['run', 'order', '--event', 'cloud.json', '--data', 'raw.json'],
    ]) {
      const { code, stderr } = await run(argv);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error USAGE: give one of --event FILE .* or --data FILE/);
    }
    expect((await run(['run', 'order', '--event', 'cloud.json', '--type', 'x'])).stderr).toMatch(
      /^error USAGE: --type goes with --data/,
    );
  });
});
