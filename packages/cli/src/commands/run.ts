import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createEmbeddedBackend, createHubEngine, loadHub, silentEngineLogger } from '@baton/runtime';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { nodeConditions } from '../conditions';
import { type CliIo, say, warn } from '../io';
import { parseWholeNumber } from '../options';
import { createLiveView, summarizeRun } from '../render/live-view';
import { configOption, requireConfig } from '../require-config';
import { startTracing, stopTracing } from '../tracing';
import { dataEvent, readEvent } from './run-event';

interface RunOptions {
  event?: string;
  data?: string;
  type?: string;
  config: string;
  json?: boolean;
  timeout: string;
}

/**
 * `baton run FLOW (--event E.json | --data D.json [--type T]) [--config F]
 * [--json]`: runs one flow in-process on the embedded backend and shows each
 * step live. `--event` takes a CloudEvent, `--data` the body as `baton send`
 * takes it. Exit 0 when the run succeeded, 1 otherwise.
 */
export function registerRun(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('run')
    .description('Run one flow in-process for an event and watch it live')
    .argument('<flow>', 'a flow id from the config, or a path to a flow file')
    .option(
      '--event <file>',
      'a CloudEvent as JSON: { "type": "order.created", "data": <the webhook body> }; missing fields are filled in',
    )
    .option(
      '--data <file>',
      'instead of --event: the event data as baton send takes it, wrapped as the source sends it',
    )
    .option('--type <type>', "with --data: the event type (default: the flow trigger's)")
    .addOption(configOption())
    .option('--json', 'print the run record as JSON instead of the live view')
    .option('--timeout <ms>', 'give up waiting after this many milliseconds', '600000')
    .action(
      exitWith(async (flowArg: string, opts: RunOptions) => {
        if ((opts.event === undefined) === (opts.data === undefined)) {
          throw new CliError(
            'USAGE',
            'give one of --event FILE (a CloudEvent: { "type": "order.created", "data": { … } }) or --data FILE (the data as baton send takes it)',
          );
        }
        if (opts.type !== undefined && opts.data === undefined) {
          throw new CliError('USAGE', '--type goes with --data; a --event file carries its own "type"');
        }
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
        const context = { trigger: flow.flow.trigger, sourceOf: (name: string) => hub.sources.get(name) };
        const event = opts.data
          ? await dataEvent(resolve(io.cwd, opts.data), opts.type, context)
          : await readEvent(resolve(io.cwd, opts.event!), context);

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
