import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageConnector, tempFolder } from '../__fixtures__/temp-folder';
import { decodeRun, runFields } from '../backend/redis/run-codec';
import { newRun } from '../model/new-run';
import { loadHub } from './load-hub';

/** A run names the connector packages, with their versions, of the instances its flow calls. */
describe('connector packages in runs', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  beforeAll(async () => {
    folder = await tempFolder('connector-packages-');
    for (const [file, content] of Object.entries(packageConnector('acme-mailer'))) {
      await folder.write(`node_modules/acme-mailer/${file}`, content);
    }
    await folder.write('connectors/own.mjs', "export { default } from 'acme-mailer';\n");
    await folder.write('package.json', { name: 'my-hub', version: '3.1.0', private: true });
    await folder.write('baton.config.json', {
      flows: './flows',
      connectors: {
        mail: { use: 'acme-mailer' },
        own: { use: './connectors/own.mjs' },
        idle: { use: 'acme-mailer' },
      },
    });
    await folder.write('flows/notify.json', {
      id: 'notify',
      steps: [
        {
          id: 'a',
          action: 'mail.send',
          input: { to: 'a@example.com' },
          fallback: [{ action: 'own.send', input: { to: 'b' } }],
        },
      ],
    });
  });
  afterAll(() => folder.remove());

  it('are found at load for the instances a flow calls, and recorded by every new run of it', async () => {
    const hub = await loadHub({ configPath: join(folder.path, 'baton.config.json'), env: {} });
    const flow = hub.flows[0]!;
    // A module of the hub's own belongs to the hub's package; an instance the flow never calls is left out.
    expect(flow.connectors).toEqual({ mail: 'acme-mailer@1.0.0', own: 'my-hub@3.1.0' });
    const event = {
      specversion: '1.0' as const,
      id: 'e1',
      source: 'manual',
      type: 'go',
      time: new Date(0).toISOString(),
      data: {},
    };
    const run = newRun(flow, event, 'manual', Date.now());
    expect(run.connectors).toEqual({ mail: 'acme-mailer@1.0.0', own: 'my-hub@3.1.0' });
    // Kept on Redis too (the run's head).
    expect(decodeRun(run.id, runFields(run))?.connectors).toEqual(run.connectors);
  });
});
