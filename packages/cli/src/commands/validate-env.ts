import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as util from 'node:util';
import { CliError } from '../cli-error';
import type { CliIo } from '../io';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment `baton validate` checks the config's `{ "$env" }`
 * references against: the process's own with `--env`, the variables of
 * each `--env-file` (dotenv format, later files winning), or both; none
 * when neither is given, so a check on a laptop does not depend on it.
 */
export function environmentToCheck(
  io: CliIo,
  options: { env?: boolean; envFile?: string[] },
): Env | undefined {
  const files = options.envFile ?? [];
  if (!options.env && files.length === 0) return undefined;
  const env: Record<string, string | undefined> = options.env ? { ...io.env } : {};
  for (const file of files) Object.assign(env, readEnvFile(resolve(io.cwd, file)));
  return env;
}

function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'ENV_FILE_UNREADABLE',
      `cannot read the env file ${path}: ${(error as Error).message}`,
    );
  }
  // util.parseEnv (Node 20.12+) reads the dotenv format the way `node --env-file` does.
  const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;
  if (!parseEnv) {
    throw new CliError('ENV_FILE_UNREADABLE', '--env-file needs Node.js 20.12 or newer (util.parseEnv)');
  }
  return parseEnv(text);
}
