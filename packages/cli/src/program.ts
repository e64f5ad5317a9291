import { isBatonError } from '@baton/sdk';
import { Command, CommanderError } from 'commander';
import { exitCodeOf } from './cli-error';
import type { CommandRegistrar, ExitWith } from './command';
import { registerApprove } from './commands/approve';
import { registerConnectorDiff } from './commands/connector-diff';
import { registerGraph } from './commands/graph';
import { registerInit } from './commands/init';
import { registerNewConnector } from './commands/new-connector';
import { registerReplay } from './commands/replay';
import { registerRun } from './commands/run';
import { registerSandbox } from './commands/sandbox';
import { registerSend } from './commands/send';
import { registerServe } from './commands/serve';
import { registerValidate } from './commands/validate';
import { registerWorker } from './commands/worker';
import type { CliIo } from './io';
import { version } from './version';

const registrars: CommandRegistrar[] = [
  registerInit,
  registerNewConnector,
  registerValidate,
  registerGraph,
  registerRun,
  registerSandbox,
  registerServe,
  registerSend,
  registerWorker,
  registerApprove,
  registerReplay,
  registerConnectorDiff,
];

/**
 * Runs the `baton` CLI on `argv` (without `node` and the script) and
 * resolves with the exit code: the one the command's action returned, or,
 * when it threw, the error's (a `CliError`'s own `exitCode`, else its code's
 * in `ERROR_CATALOG`, else 1), printed as `error CODE: message`. This is the one place errors become exit codes.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('baton')
    .description('Baton: an integration hub that routes signed webhooks to flows of connector actions.')
    .version(version, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage mistakes name their code like every other CLI error.
      outputError: (text, write) =>
        write(text.startsWith('error: ') ? `error USAGE: ${text.slice('error: '.length)}` : text),
    });
  let exitCode = 0;
  const exitWith: ExitWith =
    (action) =>
    async (...args) => {
      exitCode = await action(...args);
    };
  for (const register of registrars) register(program, io, exitWith);
  markRequired(program);
  if (argv.length === 0) {
    // `baton` alone asks what there is: the help, on stdout, and no error.
    io.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return error.exitCode;
    }
    // Any Baton error (the CLI's, the runtime's, a backend's), recognised by its marker, not its class.
    if (isBatonError(error)) {
      io.stderr.write(`error ${error.code}: ${error.message}\n`);
      const own = (error as { exitCode?: unknown }).exitCode;
      return typeof own === 'number' ? own : exitCodeOf(error.code);
    }
    const code = (error as { code?: unknown })?.code;
    io.stderr.write(
      `error ${typeof code === 'string' ? code : 'UNEXPECTED'}: ${(error as Error)?.message ?? String(error)}\n`,
    );
    return 1;
  }
}

/** Commander lists a required option like any other: say it in its help line. */
function markRequired(command: Command): void {
  for (const option of command.options) {
    if (option.mandatory && !option.description.startsWith('(required)')) {
      option.description = `(required) ${option.description}`;
    }
  }
  for (const sub of command.commands) markRequired(sub);
}
