import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { DEFAULT_MAX_BODY_DEPTH, valueTooDeep } from '@baton/gateway';
import {
  type CloudEvent,
  createEmbeddedBackend,
  createHubEngine,
  isScheduleTrigger,
  loadHub,
  silentEngineLogger,
} from '@baton/runtime';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { nodeConditions } from '../conditions';
import { type CliIo, say, warn } from '../io';
import { parseWholeNumber } from '../options';
import { createLiveView, summarizeRun } from '../render/live-view';
import { configOption, requireConfig } from '../require-config';
import { startTracing, stopTracing } from '../tracing';

interface RunOptions {
  event: string;
  config: string;
  json?: boolean;
  timeout: string;
}

const EVENT_KEYS = ['specversion', 'id', 'source', 'type', 'time', 'data'];

/**
 * `baton run FLOW --event E.json [--config F] [--json]`: runs one flow
 * in-process on the embedded backend and shows each step live. Exit 0 when
 * the run succeeded, 1 otherwise.
 */
export function registerRun(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('run')
    .description('Run one flow in-process for an event and watch it live')
    .argument('<flow>', 'a flow id from the config, or a path to a flow file')
    .requiredOption(
      '--event <file>',
      'a CloudEvents-shaped JSON event (id, source, type, time, data); missing fields are filled in',
    )
    .addOption(configOption())
    .option('--json', 'print the run record as JSON instead of the live view')
    .option('--timeout <duration-ms>', 'give up waiting after this many milliseconds', '600000')
    .action(
      exitWith(async (flowArg: string, opts: RunOptions) => {
        const configPath = requireConfig(io, opts.config);
        const timeoutMs = parseWholeNumber(opts.timeout, '--timeout', { min: 1 });
        const flowPath = resolve(io.cwd, flowArg);
        const byPath = flowArg.endsWith('.json') || existsSync(flowPath);
        const hub = await loadHub({
          configPath,
          env: io.env,
          conditions: nodeConditions(),
          ...(byPath ? { flowPaths: [flowPath] } : {}),
        });
        const flow = byPath ? hub.flows[0] : hub.flows.find((f) => f.id === flowArg);
        if (!flow) {
          const known = hub.flows.map((f) => f.id).join(', ') || 'none';
          throw new CliError(
            'FLOW_NOT_FOUND',
            `no flow "${flowArg}" in ${relative(io.cwd, configPath)} (flows: ${known})`,
          );
        }
        const event = await readEvent(
          resolve(io.cwd, opts.event),
          flow.flow.trigger,
          (source) => hub.sources.get(source)?.config.maxBodyDepth,
        );

        const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
        // On stderr: stdout may be the run as JSON.
        await startTracing(io, 'baton', (line) => warn(io, line));
        const engine = createHubEngine(hub, createEmbeddedBackend(), { log: silentEngineLogger() });
        let runId: string | undefined;
        if (!opts.json) engine.on(createLiveView((line) => say(io, line), { color, runId: () => runId }));
        engine.startWorker({ concurrency: 16 });
        try {
          if (
            flow.triggerIf &&
            !(await flow.triggerIf.evaluate({ event, steps: {}, run: {} }).catch(() => false))
          ) {
            warn(io, `note: trigger.if is false for this event; a webhook would not start "${flow.id}"`);
          }
          runId = (await engine.startRun(flow.id, event, { actor: 'baton run' })).runId;
          const run = await engine.waitForRun(runId, { timeoutMs });
          if (opts.json) say(io, JSON.stringify(run, null, 2));
          else summarizeRun(run, (line) => say(io, line), color);
          return run.status === 'succeeded' ? 0 : 1;
        } finally {
          await engine.stop({ drainMs: 1000 });
          await stopTracing();
        }
      }),
    );
}

/**
 * Reads the event file. A file with none of the CloudEvents fields is taken
 * as the event's data. Missing fields are filled in from the flow's trigger.
 * Data nested deeper than a webhook of the trigger's source may be
 * (`maxBodyDepth`, default 64) is refused, as the gateway would refuse it.
 */
async function readEvent(
  file: string,
  trigger: unknown,
  depthLimitOf: (source: string) => number | undefined,
): Promise<CloudEvent> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(
      missing ? 'EVENT_NOT_FOUND' : 'EVENT_INVALID',
      missing ? `${file} does not exist` : `${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const object =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  const shaped = object !== undefined && EVENT_KEYS.some((k) => k in object);
  const given = shaped ? object! : { data: parsed };
  const webhook =
    trigger && !isScheduleTrigger(trigger as never)
      ? (trigger as { source: string; event: string })
      : undefined;
  for (const key of ['id', 'source', 'type', 'time'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'string') {
      throw new CliError('EVENT_INVALID', `${file}: "${key}" must be a string`);
    }
  }
  const maxDepth = (webhook && depthLimitOf(webhook.source)) ?? DEFAULT_MAX_BODY_DEPTH;
  if (valueTooDeep(given.data, maxDepth)) {
    throw new CliError(
      'EVENT_INVALID',
      `${file}: the data nests arrays and objects more than ${maxDepth} levels deep, which the gateway refuses (maxBodyDepth)`,
    );
  }
  return {
    specversion: '1.0',
    id: (given.id as string | undefined) ?? randomUUID(),
    source: (given.source as string | undefined) ?? webhook?.source ?? 'manual',
    type: (given.type as string | undefined) ?? webhook?.event.replace(/\*$/, 'manual') ?? 'manual',
    time: (given.time as string | undefined) ?? new Date().toISOString(),
    data: given.data ?? {},
  };
}
