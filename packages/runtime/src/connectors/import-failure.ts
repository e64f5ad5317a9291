import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * Why importing a connector module threw, saying where: Node gives an ES
 * module's syntax error no file or line, so the module is checked again
 * (`node --check`, only on this failure path) to find them; a TypeScript
 * entry is named as such, with the fix (build it first); an error thrown
 * while the module ran names the first of its frames in a file.
 */
export function importFailure(url: string, error: unknown): string {
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const message = (error as Error | undefined)?.message ?? String(error);
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && TYPESCRIPT.test(file)) {
    return `${file} is TypeScript, which Node does not import: build it first (such as npm run build) and point "use" at the built .js, or the package's "exports" at its dist`;
  }
  if ((error as Error | undefined)?.name === 'SyntaxError') {
    const where = syntaxErrorAt(file);
    return where
      ? `${where}: ${message}`
      : `importing it threw: ${message} (in a module ${file} imports; run node --check on it)`;
  }
  const frame = firstFileFrame(error);
  return `importing it threw: ${message}${frame ? ` (at ${frame})` : ''}`;
}

/** `file:line` of the syntax error in `file`, as `node --check` finds it; undefined when the file itself parses. */
function syntaxErrorAt(file: string): string | undefined {
  if (!file.startsWith('/') && !/^[A-Za-z]:\\/.test(file)) return undefined;
  const checked = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  if (checked.status === 0) return undefined;
  const first = checked.stderr.split('\n').find((line) => line.trim() !== '');
  return first && /:\d+$/.test(first) ? first : undefined;
}

/** The first stack frame in a file of the module's own (`path:line:column`), skipping Node's and loaders'. */
function firstFileFrame(error: unknown): string | undefined {
  const stack = (error as Error | undefined)?.stack ?? '';
  for (const match of stack.matchAll(/at (?:.*? \()?((?:file:\/\/)?\/[^()\s]+:\d+:\d+)\)?$/gm)) {
    const location = match[1]!.replace(/^file:\/\//, '');
    if (!location.includes('/node_modules/')) return location;
  }
  return undefined;
}
