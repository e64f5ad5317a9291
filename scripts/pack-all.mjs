#!/usr/bin/env node
// `pnpm pack:all [--out DIR] [--no-build]`: packs every publishable package
// (packages/* and connectors/* that are not private) with `pnpm pack` into
// one folder of tarballs (default .packages/), so `baton init --packages DIR`
// and `baton new connector --packages DIR` can install Baton before its
// packages are on the registry. Builds first (turbo's cache makes that quick).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { out: { type: 'string', default: '.packages' }, 'no-build': { type: 'boolean', default: false } },
});
const out = resolve(process.cwd(), values.out);
const pnpm = 'pnpm';

const publishable = ['packages', 'connectors'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, 'package.json')))
    .map((entry) => join(root, group, entry.name))
    .filter((folder) => !JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).private),
);

if (!values['no-build']) {
  console.log('Building Baton (cached after the first time)…');
  execFileSync(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
}

// One version of each package in the folder: `baton init --packages` refuses two.
mkdirSync(out, { recursive: true });
for (const file of readdirSync(out)) if (/^baton-.*\.tgz$/.test(file)) rmSync(join(out, file));
for (const folder of publishable) {
  execFileSync(pnpm, ['pack', '--pack-destination', out], { cwd: folder, stdio: 'ignore' });
}
const tarballs = readdirSync(out).filter((file) => file.endsWith('.tgz'));
console.log(`Packed ${publishable.length} packages into ${out}:`);
for (const file of tarballs.sort()) console.log(`  ${file}`);
const bin = join(root, 'packages/cli/dist/bin.js');
console.log(`
Until the packages are on the registry, make a hub or a connector with them, in any folder:
  node ${bin} init my-hub --packages ${out}
  node ${bin} new connector my-system --packages ${out}`);
