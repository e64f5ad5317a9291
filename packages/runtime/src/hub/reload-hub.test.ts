import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME_CONNECTOR, tempFolder } from '../__fixtures__/temp-folder';
import { type Hub, loadHub } from './load-hub';
import { reloadHub } from './reload-hub';

const CONFIG = {
  flows: './flows',
  connectors: { helpdesk: { use: './connectors/acme.mjs', config: { apiKey: 'k' } } },
};

function ticketFlow(subject: string, action = 'helpdesk.create-ticket') {
  return { id: 'tickets', steps: [{ id: 'open', action, input: { subject } }] };
}

describe('reloadHub', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let hub: Hub;

  beforeEach(async () => {
    folder = await tempFolder('reload-hub-');
    await folder.write('connectors/acme.mjs', ACME_CONNECTOR);
    await folder.write('flows/tickets.json', ticketFlow('first'));
    await folder.write('baton.config.json', CONFIG);
    hub = await loadHub({ configPath: join(folder.path, 'baton.config.json'), env: {} });
  });
  afterEach(() => folder.remove());

  it('returns the edited flows, a new version, with the running instances kept', async () => {
    const before = hub.flows[0]!.version;
    await folder.write('flows/tickets.json', ticketFlow('second'));
    await folder.write('flows/more.json', { ...ticketFlow('more'), id: 'more' });

    const reload = await reloadHub(hub, { env: {} });

    expect(reload.ok).toBe(true);
    if (!reload.ok) return;
    expect(reload.flows.map((f) => f.id).sort()).toEqual(['more', 'tickets']);
    const tickets = reload.flows.find((f) => f.id === 'tickets')!;
    expect(tickets.version).not.toBe(before);
    expect(tickets.flow.steps[0]).toMatchObject({ input: { subject: 'second' } });
    expect(reload.restartNeeded).toEqual([]);
    expect(reload.hub.flows).toBe(reload.flows);
    expect(reload.hub.instances).toBe(hub.instances);
    expect(reload.hub.flowFiles.get('more')).toBe(join(folder.path, 'flows/more.json'));
    // The hub given is left as it was.
    expect(hub.flows.map((f) => f.version)).toEqual([before]);
  });

  it('keeps the version of a flow whose file changed only in layout', async () => {
    await folder.write('flows/tickets.json', JSON.stringify(ticketFlow('first')));
    const reload = await reloadHub(hub, { env: {} });
    expect(reload.ok && reload.flows[0]!.version).toBe(hub.flows[0]!.version);
  });

  it('refuses an invalid change with diagnostics as baton validate prints them', async () => {
    await folder.write('flows/tickets.json', ticketFlow('first', 'helpdesk.close-ticket'));
    await folder.write('flows/broken.json', '{ "id": "broken", ');

    const reload = await reloadHub(hub, { env: {}, cwd: folder.path });

    expect(reload).toEqual({
      ok: false,
      diagnostics: [
        expect.stringMatching(/^flows\/broken\.json:1:\d+ .* \[FLOW_JSON_SYNTAX\]$/),
        expect.stringMatching(
          /^flows\/tickets\.json:6:\d+ \/steps\/0\/action: .*"close-ticket".* \[STEP_UNKNOWN_ACTION\]$/,
        ),
      ],
    });
    expect(hub.flows[0]!.flow.steps[0]).toMatchObject({ action: 'helpdesk.create-ticket' });
  });

  it('refuses a config that is gone, naming the file', async () => {
    await folder.remove();
    const reload = await reloadHub(hub, { env: {} });
    expect(reload).toEqual({
      ok: false,
      diagnostics: [expect.stringMatching(/baton\.config\.json:1:1 .* \[CONFIG_NOT_FOUND\]$/)],
    });
  });

  it('lists connector and source changes as needing a restart, and loads the flows', async () => {
    await folder.write('baton.config.json', {
      ...CONFIG,
      connectors: {
        helpdesk: { ...CONFIG.connectors.helpdesk, config: { apiKey: 'rotated' } },
        spare: { use: './connectors/acme.mjs', config: { apiKey: 's' } },
      },
      sources: { shop: { verify: { scheme: 'github', secret: 'x' } } },
      retention: { runs: 5 },
    });
    await folder.write('flows/tickets.json', ticketFlow('second'));

    const reload = await reloadHub(hub, { env: {} });

    expect(reload.ok).toBe(true);
    if (!reload.ok) return;
    expect(reload.restartNeeded).toEqual([
      'connectors.helpdesk',
      'connectors.spare',
      'sources.shop',
      'retention',
    ]);
    expect(reload.flows[0]!.flow.steps[0]).toMatchObject({ input: { subject: 'second' } });
    // What runs stays what was loaded at start-up: the next reload still says so.
    expect(reload.hub.config).toEqual(hub.config);
    expect(reload.hub.sources).toBe(hub.sources);
    expect(reload.hub.instances.get('helpdesk')!.config).toEqual({ apiKey: 'k' });
    const again = await reloadHub(reload.hub, { env: {} });
    expect(again.ok && again.restartNeeded).toContain('connectors.helpdesk');
  });

  it('refuses a flow that calls an instance added since start-up', async () => {
    await folder.write('baton.config.json', {
      ...CONFIG,
      connectors: { ...CONFIG.connectors, spare: { use: './connectors/acme.mjs', config: { apiKey: 's' } } },
    });
    await folder.write('flows/tickets.json', ticketFlow('first', 'spare.create-ticket'));

    const reload = await reloadHub(hub, { env: {}, cwd: folder.path });

    expect(reload).toEqual({
      ok: false,
      diagnostics: [
        'flows/tickets.json:6:17 /steps/0/action: connector instance "spare" is not running: it was added to the config after start-up; restart to load it [STEP_INSTANCE_NOT_RUNNING]',
      ],
    });
  });
});
