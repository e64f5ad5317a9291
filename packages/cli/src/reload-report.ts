import type { ReloadOutcome } from '@baton/runtime';
import { type CliIo, say, warn } from './io';

/** What a reload log line carries, for the JSON logs of `baton worker`. */
interface ReloadLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Runs one reload and tells the operator how it went: the flows now current
 * with their versions and what needs a restart (stdout), or every
 * diagnostic of a refused change (stderr). Never throws for a refused
 * change: the running flows stay and the process goes on.
 */
export async function reloadAndReport(
  io: CliIo,
  why: string,
  reload: () => Promise<ReloadOutcome>,
  log?: ReloadLog,
): Promise<void> {
  const outcome = await reload();
  if (!outcome.ok) {
    log?.warn({ diagnostics: outcome.diagnostics }, 'reload refused: the files do not check out');
    warn(io, `${why}: reload refused, the running flows stay:`);
    for (const line of outcome.diagnostics) warn(io, `  ${line}`);
    return;
  }
  log?.info({ flows: outcome.flows, restartNeeded: outcome.restartNeeded }, 'reloaded');
  say(io, `${why}: reloaded ${outcome.flows.map((f) => `${f.id}@${f.version}`).join(', ') || 'no flows'}`);
  if (outcome.restartNeeded.length > 0) {
    warn(io, `${why}: changed in the config, applied only by a restart: ${outcome.restartNeeded.join(', ')}`);
  }
}
