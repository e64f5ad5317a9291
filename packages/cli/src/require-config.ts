import { type Stats, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Option } from 'commander';
import { CliError } from './cli-error';
import type { CliIo } from './io';

/** The config file a command reads when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'baton.config.json';

/**
 * The `--config <file>` option every hub command takes.
 * @param description what the command reads the config for
 * @default description `'the hub configuration'`
 */
export function configOption(description = 'the hub configuration'): Option {
  return new Option('--config <file>', description).default(DEFAULT_CONFIG_FILE);
}

/** The absolute path `--config` names, resolved against the command's working folder. */
export function resolveConfigPath(io: CliIo, option: string = DEFAULT_CONFIG_FILE): string {
  return resolve(io.cwd, option);
}

/**
 * The absolute path of the hub's config file, from `--config` or
 * `baton.config.json` in the working folder. Throws `CONFIG_NOT_FOUND`
 * (exit 1) when no file is there, so a command never starts on a typo.
 */
export function requireConfig(io: CliIo, option: string = DEFAULT_CONFIG_FILE): string {
  const path = resolveConfigPath(io, option);
  const shown = relative(io.cwd, path) || path;
  const kind = entryAt(path);
  if (kind?.isFile()) return path;
  if (kind?.isDirectory()) {
    throw new CliError(
      'CONFIG_NOT_FOUND',
      `${shown} is a folder; pass --config ${relative(io.cwd, resolve(path, DEFAULT_CONFIG_FILE))}`,
    );
  }
  throw new CliError(
    'CONFIG_NOT_FOUND',
    `${shown} does not exist; run in the folder of ${DEFAULT_CONFIG_FILE} or pass --config <file>`,
  );
}

/** What is at `path`; undefined when nothing is, even when a parent is a file (ENOTDIR). */
function entryAt(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
