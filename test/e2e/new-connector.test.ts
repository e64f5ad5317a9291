import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '@baton/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspace } from '../helpers/packed';
import { exec, tempDir } from '../helpers/workspace';

function memoryIo(cwd: string) {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      cwd,
      env: process.env,
    },
    out: () => out,
    err: () => err,
  };
}

describe('baton new connector', () => {
  let packed: Awaited<ReturnType<typeof packWorkspace>>;
  let work: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    packed = await packWorkspace(['packages/sdk']);
    work = await tempDir('baton-scaffold-');
  }, 240_000);

  afterAll(async () => {
    await work?.remove();
    await packed?.remove();
  });

  it('scaffolds a package that installs, typechecks, builds and passes its own tests', async () => {
    const { io, out } = memoryIo(work.path);
    expect(await runCli(['new', 'connector', 'acme-helpdesk'], io)).toBe(0);
    expect(out()).toContain('Created acme-helpdesk with');
    const dir = join(work.path, 'acme-helpdesk');
    for (const file of [
      'package.json',
      'tsup.config.ts',
      'src/index.ts',
      'src/actions/create-item.ts',
      'src/index.test.ts',
      'src/compat.test.ts',
      'README.md',
      '.gitignore',
      '.changeset/initial-release.md',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('baton-connector-acme-helpdesk');
    expect(Object.keys(manifest.peerDependencies)).toEqual(['@baton/sdk', 'zod']);

    // Install the SDK the way a user would get it: from its packed tarball.
    manifest.devDependencies['@baton/sdk'] = `file:${packed.tarballs['@baton/sdk']}`;
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const run = (args: string[]) => exec('npm', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    await run(['install', '--no-audit', '--no-fund', '--prefer-offline']);
    await run(['run', 'typecheck']);
    await run(['run', 'build']);
    expect(existsSync(join(dir, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/index.d.ts'))).toBe(true);
    const { stdout } = await run(['test']);
    // The actions, the conformance suite and the compatibility check (no baseline before the first release).
    expect(stdout).toMatch(/4 passed/);

    // Every placeholder was filled, and the changeset is one changesets can release.
    for (const file of ['README.md', '.changeset/initial-release.md', 'src/index.ts']) {
      expect(await readFile(join(dir, file), 'utf8'), file).not.toMatch(/__[A-Z]+__|\*\*[A-Z]+\*\*/);
    }
    // Versioning applies the changesets and writes the baseline the compatibility check compares with.
    await run(['run', 'version-packages']);
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).version).toBe('0.2.0');
    const baseline = JSON.parse(await readFile(join(dir, 'compat/manifest.json'), 'utf8'));
    expect(baseline).toMatchObject({ name: 'acme-helpdesk', version: '0.2.0' });
    expect(Object.keys(baseline.actions)).toEqual(['create-item']);
    expect(await readFile(join(dir, 'CHANGELOG.md'), 'utf8')).toContain(
      'First release of the Acme Helpdesk connector',
    );
  }, 300_000);

  it('refuses a name that is not kebab-case, and a folder in use', async () => {
    const bad = memoryIo(work.path);
    expect(await runCli(['new', 'connector', 'AcmeHelpdesk'], bad.io)).toBe(1);
    expect(bad.err()).toBe(
      'error CONNECTOR_NAME_INVALID: connector name "AcmeHelpdesk" must be kebab-case, like "acme-helpdesk"\n',
    );
    const again = memoryIo(work.path);
    expect(await runCli(['new', 'connector', 'acme-helpdesk'], again.io)).toBe(1);
    expect(again.err()).toMatch(/^error DIRECTORY_NOT_EMPTY: /);
  });
});
