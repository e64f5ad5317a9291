import { type Hub, loadHub } from '@baton/runtime';
import { type CheckResult, checkInstance } from '@baton/runtime/internal';
import pc from 'picocolors';
import { nodeConditions } from '../conditions';
import { type CliIo, say } from '../io';

/** How long one instance's check may take. */
export const ONLINE_CHECK_TIMEOUT_MS = 10_000;

/**
 * `baton validate --online`, once the files are valid: loads the hub as
 * `baton serve` would (secrets from the environment), runs every connector
 * instance's credentials check at once, each under a timeout, and prints
 * one line per instance in config order. Exit 0 when none failed, 1 otherwise.
 */
export async function checkOnline(
  io: CliIo,
  configPath: string,
  flowPaths: string[] | undefined,
): Promise<0 | 1> {
  const hub = await loadHub({
    configPath,
    env: io.env,
    conditions: nodeConditions(),
    ...(flowPaths ? { flowPaths } : {}),
  });
  const colors = pc.createColors(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
  const results = await checkAll(hub);
  let failed = 0;
  for (const [name, result] of results) {
    if (result.status === 'ok') {
      say(io, `${colors.green('✓')} ${name}: credentials ok (${result.durationMs} ms)`);
    } else if (result.status === 'unchecked') {
      say(io, `${colors.dim('-')} ${name}: nothing to check (the connector has no check)`);
    } else {
      failed += 1;
      say(io, `${colors.red('✗')} ${name}: ${result.error?.code}: ${result.error?.message}`);
    }
  }
  const line =
    failed === 0
      ? `✓ ${results.length} connector instance${results.length === 1 ? '' : 's'} online`
      : `✗ ${failed} of ${results.length} connector instances failed their check`;
  say(io, failed ? colors.red(line) : colors.green(line));
  return failed ? 1 : 0;
}

async function checkAll(hub: Hub): Promise<Array<[string, CheckResult]>> {
  const instances = [...hub.instances.values()];
  const results = await Promise.all(
    instances.map((instance) => checkInstance(instance, { timeoutMs: ONLINE_CHECK_TIMEOUT_MS })),
  );
  return instances.map((instance, i) => [instance.name, results[i]!]);
}
