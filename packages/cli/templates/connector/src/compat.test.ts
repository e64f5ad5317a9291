import { checkCompatibility } from '@baton/sdk/testing';
import { expect, it } from 'vitest';
import connector from './index';

// compat/manifest.json is the manifest of the version you last released: `npm run version-packages`
// writes it. A change that would break flows written against it (an action removed, an input field
// added as required or narrowed, an output field removed or changed, a required config field) fails
// here until a pending changeset asks for a major version. Before the first release there is no
// baseline and nothing to break. `npm run check:compat` runs this test alone.
it('breaks no flow written against the last released version, unless a changeset says major', async () => {
  const report = await checkCompatibility(connector, { packageDir: new URL('..', import.meta.url) });
  expect(report.problems).toEqual([]);
});
