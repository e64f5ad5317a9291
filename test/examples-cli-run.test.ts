import { join } from 'node:path';
import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton } from './helpers/cli';
import { exampleHubAt, examplesDir } from './helpers/examples';

/**
 * `baton run` on the example flows against the sandbox, as the examples
 * README shows it: each step appears live, and the exit code tells the end.
 */
describe('baton run on the example flows', () => {
  let sandbox: RunningSandbox;
  let hub: Awaited<ReturnType<typeof exampleHubAt>>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    hub = await exampleHubAt(sandbox.url);
  });
  afterAll(async () => {
    await sandbox?.close();
    await hub?.remove();
  });

  const run = (flow: string, event: string) =>
    baton(
      ['run', flow, '--event', join(examplesDir, 'events', event), '--config', hub.configPath],
      examplesDir,
      {
        ...process.env,
        ...hub.env,
      },
    );

  it('runs order fulfillment live: stock, CRM, charge, shipment', async () => {
    const { code, stdout, stderr } = await run('order-fulfillment', 'order-created.cloudevent.json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^> order-fulfillment run_[0-9a-z]{26}$/);
    expect(stdout).toMatch(/\n {2}\* {5}\S+ +inventory\.reserve-stock\n/);
    expect(stdout).toMatch(/\n {2}ok {4}\S+ +\d+ms via payment\.create-payment-intent\n/);
    expect(stdout).toMatch(/\n {2}ok {4}\S+ +\d+ms via carrier-a\.create-shipment\n/);
    expect(stdout).toContain('ok order-fulfillment succeeded');
    expect(sandbox.state.effects.filter((e) => e.kind === 'charge.succeeded')).toHaveLength(1);
  });

  it('reroutes to carrier B live when carrier A fails', async () => {
    sandbox.state.faults.set('easypost', { errorRate: 1, errorStatus: 503 });
    try {
      const { code, stdout } = await run('order-fulfillment', 'order-created.cloudevent.json');
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /\n {2}-> {4}\S+ +rerouted carrier-a\.create-shipment -> carrier-b\.create-shipment\n/,
      );
      expect(stdout).toMatch(/via carrier-b\.create-shipment/);
    } finally {
      sandbox.state.faults.delete('easypost');
    }
  });

  it('runs employee onboarding and disaster recovery', async () => {
    const onboarding = await run('employee-onboarding', 'employee-hired.json');
    expect(onboarding.code).toBe(0);
    expect(onboarding.stdout).toContain('ok employee-onboarding succeeded');
    const recovery = await run('disaster-recovery', 'disaster.json');
    expect(recovery.code).toBe(0);
    expect(recovery.stdout).toContain('ok disaster-recovery succeeded');
  });

  it('exits 1 and shows the compensation when the card is declined', async () => {
    sandbox.state.faults.set('stripe', { statuses: [402] });
    const { code, stdout } = await run('order-fulfillment', 'order-created.cloudevent.json');
    sandbox.state.faults.delete('stripe');
    expect(code).toBe(1);
    expect(stdout).toMatch(/\n {2}undo {2}\S+ +compensating with inventory\.release-stock\n/);
    expect(stdout).toContain('x order-fulfillment failed');
  });
});
