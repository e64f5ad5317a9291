import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCli } from '@baton/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace';

function memoryIo(cwd: string) {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      cwd,
      env: {},
    },
    out: () => out,
    err: () => err,
  };
}

async function baton(cwd: string, ...argv: string[]) {
  const { io, out, err } = memoryIo(cwd);
  const code = await runCli(argv, io);
  return { code, out: out(), err: err() };
}

const CONNECTOR = `import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'acme-helpdesk',
  config: z.object({ apiKey: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), priority: z.number().int().optional() }),
      output: z.object({ id: z.string(), url: z.string() }),
      async run() {
        throw new Error('validate must not run actions');
      },
    }),
  },
});
`;

const CONFIG = `{
  "$schema": "${repoRoot}/packages/runtime/schemas/config.schema.json",
  "connectors": {
    "helpdesk": { "use": "./connectors/acme.mjs", "config": { "apiKey": { "$env": "ACME_KEY" } } }
  },
  "sources": { "shop": { "verify": { "scheme": "standard-webhooks", "secret": { "$env": "SHOP_SECRET" } } } }
}
`;

const ORDER_FLOW = `{
  "id": "order-ticket",
  "trigger": { "source": "shop", "event": "order.created", "if": "{{ event.data.total > 0 }}" },
  "steps": [
    { "id": "ticket", "action": "helpdesk.create-ticket", "input": { "subject": "Order {{ event.data.id }}" } },
    { "id": "urgent", "action": "helpdesk.create-ticket", "if": "{{ steps.ticket.output.id = '1' }}",
      "input": { "subject": "Urgent", "priority": 1 } }
  ]
}
`;

const NIGHTLY_FLOW = `{
  "id": "nightly",
  "trigger": { "schedule": "0 2 * * *", "timezone": "Europe/Paris" },
  "steps": [{ "id": "wait", "delay": "5m" }]
}
`;

const BAD_FLOW = `{
  "id": "bad",
  "trigger": { "source": "shopp", "event": "order.created" },
  "steps": [
    { "id": "ticket", "action": "helpdesk.create-tiket", "input": { "subject": 5 } },
    { "id": "again", "action": "helpdesk.create-ticket", "input": { "subject": "{{ steps.ticket.output.uri }}" } }
  ]
}
`;

describe('baton validate and baton graph', () => {
  let root: string;
  let hub: string;

  const write = async (relative: string, text: string) => {
    await mkdir(dirname(join(hub, relative)), { recursive: true });
    await writeFile(join(hub, relative), text);
  };

  beforeAll(async () => {
    // Inside the repository, so the connector module resolves @baton/sdk and zod as an installed one would.
    await mkdir(join(repoRoot, 'test/.tmp'), { recursive: true });
    root = await mkdtemp(join(repoRoot, 'test/.tmp/validate-'));
    hub = join(root, 'hub');
    await write('connectors/acme.mjs', CONNECTOR);
    await write('baton.config.json', CONFIG);
    await write('flows/order.json', ORDER_FLOW);
    await write('flows/nightly.json', NIGHTLY_FLOW);
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('validates a hub whose flows are all valid', async () => {
    expect(await baton(hub, 'validate')).toEqual({ code: 0, out: '✓ 2 flows valid\n', err: '' });
  });

  it('prints every problem as file:line:col message, relative to the working folder, and a summary', async () => {
    await write('flows/bad.json', BAD_FLOW);
    try {
      const result = await baton(root, 'validate', '--config', 'hub/baton.config.json');
      expect(result.code).toBe(1);
      expect(result.err).toBe('');
      expect(result.out).toBe(
        [
          'hub/flows/bad.json:3:26 /trigger/source: no source "shopp" in baton.config.json; did you mean "shop"? [TRIGGER_UNKNOWN_SOURCE]',
          'hub/flows/bad.json:5:33 /steps/0/action: connector "helpdesk" (acme-helpdesk) has no action "create-tiket"; did you mean "create-ticket"? [STEP_UNKNOWN_ACTION]',
          '✗ 2 errors in 1 of 3 flows',
          '',
        ].join('\n'),
      );
    } finally {
      await rm(join(hub, 'flows/bad.json'));
    }
  });

  it('checks only the flow files named, and names the config when it has errors too', async () => {
    await write('other.json', BAD_FLOW.replace('create-tiket', 'create-ticket').replace('shopp', 'shop'));
    const named = await baton(hub, 'validate', 'other.json');
    expect(named.code).toBe(1);
    expect(named.out).toBe(
      [
        'other.json:5:81 /steps/0/input/subject: helpdesk.create-ticket expects a string, got the number 5 [STEP_INPUT_TYPE]',
        'other.json:6:80 /steps/1/input/subject: steps.ticket.output has no field "uri" in the output of helpdesk.create-ticket; did you mean "url"? [REF_OUTPUT_PATH]',
        '✗ 2 errors in 1 of 1 flow',
        '',
      ].join('\n'),
    );

    await write('broken.config.json', CONFIG.replace('"connectors"', '"connector"'));
    const broken = await baton(hub, 'validate', '--config', 'broken.config.json', 'flows/nightly.json');
    expect(broken.code).toBe(1);
    expect(broken.out).toBe(
      [
        'broken.config.json:3:3 /connector: unknown property; did you mean "connectors"? [CONFIG_SCHEMA]',
        '✗ 1 error in broken.config.json (1 flow checked)',
        '',
      ].join('\n'),
    );
  });

  it('fails with CONFIG_NOT_FOUND without a config file', async () => {
    expect(await baton(root, 'validate')).toEqual({
      code: 1,
      out: '',
      err: 'error CONFIG_NOT_FOUND: baton.config.json does not exist; run in the folder of baton.config.json or pass --config <file>\n',
    });
  });

  it('prints a flow as Mermaid, found by file or by id', async () => {
    const byFile = await baton(hub, 'graph', 'flows/order.json');
    expect(byFile.code).toBe(0);
    expect(byFile.out).toBe(
      [
        'flowchart TD',
        '  trigger(["shop: order.created<br/>if event.data.total #gt; 0"])',
        '  step0["ticket<br/>helpdesk.create-ticket"]',
        '  trigger --> step0',
        '  step1["urgent<br/>helpdesk.create-ticket"]',
        '  step0 -->|"if steps.ticket.output.id = \'1\'"| step1',
        '  classDef fallback stroke-dasharray: 5 5',
        '  classDef compensate stroke-dasharray: 2 2',
        '  classDef failure stroke-width: 2px',
        '',
      ].join('\n'),
    );
    expect(await baton(root, 'graph', 'order-ticket', '--config', 'hub/baton.config.json')).toEqual(byFile);
  });

  it('refuses an unknown flow and an invalid one', async () => {
    const unknown = await baton(hub, 'graph', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe(
      'error FLOW_NOT_FOUND: no file nope, and no flow with id "nope" in flows; flows there: nightly, order-ticket\n',
    );

    await write('broken.json', '{ "id": "x", "steps": [] }');
    const invalid = await baton(hub, 'graph', 'broken.json');
    expect(invalid.code).toBe(1);
    expect(invalid.out).toBe('');
    expect(invalid.err).toBe(
      'broken.json:1:23 /steps: must have at least 1 item [FLOW_SCHEMA]\n' +
        'error FLOW_INVALID: broken.json is not a valid flow; fix the errors above (baton validate lists them all)\n',
    );
  });
});
