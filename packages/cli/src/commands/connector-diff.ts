import { diffManifests } from '@baton/sdk/host';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ExitWith } from '../command';
import { type LoadedManifest, loadManifest } from '../connector-source/load-manifest';
import { type CliIo, say } from '../io';
import { renderDiff } from '../render/diff-table';

/**
 * `baton connector diff OLD NEW [--json]`: compares two versions of a
 * connector through their manifests (config, and each action's input and
 * output schemas) and lists every change, breaking ones first. OLD and NEW
 * are each a connector folder (built), a package tarball, a manifest JSON
 * file (such as a committed `compat/manifest.json`) or a package installed
 * here. Exit 0 when nothing breaks, 1 when something does (possibly
 * breaking counts), 2 when OLD or NEW cannot be read.
 */
export function registerConnectorDiff(program: Command, io: CliIo, exitWith: ExitWith): void {
  const connector =
    program.commands.find((c) => c.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('diff')
    .description(
      "Compare two versions of a connector (config, and each action's input and output) and list breaking changes",
    )
    .argument(
      '<old>',
      'the version flows were written for: a folder, a .tgz, a manifest .json or an installed package',
    )
    .argument('<new>', 'the version to upgrade to, in any of the same forms')
    .option('--json', 'print the comparison as JSON ({ verdict, counts, changes, old, new })')
    .addHelpText(
      'after',
      '\nExit: 0 nothing breaks, 1 something breaks (possibly breaking counts), 2 OLD or NEW cannot be read.',
    )
    .action(
      exitWith(async (oldSpec: string, newSpec: string, opts: { json?: boolean }) => {
        const before = await loadManifest(oldSpec, io.cwd);
        const after = await loadManifest(newSpec, io.cwd);
        const diff = diffManifests(before.manifest, after.manifest);
        if (opts.json) {
          const side = (loaded: LoadedManifest, spec: string) => ({
            spec,
            from: loaded.from,
            name: loaded.manifest.name,
            ...(loaded.packageName ? { package: loaded.packageName } : {}),
            ...(loaded.manifest.version ? { version: loaded.manifest.version } : {}),
          });
          say(
            io,
            JSON.stringify({ ...diff, old: side(before, oldSpec), new: side(after, newSpec) }, null, 2),
          );
        } else {
          const colors = pc.createColors(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
          let names = { old: describe(before, oldSpec), new: describe(after, newSpec) };
          if (names.old === names.new) names = { old: oldSpec, new: newSpec };
          for (const line of renderDiff(diff, names, colors)) say(io, line);
        }
        return diff.verdict === 'breaking' ? 1 : 0;
      }),
    );
}

/** A version as the verdict names it: `@acme/connector@1.2.0`, else the name given. */
function describe(loaded: LoadedManifest, spec: string): string {
  const name = loaded.packageName ?? loaded.manifest.name;
  return loaded.manifest.version ? `${name}@${loaded.manifest.version}` : spec;
}
