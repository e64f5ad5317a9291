import { table } from './lib/markdown-table';
import type { ScaleResult } from './scenarios/scale';

/** The scale scenario's table (report only: no goal). */
export function scaleTables(scale: ScaleResult): string {
  const us = (n: number) => String(Math.round(n));
  return [
    `### Scale: ${scale.gateways} gateways (\`baton serve --no-worker\`) and ${scale.workers} \`baton worker\` processes on one Redis, wrk posting the five-step flow's event to every gateway at once (${scale.connectionsPerGateway} connections each), ${scale.durationS} s per round (reported, not a goal)`,
    table(
      [
        'round',
        'webhooks/s accepted',
        'steps/s ended',
        'gateway CPU µs/webhook (each)',
        'worker CPU µs/step (each)',
        'Redis CPU µs per webhook or step',
        'Redis, % of a core',
        'cores busy (all processes)',
      ],
      [
        ...scale.rounds.map((r, i) => [
          i + 1,
          Math.round(r.webhooksPerS),
          Math.round(r.stepsPerS),
          r.gateways.map((g) => us(g.cpuUsPerWebhook)).join(', '),
          r.workers.map((w) => us(w.cpuUsPerStep)).join(', '),
          us(r.redisCpuUsPerUnit),
          Math.round(r.redisCorePct),
          r.coresBusy.toFixed(2),
        ]),
        [
          '**median**',
          Math.round(scale.webhooksPerS),
          Math.round(scale.stepsPerS),
          us(scale.gatewayCpuUsPerWebhook),
          us(scale.workerCpuUsPerStep),
          us(scale.redisCpuUsPerUnit),
          Math.round(scale.redisCorePct),
          scale.coresBusy.toFixed(2),
        ],
      ],
    ),
    'Every process shares the machine’s cores with the others and with wrk, so rates here are what this fleet reaches on this machine; the CPU per webhook and per step is what sizes a fleet on others (see [operations: sizing](operations.md#sizing)). The workers fall behind the gateways (each webhook brings five steps); the runs still waiting at the end are deleted with the round’s keys.',
  ].join('\n\n');
}
