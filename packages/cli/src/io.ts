import { stderr as processStderr, stdout as processStdout } from 'node:process';

/** Where a command writes, and what it runs in; injectable so tests run commands in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: processStdout, stderr: processStderr, cwd: process.cwd(), env: process.env };
}

/** Writes one line to stdout. */
export function say(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes one line to stderr. */
export function warn(io: CliIo, line: string): void {
  io.stderr.write(`${line}\n`);
}
