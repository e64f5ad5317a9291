import { checkCompatibility } from '@baton/sdk/testing';
import { expect, it } from 'vitest';
import connector from './index';

// compat/manifest.json is the manifest of the last published version: a change that breaks flows
// written against it needs a major changeset. `pnpm compat:baseline` rewrites it at release.
it('breaks no flow written against the last published version, unless a changeset says major', async () => {
  const report = await checkCompatibility(connector, { packageDir: new URL('..', import.meta.url) });
  expect(report.baseline).not.toBe('missing');
  expect(report.problems).toEqual([]);
});
