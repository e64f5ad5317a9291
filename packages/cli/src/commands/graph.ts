import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { flowToMermaid, formatDiagnostic, loadFlowFile } from '@baton/runtime';
import { type Command, Option } from 'commander';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { type CliIo, warn } from '../io';
import { configOption, resolveConfigPath } from '../require-config';

/**
 * `baton graph FLOW [--config F]`: prints a flow as a Mermaid flowchart.
 * FLOW is a flow file, or the id of a flow in the config's flows folder.
 */
export function registerGraph(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('graph')
    .description('Print a flow as a Mermaid flowchart (paste it into Markdown or mermaid.live)')
    .argument('<flow>', "a flow file, or the id of a flow in the config's flows folder")
    .addOption(configOption('the hub configuration, to find a flow by id'))
    .addOption(
      new Option('--direction <dir>', 'layout: top-down or left-right').choices(['TD', 'LR']).default('TD'),
    )
    .action(
      exitWith(async (target: string, opts: { config: string; direction: 'TD' | 'LR' }) => {
        const file = await findFlowFile(target, io.cwd, resolveConfigPath(io, opts.config));
        const loaded = await loadFlowFile(file);
        if (!loaded.flow) {
          for (const diagnostic of loaded.diagnostics)
            warn(io, formatDiagnostic(diagnostic, { cwd: io.cwd }));
          throw new CliError(
            'FLOW_INVALID',
            `${relative(io.cwd, file)} is not a valid flow; fix the errors above (baton validate lists them all)`,
          );
        }
        io.stdout.write(flowToMermaid(loaded.flow, { direction: opts.direction }));
        return 0;
      }),
    );
}

async function findFlowFile(target: string, cwd: string, configPath: string): Promise<string> {
  const direct = resolve(cwd, target);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  if (!existsSync(configPath)) {
    throw new CliError(
      'FLOW_NOT_FOUND',
      `no file ${target}, and no ${relative(cwd, configPath)} to look up a flow with that id`,
    );
  }
  const folder = resolve(dirname(configPath), await flowsFolder(configPath));
  const files = existsSync(folder) ? (await readdir(folder)).filter((f) => f.endsWith('.json')).sort() : [];
  const ids: string[] = [];
  for (const name of files) {
    const id = await flowId(join(folder, name));
    if (id === target) return join(folder, name);
    if (id) ids.push(id);
  }
  const known = ids.length ? `; flows there: ${ids.join(', ')}` : '';
  throw new CliError(
    'FLOW_NOT_FOUND',
    `no file ${target}, and no flow with id "${target}" in ${relative(cwd, folder) || '.'}${known}`,
  );
}

async function flowsFolder(configPath: string): Promise<string> {
  try {
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { flows?: unknown };
    return typeof config.flows === 'string' ? config.flows : './flows';
  } catch {
    return './flows';
  }
}

async function flowId(file: string): Promise<string | undefined> {
  try {
    const flow = JSON.parse(await readFile(file, 'utf8')) as { id?: unknown };
    return typeof flow.id === 'string' ? flow.id : undefined;
  } catch {
    return undefined;
  }
}
