import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { type ConnectorInstance, createConnectorInstance } from '@baton/sdk/host';
import { afterAll, beforeAll } from 'vitest';

/** The sandbox of one test file: started before its tests, closed after them. */
export interface TestSandbox {
  readonly url: string;
  readonly state: RunningSandbox['state'];
}

/**
 * Starts a sandbox of the business systems on a free loopback port for the
 * calling test file (its `beforeAll`/`afterAll`), so a connector's tests
 * call a real server.
 */
export function useSandbox(): TestSandbox {
  let running: RunningSandbox | undefined;
  beforeAll(async () => {
    running = await startSandbox({ port: 0 });
  });
  afterAll(() => running?.close());
  const current = () => {
    if (!running) throw new Error('the sandbox runs only inside the tests of the file that uses it');
    return running;
  };
  return {
    get url() {
      return current().url;
    },
    get state() {
      return current().state;
    },
  };
}

/** Makes instances of `connector` allowed to call loopback addresses (the sandbox, test servers). */
export function loopbackInstances(
  connector: Parameters<typeof createConnectorInstance>[0],
): (config: unknown) => ConnectorInstance {
  return (config) =>
    createConnectorInstance(connector, config, { egress: { allow: ['loopback', 'localhost'] } });
}
