import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ExitWith } from '../command';
import { FIRST_EVENT, FIRST_SOURCE } from '../hub-scaffold/first-flow';
import { DEFAULT_CONNECTORS, FIRST_PARTY } from '../hub-scaffold/first-party';
import { scaffoldHub } from '../hub-scaffold/scaffold-hub';
import { type CliIo, say } from '../io';

interface InitOptions {
  connectors?: string;
  name?: string;
  packages?: string;
}

/**
 * `baton init [DIR] [--connectors a,b] [--name N] [--packages DIR]`:
 * scaffolds a hub of one's own and prints the commands that run it.
 */
export function registerInit(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('init')
    .description('Scaffold a hub of your own: package.json, baton.config.json, a first flow, .env.example')
    .argument('[dir]', 'folder to create or fill (must be empty)', '.')
    .option(
      '--connectors <names>',
      `first-party connectors, comma-separated, from ${Object.keys(FIRST_PARTY).join(', ')} (default: ${DEFAULT_CONNECTORS.join(',')})`,
    )
    .option('--name <name>', "the hub's npm package name (default: the folder's name)")
    .option(
      '--packages <dir>',
      'a folder of @baton/* tarballs (pnpm pack:all in the Baton repository) to depend on instead of the registry',
    )
    .action(
      exitWith(async (dir: string, opts: InitOptions) => {
        const directory = resolve(io.cwd, dir);
        const files = await scaffoldHub({
          directory,
          ...(opts.connectors !== undefined
            ? {
                connectors: opts.connectors
                  .split(',')
                  .map((c) => c.trim())
                  .filter(Boolean),
              }
            : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.packages !== undefined ? { packages: resolve(io.cwd, opts.packages) } : {}),
        });
        const shown = relative(io.cwd, directory) || '.';
        say(io, `Created a Baton hub in ${shown} with ${files.length} files:`);
        for (const file of files) say(io, `  ${file}`);
        say(io);
        say(io, 'Next:');
        if (shown !== '.') say(io, `  cd ${shown}`);
        say(io, '  npm install');
        say(io, '  npm run validate');
        say(io, '  npm run sandbox      # terminal 1: the emulated systems on 127.0.0.1:4010');
        say(io, '  npm run serve        # terminal 2: the gateway on 127.0.0.1:8080');
        say(
          io,
          `  npm run send -- ${FIRST_SOURCE.name} --type ${FIRST_EVENT.type} --data ${FIRST_EVENT.file}   # terminal 3`,
        );
        return 0;
      }),
    );
}
