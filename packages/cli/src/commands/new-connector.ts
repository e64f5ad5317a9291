import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { type CliIo, say } from '../io';
import { pointPackageJsonAtLocalPackages, readLocalPackages } from '../local-packages';
import { version } from '../version';

/** What `scaffoldConnector` writes, and where. */
export interface ScaffoldOptions {
  /** kebab-case connector name, e.g. `acme-helpdesk`. */
  name: string;
  /** Folder to create. @default `./<name>` under the current directory */
  directory: string;
  /** npm package name. @default `baton-connector-<name>` */
  packageName?: string;
  /** Range of `@baton/sdk` to depend on. @default `^<this CLI's version>` */
  sdkRange?: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const templateRoot = () => {
  // src/commands/ in the workspace, dist/ once built: templates/ sits at the package root.
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../templates/connector'), resolve(here, '../templates/connector')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new CliError('TEMPLATE_MISSING', `connector template not found next to ${here}`);
  return found;
};

/**
 * Writes a complete connector package: package.json with peer dependencies
 * on `@baton/sdk` and `zod`, tsup config, one example action, a test against
 * a local server with the conformance suite, a README and a changeset.
 * Returns the files written, relative to the directory.
 */
export async function scaffoldConnector(options: ScaffoldOptions): Promise<string[]> {
  if (!KEBAB.test(options.name)) {
    throw new CliError(
      'CONNECTOR_NAME_INVALID',
      `connector name "${options.name}" must be kebab-case, like "acme-helpdesk"`,
    );
  }
  if (existsSync(options.directory) && (await readdir(options.directory)).length > 0) {
    throw new CliError('DIRECTORY_NOT_EMPTY', `${options.directory} already exists and is not empty`);
  }
  const packageName = options.packageName ?? `baton-connector-${options.name}`;
  const replacements: Record<string, string> = {
    __PACKAGE__: packageName,
    __NAME__: options.name,
    __TITLE__: options.name
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' '),
    __ENV__: `${options.name.replace(/-/g, '_').toUpperCase()}_API_KEY`,
    __SDK_RANGE__: options.sdkRange ?? `^${version}`,
  };
  const root = templateRoot();
  const written: string[] = [];
  for (const file of await listFiles(root)) {
    // Template files that must not carry their real name inside this package:
    // `_gitignore` (npm drops .gitignore from tarballs) and `_package.json` (a
    // nested package.json with "exports" confuses tools that lint this one).
    const target = join(
      options.directory,
      relative(root, file).replace(
        /(^|\/)_(gitignore|package\.json)$/,
        (_, dir, name) => `${dir}${name === 'gitignore' ? '.gitignore' : name}`,
      ),
    );
    let text = await readFile(file, 'utf8');
    for (const [key, value] of Object.entries(replacements)) text = text.split(key).join(value);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    written.push(relative(options.directory, target));
  }
  return written.sort();
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? listFiles(path) : Promise.resolve([path]);
    }),
  );
  return nested.flat();
}

interface NewConnectorOptions {
  dir?: string;
  package?: string;
  sdk?: string;
  packages?: string;
}

export function registerNewConnector(program: Command, io: CliIo, exitWith: ExitWith): void {
  const create =
    program.commands.find((c) => c.name() === 'new') ??
    program.command('new').description('Scaffold new things');
  create
    .command('connector')
    .description('Scaffold a connector package with an example action, tests, README and changeset')
    .argument('<name>', 'kebab-case connector name, e.g. acme-helpdesk')
    .option('--dir <folder>', 'folder to create (default: ./<name>)')
    .option('--package <name>', 'npm package name (default: baton-connector-<name>)')
    .option('--sdk <range>', 'version range of @baton/sdk to depend on')
    .option(
      '--packages <dir>',
      'a folder of @baton/* tarballs (pnpm pack:all in the Baton repository) to install instead of the registry',
    )
    .action(
      exitWith(async (name: string, opts: NewConnectorOptions) => {
        const directory = resolve(io.cwd, opts.dir ?? name);
        // Read first: a wrong --packages must not leave a half-made folder behind.
        const packages = opts.packages ? readLocalPackages(resolve(io.cwd, opts.packages)) : undefined;
        const files = await scaffoldConnector({
          name,
          directory,
          ...(opts.package ? { packageName: opts.package } : {}),
          ...(opts.sdk ? { sdkRange: opts.sdk } : {}),
        });
        if (packages && opts.packages) {
          await pointPackageJsonAtLocalPackages(join(directory, 'package.json'), packages, opts.packages);
        }
        say(io, `Created ${relative(io.cwd, directory) || '.'} with ${files.length} files:`);
        for (const file of files) say(io, `  ${file}`);
        say(io);
        say(io, 'Next:');
        say(io, `  cd ${relative(io.cwd, directory) || '.'} && npm install && npm test`);
        return 0;
      }),
    );
}
