import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error';
import { pointAtLocalPackages, readLocalPackages } from '../local-packages';
import { version } from '../version';
import { FIRST_EVENT, FIRST_SOURCE, firstFlow } from './first-flow';
import { DEFAULT_CONNECTORS, type EnvVariable, FIRST_PARTY } from './first-party';

/** What `scaffoldHub` writes, and where. */
export interface HubScaffoldOptions {
  /** Folder to write into; created when missing, refused when it holds anything but `.git`. */
  directory: string;
  /** First-party connectors to depend on and configure. @default `['http', 'slack']` */
  connectors?: readonly string[];
  /** npm name of the hub's package.json. @default the folder's name, in lower case */
  name?: string;
  /**
   * A folder of packed `@baton/*` tarballs (`pnpm pack:all`): the
   * dependencies point at them instead of the registry.
   * @default none: the registry (`^` this CLI's version, and each connector's latest)
   */
  packages?: string;
}

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Writes a hub of one's own: package.json (depending on `@baton/cli` and
 * the chosen connectors, with `validate`, `serve`, `send`, `sandbox` and
 * `baton` scripts that read `.env`), baton.config.json, a first flow and its
 * example event, `.env.example` (and `.env`, its copy) with values the
 * sandbox accepts, `.gitignore` and a README. Returns the files written,
 * relative to the directory.
 */
export async function scaffoldHub(options: HubScaffoldOptions): Promise<string[]> {
  const connectors = [...new Set(options.connectors ?? DEFAULT_CONNECTORS)];
  const unknown = connectors.filter((c) => !Object.hasOwn(FIRST_PARTY, c));
  if (unknown.length > 0 || connectors.length === 0) {
    throw new CliError(
      'OPTION_INVALID',
      `--connectors: ${unknown.length > 0 ? `no first-party connector "${unknown.join('", "')}"` : 'none given'}; choose from ${Object.keys(FIRST_PARTY).join(', ')}`,
    );
  }
  const flow = firstFlow(connectors);
  if (!flow) {
    throw new CliError(
      'OPTION_INVALID',
      `--connectors: the first flow calls http or slack; add one of them (--connectors http,${connectors.join(',')})`,
    );
  }
  const name =
    options.name ??
    basename(resolve(options.directory))
      .toLowerCase()
      .replace(/[^a-z0-9-._~]+/g, '-');
  if (!NPM_NAME.test(name)) {
    throw new CliError('OPTION_INVALID', `--name: "${name}" is not an npm package name, such as "my-hub"`);
  }
  await refuseUsedFolder(options.directory);

  const env = [
    ...connectors.flatMap((c) => FIRST_PARTY[c]!.env),
    {
      name: FIRST_SOURCE.secretVariable,
      value: FIRST_SOURCE.secretValue,
      note: 'Signs the webhooks of the source "app" (Standard Webhooks: whsec_ + base64).',
    },
  ];
  const files: Record<string, string> = {
    'package.json': json(packageJson(name, connectors, options.packages)),
    'baton.config.json': json(hubConfig(connectors)),
    'flows/alert-raised.json': json(flow),
    [FIRST_EVENT.file]: json(FIRST_EVENT.data),
    '.env.example': envFile(env),
    '.env': envFile(env),
    '.gitignore': await template('_gitignore'),
    'README.md': (await template('README.md'))
      .split('__NAME__')
      .join(name)
      .split('__CONNECTORS__')
      .join(connectors.map((c) => `\`${c}\` (${FIRST_PARTY[c]!.package})`).join(', ')),
  };
  for (const [file, text] of Object.entries(files)) {
    const target = join(options.directory, file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return Object.keys(files).sort();
}

async function refuseUsedFolder(directory: string): Promise<void> {
  if (!existsSync(directory)) return;
  // A fresh `git init` is fine to fill.
  const entries = (await readdir(directory)).filter((entry) => entry !== '.git');
  if (entries.length > 0) {
    throw new CliError(
      'DIRECTORY_NOT_EMPTY',
      `${directory} already holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}; choose an empty or new folder`,
    );
  }
}

function packageJson(name: string, connectors: readonly string[], packages: string | undefined) {
  // node --env-file loads .env (Node 20.6+) on every platform, where `set -a; . ./.env` is POSIX-only.
  const baton = 'node --env-file=.env node_modules/@baton/cli/dist/bin.js';
  const manifest = {
    name,
    version: '0.0.0',
    private: true,
    type: 'module',
    description: 'A Baton hub: connectors and sources in baton.config.json, flows in flows/.',
    engines: { node: '>=20.6' },
    scripts: {
      validate: `${baton} validate`,
      serve: `${baton} serve`,
      send: `${baton} send`,
      sandbox: 'baton sandbox',
      baton,
    },
    dependencies: {
      '@baton/cli': `^${version}`,
      ...Object.fromEntries(connectors.map((c) => [FIRST_PARTY[c]!.package, 'latest'])),
    },
  };
  return packages ? pointAtLocalPackages(manifest, readLocalPackages(packages), packages) : manifest;
}

function hubConfig(connectors: readonly string[]) {
  return {
    $schema: './node_modules/@baton/runtime/schemas/config.schema.json',
    flows: './flows',
    connectors: Object.fromEntries(
      connectors.map((c) => [
        c,
        {
          use: FIRST_PARTY[c]!.package,
          config: FIRST_PARTY[c]!.config,
          // The sandbox listens on this machine, which connectors may not call unless allowed.
          egress: { allow: ['loopback'] },
        },
      ]),
    ),
    sources: {
      [FIRST_SOURCE.name]: {
        verify: { scheme: 'standard-webhooks', secret: { $env: FIRST_SOURCE.secretVariable } },
      },
    },
  };
}

function envFile(variables: readonly EnvVariable[]): string {
  const lines = [
    '# The variables baton.config.json reads with { "$env": … }. These values work with',
    '# `baton sandbox`; against real systems, set real secrets in the environment instead.',
    '# npm run validate|serve|send|baton load .env (node --env-file); the environment wins.',
    '',
  ];
  for (const variable of variables) {
    if (variable.note) lines.push(`# ${variable.note}`);
    lines.push(`${variable.name}=${variable.value}`);
  }
  return `${lines.join('\n')}\n`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function template(file: string): Promise<string> {
  // src/hub-scaffold/ in the workspace, dist/ once built: templates/ sits at the package root.
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../templates/hub', file), resolve(here, '../templates/hub', file)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new CliError('TEMPLATE_MISSING', `hub template ${file} not found next to ${here}`);
  return readFile(found, 'utf8');
}
