import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedBlockNames } from '../../docs/scripts/reference/generated-blocks';
import { REFERENCE_PAGE, renderReference } from '../../docs/scripts/reference/render-reference';
import { repoRoot } from '../helpers/workspace';

/** The field tables of the flow reference are what the generator makes of the zod schemas today. */
describe('docs/flow-reference.md', () => {
  it('holds the generated field tables of the flow file and of baton.config.json', async () => {
    const page = await readFile(join(repoRoot, 'docs', REFERENCE_PAGE), 'utf8');
    expect(generatedBlockNames(page)).toEqual(['flow-fields', 'config-fields']);
  });

  it('is current: run `pnpm docs:generate` after changing a schema', async () => {
    const page = await readFile(join(repoRoot, 'docs', REFERENCE_PAGE), 'utf8');
    expect(renderReference(page)).toBe(page);
  });

  it('documents every field of the flow schema', async () => {
    const page = await readFile(join(repoRoot, 'docs', REFERENCE_PAGE), 'utf8');
    for (const field of [
      'needs',
      'forEach',
      'concurrency',
      'fallback',
      'compensate',
      'continueOnError',
      'respond',
      'catchUp',
      'dedupWindow',
      'backlogLimit',
      'egress',
    ]) {
      expect(page, field).toContain(`| \`${field}\` |`);
    }
  });
});
