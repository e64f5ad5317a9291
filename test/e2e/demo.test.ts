import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { exec, repoRoot } from '../helpers/workspace';

/**
 * `pnpm demo` as the README runs it (on free ports, stopping once its
 * events ran): every example event succeeds, and the order sent while a
 * carrier is down shows what the README's picture shows — a retry, a
 * fallback, and the compensation of the finished steps.
 */
describe('the demo', () => {
  it('runs the example events, and one order through a retry, a fallback and a compensation', async () => {
    const [port, sandboxPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
    const { stdout } = await exec(
      process.execPath,
      [
        join(repoRoot, 'scripts/demo.mjs'),
        '--port',
        String(port),
        '--sandbox-port',
        String(sandboxPort),
        '--smtp-port',
        String(smtpPort),
        '--exit',
      ],
      { cwd: repoRoot, timeout: 120_000 },
    );
    const line = (label: string) => stdout.split('\n').find((l) => l.trimStart().startsWith(label)) ?? '';
    for (const label of ['employee onboarding', 'order fulfillment', 'disaster recovery']) {
      expect(line(label)).toMatch(/ succeeded /);
    }
    const rerouted = stdout.split('\n').findIndex((l) => l.trimStart().startsWith('order, carrier down'));
    expect(stdout.split('\n')[rerouted]).toMatch(/ failed /);
    expect(stdout.split('\n')[rerouted + 1]!.trim()).toBe(
      'retried: shipment; rerouted: shipment → carrier-b.create-shipment; failed: INVALID_REQUEST; compensated: stock, charge',
    );
    expect(stdout).toContain(
      `npx baton send shop --type order.created --data events/order-created.json --url http://127.0.0.1:${port}`,
    );
  });
});
