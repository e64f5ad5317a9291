import { exec, pnpm, repoRoot } from './helpers/workspace';

/**
 * Builds every package once before the cross-package tests: packaging tests
 * pack `dist`, and child processes run the built `baton` binary. Turbo's
 * cache makes this quick when nothing changed.
 */
export default async function setup(): Promise<void> {
  // For quick local iterations on tests that need no build.
  if (process.env.BATON_SKIP_BUILD === '1') return;
  await exec(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
}
