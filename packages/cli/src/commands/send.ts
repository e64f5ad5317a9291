import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { formatDiagnostic, loadConfigFile } from '@baton/runtime';
import { resolveEnv } from '@baton/runtime/internal';
import { newEventId, signWebhook, webhookBody } from '@baton/sandbox';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { type CliIo, say, warn } from '../io';
import { parseServerUrl } from '../options';
import { configOption, requireConfig } from '../require-config';

interface SendOptions {
  type: string;
  data?: string;
  url: string;
  config: string;
  id?: string;
}

/**
 * `baton send SOURCE --type T --data D.json [--url U]`: wraps the data the
 * way the source's sender does (a Standard Webhooks `{ type, timestamp,
 * data }` payload, a Stripe Event, GitHub and Shopify bodies as is), signs it
 * with the source's scheme and secret from baton.config.json, posts it and
 * prints the answer. Exit 0 on a 2xx.
 */
export function registerSend(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('send')
    .description("Sign an event as a source's sender would and post it to the gateway")
    .argument('<source>', 'a source name from baton.config.json')
    .requiredOption('--type <type>', 'the event type, e.g. order.created')
    .option('--data <file>', 'a JSON file with the event data (default: {})')
    .option('--url <url>', 'the gateway', 'http://127.0.0.1:8080')
    .option('--id <id>', "the event id (default: a new one in the sender's format)")
    .addOption(configOption())
    .action(exitWith((sourceName: string, opts: SendOptions) => send(io, sourceName, opts)));
}

async function send(io: CliIo, sourceName: string, opts: SendOptions): Promise<number> {
  const configPath = requireConfig(io, opts.config);
  const gateway = parseServerUrl(opts.url);
  const loaded = await loadConfigFile(configPath);
  if (!loaded.config) {
    const listed = loaded.diagnostics.map((d) => formatDiagnostic(d, { cwd: io.cwd })).join('\n  ');
    throw new CliError('CONFIG_INVALID', `${relative(io.cwd, configPath)} is invalid:\n  ${listed}`);
  }
  const source = loaded.config.sources?.[sourceName];
  if (!source) {
    const known = Object.keys(loaded.config.sources ?? {}).join(', ') || 'none';
    throw new CliError(
      'SOURCE_NOT_FOUND',
      `no source "${sourceName}" in ${relative(io.cwd, configPath)} (sources: ${known})`,
    );
  }
  const verify = source.verify;
  const secretRef = verify.secret ?? verify.secrets?.[0];
  if (secretRef === undefined)
    throw new CliError('SOURCE_SECRET_MISSING', `source "${sourceName}" has no secret`);
  const secret = String(resolveEnv(secretRef, io.env, `sources.${sourceName}.verify.secret`).value);

  const data = opts.data ? await readData(resolve(io.cwd, opts.data)) : {};
  const id = opts.id ?? newEventId(verify.scheme);
  const body = webhookBody(verify.scheme, { id, type: opts.type, data });
  const signed = signWebhook({
    scheme: verify.scheme,
    secret,
    id,
    type: opts.type,
    body,
    ...(verify.scheme === 'hmac-sha256'
      ? {
          ...(verify.header ? { header: verify.header } : {}),
          ...(verify.encoding ? { encoding: verify.encoding } : {}),
          ...(verify.prefix ? { prefix: verify.prefix } : {}),
          ...(verify.idHeader ? { idHeader: verify.idHeader } : {}),
          ...(verify.typeHeader ? { typeHeader: verify.typeHeader } : {}),
        }
      : {}),
  });
  const url = `${gateway.href.replace(/\/$/, '')}/webhooks/${encodeURIComponent(sourceName)}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  } catch (error) {
    throw new CliError(
      'GATEWAY_UNREACHABLE',
      `cannot reach ${url}: ${(error as Error).cause ? String((error as Error & { cause: Error }).cause.message) : (error as Error).message}`,
    );
  }
  const text = await response.text();
  say(io, `${response.status} ${response.statusText} from ${url}`);
  say(io, prettyJson(text));
  if (response.ok && startedNothing(text)) {
    warn(
      io,
      `warning: the gateway recorded the event but started no run: no flow subscribes to "${opts.type}" from source "${sourceName}", or the trigger.if of each one that does was false (check the flows' trigger; baton serve lists them at start)`,
    );
  }
  return response.ok ? 0 : 1;
}

/** The `--data` file of `baton send` and `baton run`: a JSON object. */
export async function readData(file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(
      missing ? 'DATA_NOT_FOUND' : 'DATA_INVALID',
      missing ? `${file} does not exist` : `${file} is not valid JSON`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError('DATA_INVALID', `${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** A 2xx answer with no run started, no waiting step resumed, and not a duplicate delivery. */
function startedNothing(text: string): boolean {
  try {
    const answer = JSON.parse(text) as { runs?: unknown; resumed?: unknown; duplicate?: unknown };
    return Array.isArray(answer.runs) && answer.runs.length === 0 && !answer.resumed && !answer.duplicate;
  } catch {
    return false;
  }
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
