import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DASHBOARD_FILES } from '../../dashboard/bundle-options';
import { bundleDashboardFromSource } from './dev-bundle';

/** One file of the dashboard bundle, ready to serve. */
export interface DashboardAsset {
  body: Uint8Array;
  /** The same bytes gzipped, for clients that accept it (the prebuilt bundle only: it is read once). */
  gzip?: Uint8Array;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The published package ships a prebuilt bundle; the sources (tests, development) bundle on demand. */
const fromSource = import.meta.url.endsWith('.ts');

/**
 * Loads the dashboard's browser bundle. From `dist`, the files the package
 * build wrote next to this module (`dist/dashboard/`), read once per
 * process; from the TypeScript sources, an in-memory esbuild bundle of
 * `dashboard/main.tsx` made for each page load, so tests and `tsx` runs
 * never serve a stale build.
 */
export function dashboardAssetLoader(): () => Promise<ReadonlyMap<string, DashboardAsset>> {
  let loading: Promise<ReadonlyMap<string, DashboardAsset>> | undefined;
  return () => {
    if (fromSource) return bundleDashboardFromSource().then((files) => prepare(files, false));
    loading ??= readBuilt()
      .then((files) => prepare(files, true))
      .catch((error: unknown) => {
        // A failed load is retried on the next request rather than remembered.
        loading = undefined;
        throw error;
      });
    return loading;
  };
}

function prepare(
  files: ReadonlyMap<string, Uint8Array>,
  compress: boolean,
): ReadonlyMap<string, DashboardAsset> {
  return new Map(
    [...files].map(([name, body]) => [
      name,
      {
        body,
        ...(compress ? { gzip: gzipSync(body) } : {}),
        type: TYPES[name] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      },
    ]),
  );
}

async function readBuilt(): Promise<Map<string, Uint8Array>> {
  const folder = fileURLToPath(new URL('./dashboard/', import.meta.url));
  const files = new Map<string, Uint8Array>();
  for (const name of DASHBOARD_FILES) {
    try {
      files.set(name, await readFile(`${folder}${name}`));
    } catch (error) {
      throw new Error(
        `the dashboard bundle is missing ${folder}${name} (${(error as Error).message}); rebuild @baton/gateway`,
        { cause: error },
      );
    }
  }
  return files;
}
