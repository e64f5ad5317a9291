import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { type JsonDocument, parseJsonDocument } from '../json/json-document';
import { schemaDiagnostics } from '../json/schema-issues';
import { type Flow, flowSchema } from './schema';

/** A flow file read with positions: the flow when it matches the schema, and what is wrong otherwise. */
export interface LoadedFlow {
  file: string;
  /** The parsed file; absent when it could not be read. */
  document: JsonDocument | undefined;
  /** The flow, when the file is JSON and matches the flow schema. */
  flow: Flow | undefined;
  /** JSON syntax and schema errors, every one of them, in reading order. */
  diagnostics: Diagnostic[];
}

/**
 * Reads a flow file and checks its syntax and its shape against the flow
 * schema. Cross-checks (connectors, references, cycles) are `validateFlow`'s.
 *
 * @example
 * ```ts
 * const { flow, diagnostics } = await loadFlowFile('flows/order.json');
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
export async function loadFlowFile(file: string): Promise<LoadedFlow> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return {
      file,
      document: undefined,
      flow: undefined,
      diagnostics: [
        {
          file,
          line: 1,
          col: 1,
          pointer: '',
          code: 'FLOW_READ_FAILED',
          message: `cannot read the flow file: ${reason}`,
        },
      ],
    };
  }
  return parseFlow(text, file);
}

/** `loadFlowFile` for text already in memory; `file` is used in diagnostics. */
export function parseFlow(text: string, file: string): LoadedFlow {
  const { document, diagnostics } = parseJsonDocument(text, file, {
    syntax: 'FLOW_JSON_SYNTAX',
    duplicateKey: 'FLOW_DUPLICATE_KEY',
  });
  if (document.value === undefined) return { file, document, flow: undefined, diagnostics };
  const parsed = flowSchema.safeParse(document.value);
  if (parsed.success) return { file, document, flow: parsed.data, diagnostics };
  return {
    file,
    document,
    flow: undefined,
    diagnostics: [
      ...diagnostics,
      ...schemaDiagnostics(document, flowSchema, parsed.error.issues, 'FLOW_SCHEMA'),
    ],
  };
}
