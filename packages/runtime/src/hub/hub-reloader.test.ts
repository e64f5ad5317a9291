import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME_CONNECTOR, tempFolder } from '../__fixtures__/temp-folder';
import { createEmbeddedBackend } from '../backend/embedded/index';
import type { Engine } from '../engine/engine-api';
import { createHubEngine } from './hub-engine';
import { createHubReloader } from './hub-reloader';
import { type Hub, loadHub } from './load-hub';

function ticketFlow(subject: string, action = 'helpdesk.create-ticket') {
  return { id: 'tickets', steps: [{ id: 'open', action, input: { subject } }] };
}

describe('createHubReloader', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let hub: Hub;
  let engine: Engine;

  beforeEach(async () => {
    folder = await tempFolder('hub-reloader-');
    await folder.write('connectors/acme.mjs', ACME_CONNECTOR);
    await folder.write('flows/tickets.json', ticketFlow('first'));
    await folder.write('baton.config.json', {
      flows: './flows',
      connectors: { helpdesk: { use: './connectors/acme.mjs', config: { apiKey: 'k' } } },
    });
    hub = await loadHub({ configPath: join(folder.path, 'baton.config.json'), env: {} });
    engine = createHubEngine(hub, createEmbeddedBackend());
  });
  afterEach(async () => {
    await engine.stop({ drainMs: 0 });
    await engine.backend.close();
    await folder.remove();
  });

  it("makes a valid change the engine's current flows and its hub the reloader's", async () => {
    const seen: Hub[] = [];
    const reloader = createHubReloader(hub, engine, { onReloaded: (h) => seen.push(h) });
    await folder.write('flows/tickets.json', ticketFlow('second'));

    // Asked twice at once: one after the other, both on the files as they are.
    const [first, second] = await Promise.all([reloader.reload(), reloader.reload()]);

    const version = engine.flows.get('tickets')!.version;
    expect(version).not.toBe(hub.flows[0]!.version);
    expect(first).toEqual({ ok: true, flows: [{ id: 'tickets', version }], restartNeeded: [] });
    expect(second).toEqual(first);
    expect(seen).toHaveLength(2);
    expect(reloader.hub).toBe(seen[1]);
  });

  it('leaves the engine and the hub as they were when the change is refused', async () => {
    const reloader = createHubReloader(hub, engine);
    const before = engine.flows.get('tickets');
    await folder.write('flows/tickets.json', ticketFlow('first', 'helpdesk.nope'));

    const outcome = await reloader.reload();

    expect(outcome).toEqual({ ok: false, diagnostics: [expect.stringContaining('[STEP_UNKNOWN_ACTION]')] });
    expect(engine.flows.get('tickets')).toBe(before);
    expect(reloader.hub).toBe(hub);
  });
});
