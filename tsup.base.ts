/**
 * The one build configuration every published package shares. Packages call
 * `defineBatonBuild({ entry })` in their own `tsup.config.ts`; switching the
 * builder (tsup is in maintenance mode, tsdown succeeds it) touches this file
 * alone.
 */
import { defineConfig, type Options } from 'tsup';

export interface BatonBuildOptions {
  /** Entry points, relative to the package folder. @default ['src/index.ts'] */
  entry?: Record<string, string> | string[];
  /** Files that need `#!/usr/bin/env node` on top (CLI binaries). */
  banner?: Options['banner'];
  /** Extra options passed through untouched. */
  extra?: Options;
}

export function defineBatonBuild(options: BatonBuildOptions = {}) {
  return defineConfig({
    entry: options.entry ?? ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    // No keepNames: it wraps every closure in a call to __name, which the hot
    // paths pay on each step and each webhook. Error classes (recognised by
    // name across copies of the SDK) keep theirs: a test checks the bundles
    // (test/e2e/bundle-names.test.ts).
    ...(options.banner ? { banner: options.banner } : {}),
    ...options.extra,
  });
}
