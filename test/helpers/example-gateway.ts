import { createGatewayLogger, type RunningGateway, startGateway } from '@baton/gateway';
import { createEmbeddedBackend, loadHub } from '@baton/runtime';
import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { exampleHubAt } from './examples';

/** The example hub served by a gateway over a sandbox of its own. */
export interface ExampleGateway {
  sandbox: RunningSandbox;
  gateway: RunningGateway;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A sandbox on a free port, a copy of the example hub pointed at it (see
 * exampleHubAt, whose `editFlow` it passes on), and a gateway on the
 * embedded backend whose worker runs without the schedules: a cron tick
 * must not add runs to the tests.
 */
export async function startExampleGateway(
  options: { concurrency?: number; editFlow?: (flow: Record<string, unknown>) => void } = {},
): Promise<ExampleGateway> {
  const sandbox = await startSandbox({ port: 0 });
  const copy = await exampleHubAt(sandbox.url, options.editFlow ? { editFlow: options.editFlow } : {});
  const hub = await loadHub({ configPath: copy.configPath, env: copy.env, conditions: ['@baton/source'] });
  const gateway = await startGateway({
    hub,
    backend: createEmbeddedBackend(),
    port: 0,
    worker: false,
    log: createGatewayLogger({ level: 'silent' }),
  });
  gateway.engine.startWorker({ concurrency: options.concurrency ?? 8 });
  return {
    sandbox,
    gateway,
    env: copy.env,
    async close() {
      await gateway.close({ drainMs: 2000 });
      await sandbox.close();
      await copy.remove();
    },
  };
}
