import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, validateHub } from '@baton/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace';
import { exampleConfig, scratchHub, validateInHub } from './hub-check';
import { codeBlocks, docPaths, readMarkdown } from './markdown';

/**
 * Every flow and config the docs show passes `baton validate`'s checks: a
 * ```json block with "steps" is a flow, checked against the last config
 * shown before it on the same page (or the example hub's config); one with
 * "connectors" or "sources" is a config. A block that is deliberately a
 * fragment says so in a `<!-- not-validated: reason -->` comment.
 */

interface JsonBlock {
  where: string;
  json: Record<string, unknown>;
  /** The config the page showed last before this block. */
  config: Record<string, unknown> | undefined;
}

const pages = await Promise.all(docPaths().map(readMarkdown));
const flows: JsonBlock[] = [];
const configs: JsonBlock[] = [];
const unparsable: string[] = [];
const skipped: string[] = [];

for (const page of pages) {
  let config: Record<string, unknown> | undefined;
  for (const block of codeBlocks(page)) {
    if (block.lang !== 'json') continue;
    if (block.notValidated) {
      skipped.push(`${block.where} (${block.notValidated})`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(block.value);
    } catch (error) {
      unparsable.push(`${block.where}: ${(error as Error).message}`);
      continue;
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) continue;
    const object = json as Record<string, unknown>;
    if ('steps' in object) flows.push({ where: block.where, json: object, config });
    else if ('connectors' in object || 'sources' in object) {
      configs.push({ where: block.where, json: object, config });
      config = object;
    }
  }
}

let hub: Awaited<ReturnType<typeof scratchHub>>;
beforeAll(async () => {
  hub = await scratchHub();
});
afterAll(async () => {
  await hub?.remove();
});

describe('JSON in the docs', () => {
  it('parses, unless a comment says the block is a fragment', () => {
    expect(unparsable).toEqual([]);
  });

  it('marks few blocks as not validated', () => {
    // The marker is for fragments that cannot stand alone; most examples must be whole.
    expect(skipped.length, skipped.join('\n')).toBeLessThanOrEqual(8);
  });

  it('are checked for real: a typo in an action or an output path is caught', async () => {
    const flow = {
      id: 'typo',
      steps: [
        { id: 'stock', action: 'inventory.check-stock', input: { sku: 'MUG-CERAMIC-12OZ' } },
        { id: 'post', action: 'notify.send-mesage', input: { text: '{{ steps.stock.output.availble }}' } },
      ],
    };
    const problems = (await validateInHub(hub.path, await exampleConfig(), flow)).join('\n');
    expect(problems).toContain('[STEP_UNKNOWN_ACTION]');
    expect(problems).toContain('[REF_OUTPUT_PATH]');
  });

  it('holds flows and configs to check', () => {
    expect(flows.length).toBeGreaterThanOrEqual(10);
    expect(configs.length).toBeGreaterThanOrEqual(3);
  });
});

describe.each(configs.map((c) => [c.where, c] as const))('config %s', (_where, block) => {
  it('passes baton validate', async () => {
    expect(await validateInHub(hub.path, block.json)).toEqual([]);
  });
});

describe.each(flows.map((f) => [f.where, f] as const))('flow %s', (_where, block) => {
  it('passes baton validate against the config shown before it', async () => {
    const config = block.config ?? (await exampleConfig());
    expect(await validateInHub(hub.path, config, block.json)).toEqual([]);
  });
});

describe('examples/', () => {
  const examples = join(repoRoot, 'examples');

  it('the example hub passes baton validate', async () => {
    const result = await validateHub({
      configPath: join(examples, 'baton.config.json'),
      conditions: ['@baton/source'],
    });
    expect(result.diagnostics.map((d) => formatDiagnostic(d, { cwd: examples }))).toEqual([]);
    expect(result.flows.length).toBeGreaterThanOrEqual(5);
  });

  it('every event file is a JSON object that baton send and baton run can read', async () => {
    const files = (await readdir(join(examples, 'events'))).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const json = JSON.parse(await readFile(join(examples, 'events', file), 'utf8'));
      expect(typeof json === 'object' && json !== null && !Array.isArray(json), file).toBe(true);
    }
  });
});
