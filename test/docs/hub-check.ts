import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, validateHub } from '@baton/runtime';
import { repoRoot, tempDir } from '../helpers/workspace';

/** Workspace connectors load from their TypeScript sources, as in every test. */
const conditions = ['@baton/source'];
const examplesDir = join(repoRoot, 'examples');

/** The example hub's config: what a flow in the docs is checked against when its page shows no config. */
export async function exampleConfig(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(examplesDir, 'baton.config.json'), 'utf8'));
}

/**
 * A throwaway hub folder whose connector packages resolve like the example
 * hub's (its node_modules is linked in), so a config from the docs that says
 * `"use": "@baton/connector-slack"` loads the real connector.
 */
export async function scratchHub() {
  const dir = await tempDir('baton-docs-');
  await symlink(join(examplesDir, 'node_modules'), join(dir.path, 'node_modules'), 'dir');
  await mkdir(join(dir.path, 'flows'));
  return dir;
}

/**
 * Runs `baton validate`'s checks (`validateHub`) on one config and,
 * optionally, one flow, in `folder`. Returns each problem as
 * `file:line:col message [CODE]`; empty when valid.
 */
export async function validateInHub(
  folder: string,
  config: Record<string, unknown>,
  flow?: Record<string, unknown>,
): Promise<string[]> {
  const configPath = join(folder, 'baton.config.json');
  await writeFile(configPath, JSON.stringify({ ...config, flows: './flows' }, null, 2));
  const flowPaths: string[] = [];
  if (flow) {
    const file = join(folder, 'flows', `${String(flow.id ?? 'flow')}.json`);
    await writeFile(file, JSON.stringify(flow, null, 2));
    flowPaths.push(file);
  }
  const result = await validateHub({ configPath, flowPaths, conditions });
  return result.diagnostics.map((d) => formatDiagnostic(d, { cwd: folder }));
}
