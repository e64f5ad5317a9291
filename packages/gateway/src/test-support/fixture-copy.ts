import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { fixtureConfigPath, gatewayFixture } from './gateway-fixture';

export type FixtureGateway = Awaited<ReturnType<typeof gatewayFixture>>;

/**
 * Serves copies of the fixture hub with one more flow file of the test's
 * own; after each test of the calling file the gateway closes and the copy
 * goes. The copies live inside the package (git-ignored .tmp), so the
 * copied connector still resolves @baton/sdk.
 */
export function fixtureCopies(name: string): (flow: { id: string }) => Promise<FixtureGateway> {
  let gateway: FixtureGateway | undefined;
  const folders: string[] = [];
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });
  return async (flow) => {
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    const folder = await mkdtemp(join(scratch, `${name}-`));
    folders.push(folder);
    await cp(join(fixtureConfigPath, '..'), folder, { recursive: true });
    await writeFile(join(folder, 'flows', `${flow.id}.json`), JSON.stringify(flow));
    gateway = await gatewayFixture({ configPath: join(folder, 'baton.config.json') });
    return gateway;
  };
}
