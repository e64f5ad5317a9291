import type { CliIo } from './io';
import { runCli } from './program';

/** What an in-process `baton` run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `baton <argv>` in this process, in `cwd` with `env` as its whole
 * environment, capturing what it prints (not a terminal): for tests of
 * commands that need no server or child process.
 */
export async function runInProcess(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    cwd,
    env,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
