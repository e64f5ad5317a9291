import { type EngineEvent, formatDuration, type RunRecord } from '@baton/runtime';
import pc from 'picocolors';

/** Writes one line. */
export type Writer = (line: string) => void;

/**
 * The live view of `baton run`: one line per thing that happens to the run,
 * indented under it like a tree, with durations. Colors and symbols on a
 * terminal, plain ASCII otherwise (pipes, CI logs).
 */
export function createLiveView(write: Writer, options: { color: boolean; runId: () => string | undefined }) {
  const c = pc.createColors(options.color);
  // Plain symbols are padded to one width so the step column lines up.
  const sym = options.color
    ? { start: '▶', run: '●', ok: '✓', fail: '✗', retry: '↻', reroute: '↪', skip: '–', wait: '⏸', undo: '⤺' }
    : (Object.fromEntries(
        Object.entries({
          start: '>',
          run: '*',
          ok: 'ok',
          fail: 'x',
          retry: 'retry',
          reroute: '->',
          skip: '-',
          wait: 'wait',
          undo: 'undo',
        }).map(([k, v]) => [k, k === 'start' ? v : v.padEnd(5)]),
      ) as Record<'start' | 'run' | 'ok' | 'fail' | 'retry' | 'reroute' | 'skip' | 'wait' | 'undo', string>);
  const pad = (id: string) => id.padEnd(18);
  const item = (i: number | undefined) => (i === undefined ? '' : c.dim(` [item ${i}]`));

  return (event: EngineEvent) => {
    // Until startRun answers, the id is unknown: its first events (run.started) come before, and the
    // embedded engine of `baton run` runs nothing else.
    const id = options.runId();
    if (id !== undefined && event.runId !== id) return;
    switch (event.type) {
      case 'run.started':
        write(`${c.bold(sym.start)} ${c.bold(event.flow)} ${c.dim(event.runId)}`);
        return;
      case 'step.started':
        write(`  ${c.cyan(sym.run)} ${pad(event.step)} ${c.dim(event.action ?? 'delay')}`);
        return;
      case 'step.skipped':
        write(`  ${c.dim(sym.skip)} ${pad(event.step)} ${c.dim(`skipped: ${event.reason}`)}`);
        return;
      case 'step.attempt-failed': {
        const next =
          event.retryInMs === undefined
            ? 'no attempts left on this route'
            : `retrying in ${formatDuration(event.retryInMs)}`;
        write(
          `  ${c.yellow(sym.retry)} ${pad(event.step)} attempt ${event.attempt} of ${event.action}${item(event.item)} failed: ${event.error.code}: ${event.error.message} ${c.dim(`(${next})`)}`,
        );
        return;
      }
      case 'step.rerouted':
        write(
          `  ${c.magenta(sym.reroute)} ${pad(event.step)} rerouted ${event.from} -> ${event.to}${item(event.item)}`,
        );
        return;
      case 'step.waiting':
        // "baton run" says what a step waits for: a time, an event, or a decision.
        write(
          `  ${c.blue(sym.wait)} ${pad(event.step)} waiting${event.waitingFor ? ` for ${event.waitingFor}` : ''}${event.untilMs !== undefined ? ` ${event.waitingFor ? 'at most ' : ''}${formatDuration(event.untilMs)}` : ''}`,
        );
        return;
      case 'step.ended':
        if (event.status === 'succeeded') {
          const via = event.servedBy ? c.dim(` via ${event.servedBy}`) : '';
          write(`  ${c.green(sym.ok)} ${pad(event.step)} ${formatDuration(event.durationMs)}${via}`);
        } else {
          write(
            `  ${c.red(sym.fail)} ${pad(event.step)} ${formatDuration(event.durationMs)} ${c.red(`${event.error?.code ?? 'FAILED'}: ${event.error?.message ?? ''}`)}`,
          );
        }
        return;
      case 'compensation.started':
        write(`  ${c.yellow(sym.undo)} ${pad(event.step)} compensating with ${event.action}`);
        return;
      case 'compensation.ended':
        write(
          event.status === 'succeeded'
            ? `  ${c.green(sym.ok)} ${pad(event.step)} compensated`
            : `  ${c.red(sym.fail)} ${pad(event.step)} compensation failed: ${event.error?.code ?? ''} ${event.error?.message ?? ''}`,
        );
        return;
      case 'run.ended':
        return;
    }
  };
}

/** The closing lines: status, duration, then the output or the error. */
export function summarizeRun(run: RunRecord, write: Writer, color: boolean): void {
  const c = pc.createColors(color);
  const took =
    run.endedAt && run.startedAt
      ? ` in ${formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt))}`
      : '';
  if (run.status === 'succeeded') {
    write(c.green(`${color ? '✓' : 'ok'} ${run.flow} succeeded${took}`));
    if (run.output !== undefined) write(`output: ${JSON.stringify(run.output, null, 2)}`);
    return;
  }
  write(c.red(`${color ? '✗' : 'x'} ${run.flow} ${run.status}${took}`));
  if (run.error) write(c.red(`error ${run.error.code}: ${run.error.message}`));
}
