import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectorManifest } from '@baton/sdk/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder } from '../helpers/cli';
import { exec, repoRoot } from '../helpers/workspace';

/** A connector package folder, built: plain ESM in dist/, as tsup would leave it. */
function connectorPackage(version: string, body: string) {
  return {
    'package.json': {
      name: 'acme-helpdesk-connector',
      version,
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    },
    'dist/index.js': `import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

const run = async () => ({});
export default defineConnector({
  name: 'acme-helpdesk',
  ${body}
});
`,
  };
}

const v1 = connectorPackage(
  '1.0.0',
  `config: z.object({ baseUrl: z.url().default('https://acme.test'), apiKey: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), priority: z.enum(['low', 'high']).optional() }),
      output: z.object({ id: z.string(), url: z.url() }),
      run,
    }),
    'close-ticket': defineAction({ input: z.object({ id: z.string() }), output: z.object({ closed: z.boolean() }), run }),
  },`,
);

/** v1 with a required config field, a narrowed enum, an output field renamed and an action renamed. */
const v2 = connectorPackage(
  '2.0.0',
  `config: z.object({ baseUrl: z.url().default('https://acme.test'), apiKey: z.string(), region: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), priority: z.enum(['high', 'urgent']).optional(), body: z.string().optional() }),
      output: z.object({ id: z.string(), link: z.url() }),
      run,
    }),
    'resolve-ticket': defineAction({ input: z.object({ id: z.string() }), output: z.object({ closed: z.boolean() }), run }),
  },`,
);

/** v1 with an optional input field and a new action: nothing breaks. */
const v1_1 = connectorPackage(
  '1.1.0',
  `config: z.object({ baseUrl: z.url().default('https://acme.test'), apiKey: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), priority: z.enum(['low', 'high']).optional(), body: z.string().optional() }),
      output: z.object({ id: z.string(), url: z.url() }),
      run,
    }),
    'close-ticket': defineAction({ input: z.object({ id: z.string() }), output: z.object({ closed: z.boolean() }), run }),
    'list-tickets': defineAction({ input: z.object({}), output: z.object({ ids: z.array(z.string()) }), run }),
  },`,
);

const bin = join(repoRoot, 'packages/cli/dist/bin.js');

/** Runs the built `baton connector diff` (the global setup builds it) and collects its exit code and output. */
async function diff(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, 'connector', 'diff', ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('baton connector diff', () => {
  let folder: Awaited<ReturnType<typeof hubFolder>>;

  beforeAll(async () => {
    // Inside the repository, so @baton/sdk and zod resolve from test/node_modules, as from a hub's.
    const files: Record<string, string | object> = { 'not-a-manifest.json': { hello: 'world' } };
    for (const [name, pkg] of Object.entries({ v1, v2, 'v1.1': v1_1 }))
      for (const [file, content] of Object.entries(pkg)) files[`${name}/${file}`] = content;
    files['unbuilt/package.json'] = v1['package.json'];
    files['unbuilt/src/index.ts'] = 'export {};\n';
    folder = await hubFolder(files);
  });
  afterAll(() => folder?.remove());

  it('lists breaking changes first and exits 1', async () => {
    const { code, stdout, stderr } = await diff(['./v1', './v2'], folder.path);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'breaking  config.region                 new required field: hub configs that do not give it are refused',
        'breaking  close-ticket                  action removed (renamed to "resolve-ticket"? flows that call "close-ticket" break)',
        'breaking  create-ticket input.priority  no longer accepts "low"',
        'breaking  create-ticket output.url      removed: steps that read it break',
        'additive  create-ticket input.priority  now also accepts "urgent"',
        'additive  create-ticket input.body      new optional field',
        'additive  create-ticket output.link     new field',
        'additive  resolve-ticket                new action',
        '',
        '✗ 4 breaking, 4 additive: flows written for acme-helpdesk-connector@1.0.0 may fail with acme-helpdesk-connector@2.0.0 (a major version)',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
  });

  it('exits 0 on additive changes, and prints JSON with --json', async () => {
    const human = await diff(['v1', 'v1.1'], folder.path);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /✓ 2 additive: flows written for acme-helpdesk-connector@1.0.0 keep working/,
    );

    const { code, stdout } = await diff(['v1', 'v1.1', '--json'], folder.path);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      verdict: 'additive',
      counts: { breaking: 0, 'possibly-breaking': 0, additive: 2 },
      old: {
        spec: 'v1',
        from: 'folder',
        name: 'acme-helpdesk',
        package: 'acme-helpdesk-connector',
        version: '1.0.0',
      },
      new: { version: '1.1.0' },
    });
    expect(result.changes).toEqual([
      {
        part: 'input',
        action: 'create-ticket',
        path: ['body'],
        kind: 'field-added',
        severity: 'additive',
        message: 'new optional field',
      },
      {
        part: 'action',
        action: 'list-tickets',
        path: [],
        kind: 'action-added',
        severity: 'additive',
        message: 'new action',
      },
    ]);
  });

  it('reads a packed tarball, a baseline manifest file and an installed package', async () => {
    const packs = join(folder.path, 'packs');
    await mkdir(packs);
    await exec('npm', ['pack', '--pack-destination', packs, '--silent'], { cwd: join(folder.path, 'v2') });
    const [tarball] = await readdir(packs);
    expect(tarball).toBe('acme-helpdesk-connector-2.0.0.tgz');

    const fromTarball = await diff(['v1', `packs/${tarball}`, '--json'], folder.path);
    expect(fromTarball.code).toBe(1);
    expect(JSON.parse(fromTarball.stdout)).toMatchObject({
      verdict: 'breaking',
      counts: { breaking: 4 },
      new: { from: 'tarball', version: '2.0.0' },
    });

    // The baseline a connector commits (compat/manifest.json) is the manifest of its published version.
    const module = await import(pathToFileURL(join(folder.path, 'v1/dist/index.js')).href);
    await writeFile(
      join(folder.path, 'baseline.json'),
      JSON.stringify(connectorManifest(module.default, '1.0.0'), null, 2),
    );
    await cp(join(folder.path, 'v1.1'), join(folder.path, 'node_modules/acme-helpdesk-connector'), {
      recursive: true,
    });
    const installed = await diff(['baseline.json', 'acme-helpdesk-connector'], folder.path);
    expect(installed.stdout).toContain(
      '✓ 2 additive: flows written for acme-helpdesk@1.0.0 keep working with acme-helpdesk-connector@1.1.0',
    );
    expect(installed.code).toBe(0);
  });

  it('exits 2 with a code and a hint when a version cannot be read', async () => {
    expect(await diff(['unbuilt', 'v1'], folder.path)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error CONNECTOR_NOT_BUILT: unbuilt: dist/index.js does not exist (its sources are TypeScript in src/); build it first (npm run build)\n',
    });
    const missing = await diff(['v1', 'no-such-connector'], folder.path);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^error CONNECTOR_SOURCE_NOT_FOUND: "no-such-connector" is not a file, a folder or a package installed from /,
    );
    const notManifest = await diff(['not-a-manifest.json', 'v1'], folder.path);
    expect(notManifest.code).toBe(2);
    expect(notManifest.stderr).toMatch(
      /^error CONNECTOR_UNREADABLE: not-a-manifest.json is not a connector manifest/,
    );
  });
});
