import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector } from '../define';
import { checkCompatibility } from './check-compatibility';

/** Manifests are read, never run. */
const run = async (): Promise<never> => {
  throw new Error('not run');
};

function helpdesk(input: z.ZodObject = z.object({ subject: z.string() })) {
  return defineConnector({
    name: 'acme-helpdesk',
    config: z.object({ apiKey: z.string() }),
    actions: {
      'create-ticket': defineAction({
        input,
        output: z.object({ id: z.string() }),
        examples: [{ input: { subject: 'Printer on fire' }, output: { id: 't_1' } }],
        run,
      }),
    },
  });
}

describe('checkCompatibility', () => {
  let repo: string;
  let packageDir: string;
  const setVersion = (version: string) =>
    writeFile(join(packageDir, 'package.json'), JSON.stringify({ name: 'baton-connector-acme', version }));
  const changeset = (name: string, bump: string) =>
    writeFile(
      join(repo, '.changeset', name),
      `---\n"baton-connector-acme": ${bump}\n"other": major\n---\n\nWhy.\n`,
    );

  beforeEach(async () => {
    // A repository with its changesets at the root and the package in a folder, as Baton's own.
    repo = await mkdtemp(join(tmpdir(), 'baton-compat-'));
    packageDir = join(repo, 'connectors/acme');
    await mkdir(packageDir, { recursive: true });
    await mkdir(join(repo, '.changeset'));
    await writeFile(join(repo, '.changeset/README.md'), '---\n"baton-connector-acme": major\n---\n');
    await setVersion('0.1.0');
  });
  afterEach(() => rm(repo, { recursive: true, force: true }));

  it('passes without a baseline: nothing was published', async () => {
    const report = await checkCompatibility(helpdesk(), { packageDir });
    expect(report).toMatchObject({ baseline: 'missing', problems: [], packageName: 'baton-connector-acme' });
  });

  it('writes the baseline with the package version and without examples, then finds no change', async () => {
    const written = await checkCompatibility(helpdesk(), { packageDir, update: true });
    expect(written.baseline).toBe('written');
    const file = join(packageDir, 'compat/manifest.json');
    const baseline = JSON.parse(await readFile(file, 'utf8'));
    expect(baseline).toMatchObject({ name: 'acme-helpdesk', version: '0.1.0' });
    expect(baseline.actions['create-ticket'].examples).toBeUndefined();

    const report = await checkCompatibility(helpdesk(), { packageDir });
    expect(report).toMatchObject({ baseline: 'compared', baselineVersion: '0.1.0', problems: [] });
    expect(report.diff?.verdict).toBe('none');
  });

  it('passes an additive change', async () => {
    await checkCompatibility(helpdesk(), { packageDir, update: true });
    const wider = helpdesk(z.object({ subject: z.string(), body: z.string().optional() }));
    const report = await checkCompatibility(wider, { packageDir });
    expect(report.problems).toEqual([]);
    expect(report.diff?.verdict).toBe('additive');
  });

  it('fails a breaking change that no changeset announces as major (README.md is no changeset)', async () => {
    await checkCompatibility(helpdesk(), { packageDir, update: true });
    await changeset('calm-tickets.md', 'minor');
    const narrower = helpdesk(z.object({ subject: z.string(), email: z.email() }));
    const report = await checkCompatibility(narrower, { packageDir });
    expect(report.problems).toEqual([
      'create-ticket input.email: new required field: flows that do not give it are refused (breaking)',
      'these changes break flows written for baton-connector-acme@0.1.0 (compat/manifest.json): add a changeset with "baton-connector-acme": major, or keep the old shape beside the new one',
    ]);
    expect(report.allowedBy).toBeUndefined();
  });

  it('passes a breaking change with a pending major changeset for the package', async () => {
    await checkCompatibility(helpdesk(), { packageDir, update: true });
    await changeset('bold-tickets.md', 'major');
    const report = await checkCompatibility(helpdesk(z.object({ title: z.string() })), { packageDir });
    expect(report).toMatchObject({ problems: [], allowedBy: 'changeset ../../.changeset/bold-tickets.md' });
    expect(report.diff?.verdict).toBe('breaking');
  });

  it('passes a breaking change once the version is a major above the baseline (changeset version ran)', async () => {
    await checkCompatibility(helpdesk(), { packageDir, update: true });
    await setVersion('1.0.0');
    const report = await checkCompatibility(helpdesk(z.object({ title: z.string() })), { packageDir });
    expect(report).toMatchObject({ problems: [], allowedBy: 'version 1.0.0 (baseline 0.1.0)' });
  });

  it('reads the baseline and changesets where it is told, and writes when BATON_COMPAT_UPDATE=1', async () => {
    const previous = process.env.BATON_COMPAT_UPDATE;
    process.env.BATON_COMPAT_UPDATE = '1';
    try {
      await checkCompatibility(helpdesk(), { packageDir, baseline: 'api/v1.json' });
    } finally {
      if (previous === undefined) delete process.env.BATON_COMPAT_UPDATE;
      else process.env.BATON_COMPAT_UPDATE = previous;
    }
    expect(existsSync(join(packageDir, 'api/v1.json'))).toBe(true);
    const report = await checkCompatibility(helpdesk(z.object({ title: z.string() })), {
      packageDir: pathToFileURL(`${packageDir}/`),
      baseline: 'api/v1.json',
      changesets: join(repo, 'nowhere'),
    });
    expect(report.problems).toHaveLength(3);
  });
});
