import { relative, resolve } from 'node:path';
import { formatDiagnostic, type HubValidation, validateHub } from '@baton/runtime';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ExitWith } from '../command';
import { type CliIo, say } from '../io';
import { configOption, requireConfig } from '../require-config';
import { checkOnline } from './check-online';
import { environmentToCheck } from './validate-env';

/**
 * `baton validate [--config F] [--env] [--env-file F] [--online] [FLOW…]`: checks baton.config.json,
 * the connectors it names (their manifests only) and the flows, prints each
 * problem as `file:line:col message [CODE]` and a summary line. With
 * `--env` or `--env-file`, also that every `{ "$env" }` of the config is set
 * in that environment (a production environment missing a variable staging
 * had is caught before the deploy). With
 * `--online`, once all that is valid, also runs every connector instance's
 * credentials check against its provider (one line per instance). Exit 0
 * when everything is valid, 1 otherwise.
 */
export function registerValidate(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('validate')
    .description('Check baton.config.json and flow files against the schemas and the connectors')
    .argument('[flows...]', "flow files to check (default: every *.json in the config's flows folder)")
    .addOption(configOption())
    .option('--env', 'check that every { "$env" } the config names is set in this process\'s environment')
    .option(
      '--env-file <file>',
      'check the { "$env" } references against the variables of this dotenv file (repeatable; with --env, on top of the environment)',
      (file: string, files: string[] = []) => [...files, file],
    )
    .option(
      '--online',
      "then check each connector instance's credentials with its provider (reads the config's secrets from the environment)",
    )
    .action(
      exitWith(async (flows: string[], opts: ValidateOptions) => {
        const configPath = requireConfig(io, opts.config);
        const flowPaths = flows.length ? flows.map((f) => resolve(io.cwd, f)) : undefined;
        const env = environmentToCheck(io, opts);
        const result = await validateHub({
          configPath,
          ...(flowPaths ? { flowPaths } : {}),
          ...(env ? { env } : {}),
        });
        for (const diagnostic of result.diagnostics) say(io, formatDiagnostic(diagnostic, { cwd: io.cwd }));
        // Warnings are shown, but do not fail the check.
        for (const warning of result.warnings) say(io, formatDiagnostic(warning, { cwd: io.cwd }));
        const colors = pc.createColors(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
        const line = summary(result, relative(io.cwd, configPath));
        say(io, result.diagnostics.length ? colors.red(line) : colors.green(line));
        if (result.diagnostics.length) return 1;
        return opts.online ? checkOnline(io, configPath, flowPaths) : 0;
      }),
    );
}

interface ValidateOptions {
  config: string;
  online?: boolean;
  env?: boolean;
  envFile?: string[];
}

/** `✓ 3 flows valid`, or `✗ 2 errors in 1 of 3 flows` (naming the config when it has errors too). */
export function summary(result: HubValidation, configName: string): string {
  const flowCount = plural(result.flows.length, 'flow');
  if (result.diagnostics.length === 0) return `✓ ${flowCount} valid`;
  const places: string[] = [];
  if (result.configDiagnostics.length) places.push(configName);
  const failing = result.flows.filter((f) => f.diagnostics.length > 0).length;
  if (failing) places.push(`${failing} of ${flowCount}`);
  const where = failing ? places.join(' and ') : `${places.join('')} (${flowCount} checked)`;
  return `✗ ${plural(result.diagnostics.length, 'error')} in ${where}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
