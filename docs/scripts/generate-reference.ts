/**
 * Rewrites the generated field tables of docs/flow-reference.md from the
 * zod schemas. Run it as `pnpm docs:generate` after changing
 * packages/runtime/src/flow/schema.ts or config/schema.ts, and commit the
 * result; `--check` only reports whether the page is current (exit 1 when
 * it is not), as the docs tests do.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { REFERENCE_PAGE, renderReference } from './reference/render-reference';

const page = new URL(`../${REFERENCE_PAGE}`, import.meta.url);
const current = await readFile(page, 'utf8');
const generated = renderReference(current);

if (process.argv.includes('--check')) {
  if (generated !== current) {
    process.stderr.write(`docs/${REFERENCE_PAGE} is out of date: run pnpm docs:generate\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`docs/${REFERENCE_PAGE} is current\n`);
  }
} else if (generated === current) {
  process.stdout.write(`docs/${REFERENCE_PAGE} is already current\n`);
} else {
  await writeFile(page, generated);
  process.stdout.write(`wrote the field tables of docs/${REFERENCE_PAGE}\n`);
}
