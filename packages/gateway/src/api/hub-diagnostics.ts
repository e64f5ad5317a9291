import { relative } from 'node:path';
import { type Diagnostic, validateHub } from '@baton/runtime';
import { isBatonError } from '@baton/sdk';
import { redactValue } from '@baton/sdk/host';
import type { z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import type { HubDiagnostics } from './hub-schemas';

type Answer = z.infer<typeof HubDiagnostics>;

/**
 * Checks the hub's files as they are on disk now, the way a restart would:
 * `loadHub` refuses to start on any diagnostic, so an operator editing a
 * flow sees here what would stop the next start. Calls that arrive while a
 * check runs share it: a check imports connector manifests and reads every
 * flow file, and a dashboard open in several tabs must not multiply that.
 */
export function hubDiagnosticsReader(deps: GatewayDeps): () => Promise<Answer> {
  let running: Promise<Answer> | undefined;
  return () => {
    running ??= check(deps).finally(() => {
      running = undefined;
    });
    return running;
  };
}

async function check(deps: GatewayDeps): Promise<Answer> {
  const { hub } = deps;
  const checkedAt = new Date(deps.now()).toISOString();
  const present = (d: Diagnostic) => ({
    file: d.file,
    path: relative(hub.baseDir, d.file),
    line: d.line,
    col: d.col,
    pointer: d.pointer,
    code: d.code,
    message: d.message,
  });
  const configFile = { file: hub.configPath, path: relative(hub.baseDir, hub.configPath) };
  let answer: Answer;
  try {
    // `env` is left out, as `baton validate` does: secrets were read at start-up and are not re-read here.
    // Connector packages resolve as they did when the hub was loaded, or the check would report load
    // failures that a restart would not have.
    const validation = await validateHub({ configPath: hub.configPath, conditions: hub.conditions });
    answer = {
      checkedAt,
      valid: validation.diagnostics.length === 0,
      config: { ...configFile, diagnostics: validation.configDiagnostics.map(present) },
      flows: validation.flows.map((report) => {
        const id = report.flow?.id ?? loadedFrom(hub.flowFiles, report.file);
        return {
          file: report.file,
          path: relative(hub.baseDir, report.file),
          id,
          loaded: id !== null && deps.engine.flows.has(id),
          definition: report.flow ?? null,
          diagnostics: report.diagnostics.map(present),
        };
      }),
    };
  } catch (error) {
    if (!isBatonError(error) || error.code !== 'CONFIG_NOT_FOUND') throw error;
    const diagnostic = {
      ...configFile,
      line: 1,
      col: 1,
      pointer: '',
      code: 'CONFIG_NOT_FOUND',
      message: `${hub.configPath} no longer exists: the next start would fail`,
    };
    answer = { checkedAt, valid: false, config: { ...configFile, diagnostics: [diagnostic] }, flows: [] };
  }
  // Diagnostics quote values from the files; a literal secret in the config must not come back out.
  return redactValue(answer, hub.secrets) as Answer;
}

/** A file that no longer parses still belongs to the flow loaded from it. */
function loadedFrom(flowFiles: ReadonlyMap<string, string>, file: string): string | null {
  for (const [id, path] of flowFiles) if (path === file) return id;
  return null;
}
