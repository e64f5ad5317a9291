import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmbeddedBackend, createHubEngine, loadHub } from '@baton/runtime';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, packPackage, repoRoot, tempDir } from '../helpers/workspace';
import { checkoutEnv, checkoutHub } from './checkout-hub';

const gatewayDir = join(repoRoot, 'packages/gateway');

/**
 * The dashboard as users get it: bundled by the package build (the global
 * setup ran it), shipped in the tarball, and served by the built gateway
 * without esbuild or the sources.
 */
describe('the built dashboard bundle', () => {
  let hub: Awaited<ReturnType<typeof checkoutHub>>;
  beforeAll(async () => {
    hub = await checkoutHub();
  });
  afterAll(async () => hub?.remove());

  it('is in the packed @baton/gateway tarball', async () => {
    const folder = await tempDir('baton-pack-gateway-');
    try {
      const tarball = await packPackage('packages/gateway', folder.path);
      const { stdout } = await exec('tar', ['-tzf', tarball]);
      const files = stdout.split('\n');
      expect(files).toEqual(
        expect.arrayContaining(['package/dist/dashboard/app.js', 'package/dist/dashboard/app.css']),
      );
      // Only the build is shipped: the browser sources stay in the repository.
      expect(files.filter((f) => f.startsWith('package/dashboard/'))).toEqual([]);
    } finally {
      await folder.remove();
    }
  });

  it('is what the built gateway serves', async () => {
    const built = (await import(
      pathToFileURL(join(gatewayDir, 'dist/index.js')).href
    )) as typeof import('@baton/gateway');
    const loaded = await loadHub({ configPath: join(hub.path, 'baton.config.json'), env: checkoutEnv });
    const backend = createEmbeddedBackend();
    const log = pino({ level: 'silent' });
    const engine = createHubEngine(loaded, backend, { log });
    const health = built.createConnectorHealth({ instances: loaded.instances });
    const app = built.createGatewayApp({
      hub: loaded,
      engine,
      backend,
      log,
      metrics: built.createMetrics(engine, backend, { health }),
      health,
      bodyLimit: built.DEFAULT_BODY_LIMIT,
      toleranceMs: 300_000,
      backlogLimit: 100,
      now: Date.now,
      draining: () => false,
    });
    try {
      for (const name of ['app.js', 'app.css']) {
        const res = await app.request(`/dashboard/assets/${name}`);
        expect(res.status, name).toBe(200);
        const onDisk = await readFile(join(gatewayDir, 'dist/dashboard', name));
        expect(Buffer.from(await res.arrayBuffer()).equals(onDisk), `${name} is the built file`).toBe(true);
      }
      const gzipped = await app.request('/dashboard/assets/app.js', {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(gzipped.headers.get('content-encoding')).toBe('gzip');
      // The minified build has no inline source map; the from-source bundle has one.
      expect(await (await app.request('/dashboard/assets/app.js')).text()).not.toContain(
        'sourceMappingURL=data:',
      );
    } finally {
      await engine.stop({ drainMs: 100 });
      await backend.close();
    }
  });
});
