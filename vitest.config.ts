import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * One vitest project per workspace package. Every project resolves our
 * packages to their TypeScript sources through the `@baton/source` export
 * condition, so tests never need a build first.
 */
const sourceConditions = ['@baton/source', 'node', 'import', 'module', 'default'];
/**
 * Vitest hands the SSR conditions to Node as `--conditions` for the packages
 * it leaves to Node: without `module`, a bundler-only condition, whose builds
 * (@opentelemetry/api's) import without file extensions and fail in Node,
 * even when a CommonJS package (the OpenTelemetry SDK) requires them.
 */
const nodeConditions = sourceConditions.filter((condition) => condition !== 'module');

/**
 * Test files whose `expectTypeOf` assertions vitest also checks with tsc, so
 * the SDK's inferred types are tested by `pnpm test`, not only by `pnpm
 * typecheck` (a failed type assertion is a failed test).
 */
const typeTests: Record<string, string[]> = {
  'packages/sdk': ['src/**/*.test.ts'],
};

function packageProjects(folder: string) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${folder}/${entry.name}/package.json`))
    .map((entry) => ({
      extends: true as const,
      test: {
        name: `${folder}/${entry.name}`,
        root: `${folder}/${entry.name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        ...(typeTests[`${folder}/${entry.name}`]
          ? {
              typecheck: {
                enabled: true,
                include: typeTests[`${folder}/${entry.name}`],
                tsconfig: './tsconfig.json',
              },
            }
          : {}),
      },
    }));
}

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: ['@baton/source'] } },
  test: {
    /**
     * Vitest's default is one worker fewer than the cores: one on a 2-core
     * machine, where the suite then ran one file at a time. Most of a file's
     * time is spent waiting (Redis, child processes, loopback HTTP), so two
     * files at once there take about two thirds of the time; every test
     * keeps to its own Redis prefix, ports and temp folders, so files never
     * share state.
     */
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: false },
    projects: [
      ...packageProjects('packages'),
      ...packageProjects('connectors'),
      {
        extends: true as const,
        test: {
          name: 'test',
          root: 'test',
          include: ['**/*.test.ts'],
          exclude: ['bench/**', 'node_modules/**'],
          globalSetup: ['./global-setup.ts'],
        },
      },
    ],
  },
});
