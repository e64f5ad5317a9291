/**
 * `@baton/cli`: the `baton` command. Import `runCli` to drive it from code
 * (tests, wrappers); users run the `baton` binary. A program that runs an
 * engine in its own process can start OpenTelemetry as the commands do
 * (`startTracing`, `stopTracing`).
 *
 * @example
 * ```ts
 * import { runCli, processIo } from '@baton/cli';
 * process.exitCode = await runCli(['validate', '--config', 'baton.config.json'], processIo());
 * ```
 *
 * @module
 */
export { CLI_ERROR_CODES, CliError, type CliErrorCode } from './cli-error';
export { type ScaffoldOptions, scaffoldConnector } from './commands/new-connector';
export { type HubScaffoldOptions, scaffoldHub } from './hub-scaffold/scaffold-hub';
export { type CliIo, processIo } from './io';
export { runCli } from './program';
export { startTracing, stopTracing, tracingWanted } from './tracing';
