import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/workspace';

/**
 * The import rules of .dependency-cruiser.mjs (no cycle in any package; the
 * runtime's folders in layers) hold over the whole workspace, with no
 * exception beyond its KNOWN_VIOLATIONS, each of which still occurs.
 */

const configFile = join(repoRoot, '.dependency-cruiser.mjs');

interface ConfigModule {
  CHECKED_PATHS: string[];
  KNOWN_VIOLATIONS: IViolation[];
}

async function check(baseDir: string, paths: string[], options: ICruiseOptions): Promise<ICruiseResult> {
  const { output } = await cruise(paths, { ...options, baseDir });
  if (typeof output === 'string')
    throw new Error(`dependency-cruiser answered text, not a result: ${output}`);
  return output;
}

/** `from → to [rule]`, or the cycle, one violation a line. */
function describeViolation(v: IViolation): string {
  const where = v.cycle ? [v.from, ...v.cycle.map((m) => m.name)].join(' → ') : `${v.from} → ${v.to}`;
  return `${v.rule.name}: ${where}`;
}

/** Whether a known violation is this one: a cycle by its modules, anything else by its ends. */
function sameViolation(known: IViolation, found: IViolation): boolean {
  if (known.rule.name !== found.rule.name) return false;
  if (known.cycle && found.cycle) {
    const names = new Set(found.cycle.map((m) => m.name));
    return known.cycle.length === names.size && known.cycle.every((m) => names.has(m.name));
  }
  return known.from === found.from && known.to === found.to;
}

describe('import rules', () => {
  let config: ConfigModule;
  let options: ICruiseOptions;
  beforeAll(async () => {
    config = (await import(pathToFileURL(configFile).href)) as ConfigModule;
    options = await extractDepcruiseOptions(configFile);
  });

  it('hold over every package, beyond the known violations', async () => {
    const result = await check(repoRoot, config.CHECKED_PATHS, options);
    const broken = result.summary.violations.filter((v) => v.rule.severity !== 'ignore');
    expect(broken.map(describeViolation), 'imports that break .dependency-cruiser.mjs').toEqual([]);
    // A sanity floor: the cruise found our sources at all.
    expect(result.summary.totalCruised).toBeGreaterThan(300);

    const ignored = result.summary.violations.filter((v) => v.rule.severity === 'ignore');
    const stale = config.KNOWN_VIOLATIONS.filter((known) => !ignored.some((v) => sameViolation(known, v)));
    expect(
      stale.map(describeViolation),
      'known violations that no longer occur: remove them from KNOWN_VIOLATIONS',
    ).toEqual([]);
  });

  it('is the check `pnpm deps:check` runs', async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts['deps:check']).toMatch(/^depcruise --config \.dependency-cruiser\.mjs /);
    expect(manifest.scripts['deps:check']!.endsWith(` ${config.CHECKED_PATHS.join(' ')}`)).toBe(true);
  });

  describe('on a workspace that breaks them', () => {
    let scratch: Awaited<ReturnType<typeof tempDir>>;
    const files: Record<string, string> = {
      // model/ imports engine/, a layer above it, and the two import each other.
      'packages/runtime/src/model/record.ts':
        "import type { Worker } from '../engine/worker';\nexport type Record = { by?: Worker };\n",
      'packages/runtime/src/engine/worker.ts':
        "import type { Record } from '../model/record';\nimport { helper } from '../widgets/helper';\nexport type Worker = { record?: Record };\nexport const use = helper;\n",
      // A folder that has no layer yet.
      'packages/runtime/src/widgets/helper.ts': 'export const helper = 1;\n',
      // A production file of another package that imports test support.
      'packages/gateway/src/app.ts':
        "import { fake } from './__fixtures__/fake';\nexport const app = fake;\n",
      'packages/gateway/src/__fixtures__/fake.ts': 'export const fake = 1;\n',
    };

    beforeAll(async () => {
      scratch = await tempDir('baton-deps-');
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(scratch.path, path)), { recursive: true });
        await writeFile(join(scratch.path, path), text);
      }
    });
    afterAll(() => scratch?.remove());

    it('reports the cycle, the import upward, the unlisted folder and the test support in production', async () => {
      const result = await check(scratch.path, ['packages/*/src'], { ...options, knownViolations: [] });
      const found = result.summary.violations.map(describeViolation);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^no-circular: .*model\/record\.ts.*engine\/worker\.ts/),
          'runtime-layer-model: packages/runtime/src/model/record.ts → packages/runtime/src/engine/worker.ts',
          'runtime-layer-unlisted: packages/runtime/src/engine/worker.ts → packages/runtime/src/widgets/helper.ts',
          'test-support-only-in-tests: packages/gateway/src/app.ts → packages/gateway/src/__fixtures__/fake.ts',
        ]),
      );
      expect(result.summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
    });
  });
});
