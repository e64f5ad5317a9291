import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CliError } from './cli-error';

/** The `@baton/*` tarballs of a `--packages` folder, by package name, as absolute paths. */
export type LocalPackages = ReadonlyMap<string, string>;

// What `pnpm pack` and `npm pack` name a scoped package's tarball: `@baton/connector-http` → `baton-connector-http-0.1.0.tgz`.
const TARBALL = /^baton-(.+?)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.tgz$/;

/**
 * Reads a folder of packed `@baton/*` tarballs (`pnpm pack:all` in the
 * Baton repository writes one), so a new hub or connector can install
 * Baton before its packages are on the registry. Throws `PACKAGES_INVALID`
 * for a missing folder, one without tarballs, or one with two versions of
 * a package (pack:all empties the folder first).
 */
export function readLocalPackages(folder: string): LocalPackages {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(
      'PACKAGES_INVALID',
      `--packages ${folder}: no such folder (make it with pnpm pack:all)`,
    );
  }
  const found = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const match = TARBALL.exec(file);
    if (!match) continue;
    const name = `@baton/${match[1]}`;
    const seen = found.get(name);
    if (seen) {
      throw new CliError(
        'PACKAGES_INVALID',
        `--packages ${folder} holds two tarballs of ${name} (${basename(seen)}, ${file}); keep one`,
      );
    }
    found.set(name, join(dir, file));
  }
  if (found.size === 0) {
    throw new CliError(
      'PACKAGES_INVALID',
      `--packages ${folder} holds no @baton/* tarballs (make them with pnpm pack:all)`,
    );
  }
  return found;
}

/** The dependency sections of a package.json that may name `@baton/*` packages. */
const SECTIONS = ['dependencies', 'devDependencies'] as const;

type Manifest = Record<string, unknown> & {
  [K in (typeof SECTIONS)[number]]?: Record<string, string>;
} & { overrides?: Record<string, string> };

/**
 * Points every `@baton/*` dependency of a package.json at its tarball
 * (`file:` + absolute path), and adds `overrides` for every tarball, so the
 * packages' dependencies on each other (`@baton/sdk@^0.1.0` …) resolve to
 * the tarballs too instead of the registry. Throws `PACKAGES_INVALID`
 * naming the packages the folder lacks.
 */
export function pointAtLocalPackages<TManifest extends Manifest>(
  manifest: TManifest,
  packages: LocalPackages,
  folder: string,
): TManifest {
  const missing: string[] = [];
  const next: Manifest = { ...manifest };
  for (const section of SECTIONS) {
    const deps = manifest[section];
    if (!deps) continue;
    next[section] = Object.fromEntries(
      Object.entries(deps).map(([name, range]) => {
        if (!name.startsWith('@baton/')) return [name, range];
        const tarball = packages.get(name);
        if (!tarball) missing.push(name);
        return [name, tarball ? `file:${tarball}` : range];
      }),
    );
  }
  if (missing.length > 0) {
    throw new CliError(
      'PACKAGES_INVALID',
      `--packages ${folder} has no tarball of ${missing.join(', ')} (pack them with pnpm pack:all)`,
    );
  }
  // npm wants an override of a direct dependency to be the same spec: both are the tarball.
  next.overrides = {
    ...manifest.overrides,
    ...Object.fromEntries([...packages].map(([name, tarball]) => [name, `file:${tarball}`])),
  };
  return next as TManifest;
}

/** `pointAtLocalPackages` on a package.json file, rewritten in place. */
export async function pointPackageJsonAtLocalPackages(
  packageJson: string,
  packages: LocalPackages,
  folder: string,
): Promise<void> {
  const manifest = JSON.parse(await readFile(packageJson, 'utf8')) as Manifest;
  await writeFile(
    packageJson,
    `${JSON.stringify(pointAtLocalPackages(manifest, packages, folder), null, 2)}\n`,
  );
}
