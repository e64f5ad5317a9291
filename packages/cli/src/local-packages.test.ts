import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointAtLocalPackages, pointPackageJsonAtLocalPackages, readLocalPackages } from './local-packages';

describe('--packages: a folder of @baton/* tarballs', () => {
  let folder: string;
  let packs: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'baton-local-packages-'));
    packs = join(folder, 'packs');
    await mkdir(packs);
    for (const file of [
      'baton-cli-0.1.0.tgz',
      'baton-sdk-0.1.0.tgz',
      'baton-connector-http-0.2.0-rc.1.tgz',
      'notes.txt',
    ])
      await writeFile(join(packs, file), '');
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('names each tarball by its package, as pnpm pack and npm pack name them', () => {
    expect(Object.fromEntries(readLocalPackages(packs))).toEqual({
      '@baton/cli': join(packs, 'baton-cli-0.1.0.tgz'),
      '@baton/sdk': join(packs, 'baton-sdk-0.1.0.tgz'),
      '@baton/connector-http': join(packs, 'baton-connector-http-0.2.0-rc.1.tgz'),
    });
  });

  it('points @baton/* dependencies at the tarballs and overrides every one, leaving the rest', async () => {
    const file = join(folder, 'package.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'x',
        peerDependencies: { '@baton/sdk': '^0.1.0' },
        dependencies: { '@baton/cli': '^0.1.0', zod: '^4' },
        devDependencies: { '@baton/sdk': '^0.1.0' },
        overrides: { semver: '7.7.0' },
      }),
    );
    await pointPackageJsonAtLocalPackages(file, readLocalPackages(packs), packs);
    const tarball = (name: string) => `file:${join(packs, `baton-${name}.tgz`)}`;
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      name: 'x',
      // A peer range says what the package works with; it stays a range.
      peerDependencies: { '@baton/sdk': '^0.1.0' },
      dependencies: { '@baton/cli': tarball('cli-0.1.0'), zod: '^4' },
      devDependencies: { '@baton/sdk': tarball('sdk-0.1.0') },
      overrides: {
        semver: '7.7.0',
        '@baton/cli': tarball('cli-0.1.0'),
        '@baton/sdk': tarball('sdk-0.1.0'),
        '@baton/connector-http': tarball('connector-http-0.2.0-rc.1'),
      },
    });
  });

  it('refuses a missing folder, an empty one, a missing package and two versions of one', async () => {
    expect(() => readLocalPackages(join(folder, 'nope'))).toThrow(
      expect.objectContaining({
        code: 'PACKAGES_INVALID',
        message: expect.stringContaining('no such folder'),
      }),
    );
    const empty = join(folder, 'empty');
    await mkdir(empty);
    expect(() => readLocalPackages(empty)).toThrow(/holds no @baton\/\* tarballs/);
    expect(() =>
      pointAtLocalPackages(
        { dependencies: { '@baton/gateway': '^0.1.0' } },
        readLocalPackages(packs),
        'packs',
      ),
    ).toThrow('--packages packs has no tarball of @baton/gateway');
    await writeFile(join(packs, 'baton-sdk-0.2.0.tgz'), '');
    expect(() => readLocalPackages(packs)).toThrow(
      /two tarballs of @baton\/sdk \(baton-sdk-0.1.0.tgz, baton-sdk-0.2.0.tgz\)/,
    );
  });
});
