import { fileURLToPath } from 'node:url';
import { DASHBOARD_BUNDLE, DASHBOARD_FILES } from '../../dashboard/bundle-options';

/** Requests this close together (the shell asks for app.js and app.css at once) share one bundle. */
const REUSE_MS = 1_000;
let latest: { at: number; files: Promise<Map<string, Uint8Array>> } | undefined;

/**
 * Bundles the dashboard from its TypeScript sources in memory, with the
 * options of the package build plus an inline source map, anew for each
 * page load, so an edit shows on reload without restarting the gateway.
 * Only reached when the gateway itself runs from source: esbuild is a
 * development dependency and the published build never imports it.
 */
export function bundleDashboardFromSource(): Promise<Map<string, Uint8Array>> {
  if (latest && Date.now() - latest.at < REUSE_MS) return latest.files;
  const files = bundle();
  latest = { at: Date.now(), files };
  files.catch(() => {
    if (latest?.files === files) latest = undefined;
  });
  return files;
}

async function bundle(): Promise<Map<string, Uint8Array>> {
  const packageDir = fileURLToPath(new URL('../../', import.meta.url));
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: DASHBOARD_BUNDLE.entry,
    outdir: DASHBOARD_BUNDLE.outDir,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: [...DASHBOARD_BUNDLE.target],
    jsx: DASHBOARD_BUNDLE.jsx,
    jsxImportSource: DASHBOARD_BUNDLE.jsxImportSource,
    tsconfig: DASHBOARD_BUNDLE.tsconfig,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  for (const output of result.outputFiles) {
    const name = output.path.split(/[\\/]/).pop()!;
    if ((DASHBOARD_FILES as readonly string[]).includes(name)) files.set(name, output.contents);
  }
  for (const name of DASHBOARD_FILES)
    if (!files.has(name)) throw new Error(`bundling the dashboard produced no ${name}`);
  return files;
}
