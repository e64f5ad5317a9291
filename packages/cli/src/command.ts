import type { Command } from 'commander';
import type { CliIo } from './io';

/**
 * Turns an action that resolves with the exit code into a commander action
 * (commander ignores what actions return) and hands the code to `runCli`.
 *
 * @example
 * ```ts
 * program.command('check').action(exitWith(async () => (await check()) ? 0 : 1));
 * ```
 */
export type ExitWith = <TArgs extends unknown[]>(
  action: (...args: TArgs) => number | Promise<number>,
) => (...args: TArgs) => Promise<void>;

/** Each command registers itself with its options and an action wrapped in `exitWith`. */
export type CommandRegistrar = (program: Command, io: CliIo, exitWith: ExitWith) => void;
