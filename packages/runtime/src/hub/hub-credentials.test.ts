import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME_CONNECTOR, tempFolder } from '../__fixtures__/temp-folder';
import { createEmbeddedBackend } from '../backend/embedded/index';
import { createHubEngine } from './hub-engine';
import { loadHub } from './load-hub';

describe("a hub's credentials", () => {
  let hub: Awaited<ReturnType<typeof tempFolder>>;

  beforeEach(async () => {
    hub = await tempFolder('hub-credentials-');
    await hub.write('connectors/acme.mjs', ACME_CONNECTOR);
    await hub.write('flows/.keep', '');
    await hub.write('baton.config.json', {
      flows: './flows',
      connectors: { helpdesk: { use: './connectors/acme.mjs', config: { apiKey: 'k' } } },
    });
  });
  afterEach(() => hub.remove());

  it("stay in the process until the hub runs on a backend, then are the backend's", async () => {
    const loaded = await loadHub({ configPath: join(hub.path, 'baton.config.json'), env: {} });
    await loaded.credentials.set('helpdesk', { fingerprint: 'before' });
    const backend = createEmbeddedBackend();
    expect(await backend.credentials.get('helpdesk')).toBeUndefined();

    createHubEngine(loaded, backend);
    await loaded.credentials.set('helpdesk', { fingerprint: 'shared', accessToken: 't' });
    expect(await backend.credentials.get('helpdesk')).toEqual({ fingerprint: 'shared', accessToken: 't' });
    expect(await loaded.credentials.lock('helpdesk', 1_000)).toBe(true);
    expect(await backend.credentials.lock('helpdesk', 1_000)).toBe(false);
    await loaded.credentials.unlock('helpdesk');
    expect(await backend.credentials.lock('helpdesk', 1_000)).toBe(true);
    await backend.close();
  });
});
