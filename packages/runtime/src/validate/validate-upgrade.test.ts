import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { validateHub } from './validate-hub';

/** Two versions of one connector: 2.0 renames an action, adds a required input, narrows an enum, drops an output field. */
const crm = (version: 1 | 2) => `import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

const never = async () => { throw new Error('validation must not run actions'); };
export default defineConnector({
  name: 'crm',
  config: z.object({}),
  actions: {
    '${version === 1 ? 'find-contact' : 'lookup-contact'}': defineAction({
      input: z.object({ email: z.string() }),
      output: z.object({ id: z.string(), owner: z.object({ email: z.string() }) }),
      run: never,
    }),
    'create-deal': defineAction({
      input: z.object({
        name: z.string(),
        stage: z.enum(${version === 1 ? "['lead', 'won']" : "['won']"}),
        ${version === 2 ? 'pipeline: z.string(),' : ''}
      }),
      output: z.object({ id: z.string()${version === 1 ? ', url: z.string()' : ''} }),
      run: never,
    }),
  },
});
`;

const FLOW = `{
  "id": "deal-on-signup",
  "trigger": { "source": "shop", "event": "customer.created" },
  "steps": [
    { "id": "find", "action": "crm.find-contact", "input": { "email": "{{ event.data.email }}" } },
    { "id": "deal", "action": "crm.create-deal", "input": { "name": "New customer", "stage": "lead" } },
    { "id": "tell", "action": "crm.create-deal", "input": { "name": "{{ steps.deal.output.url }}", "stage": "won" } }
  ]
}
`;

/**
 * After a connector upgrade, `baton validate` names every field of every
 * flow the new version broke, each with its file, line and column: the
 * action gone, the input now required, the value no longer accepted, the
 * output field no longer there.
 */
describe('validateHub after a connector upgrade', () => {
  let hub: Awaited<ReturnType<typeof tempFolder>>;
  const config = (version: 1 | 2) =>
    JSON.stringify({
      flows: './flows',
      connectors: { crm: { use: `./connectors/crm-v${version}.mjs` } },
      sources: { shop: { verify: { scheme: 'hmac-sha256', secret: 'test-secret', header: 'x-signature' } } },
    });

  beforeAll(async () => {
    hub = await tempFolder('upgrade-');
    await hub.write('connectors/crm-v1.mjs', crm(1));
    await hub.write('connectors/crm-v2.mjs', crm(2));
    await hub.write('flows/deal.json', FLOW);
  });
  afterAll(() => hub.remove());

  it('finds nothing to say with the version the flow was written for', async () => {
    await hub.write('baton.config.json', config(1));
    const result = await validateHub({ configPath: join(hub.path, 'baton.config.json') });
    expect(result.diagnostics.map((d) => formatDiagnostic(d, { cwd: hub.path }))).toEqual([]);
  });

  it('names each flow field the new version broke', async () => {
    await hub.write('baton.config.json', config(2));
    const result = await validateHub({ configPath: join(hub.path, 'baton.config.json') });
    const lines = result.diagnostics.map((d) => formatDiagnostic(d, { cwd: hub.path }));
    expect(lines).toEqual([
      expect.stringMatching(
        /^flows\/deal\.json:5:\d+ \/steps\/0\/action: .*"find-contact".*\[STEP_UNKNOWN_ACTION\]$/,
      ),
      expect.stringMatching(
        /^flows\/deal\.json:6:\d+ \/steps\/1\/input\/pipeline: required by crm\.create-deal \[STEP_INPUT_MISSING\]$/,
      ),
      expect.stringMatching(/^flows\/deal\.json:6:\d+ \/steps\/1\/input\/stage: .*\[STEP_INPUT_VALUE\]$/),
      expect.stringMatching(
        /^flows\/deal\.json:7:\d+ \/steps\/2\/input\/pipeline: required by crm\.create-deal \[STEP_INPUT_MISSING\]$/,
      ),
      expect.stringMatching(
        /^flows\/deal\.json:7:\d+ \/steps\/2\/input\/name: .*"url".*\[REF_OUTPUT_PATH\]$/,
      ),
    ]);
  });
});
