import { parseDuration } from '@baton/runtime';
import type { Command } from 'commander';
import { type AdminApi, callAdminApi } from '../admin-api';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { type CliIo, say } from '../io';
import { parseWholeNumber } from '../options';

interface ReplayOptions {
  flow?: string;
  status: string;
  since?: string;
  until?: string;
  errorCode?: string;
  step?: string;
  dryRun?: boolean;
  rate?: string;
  url: string;
}

interface JobProgress {
  jobId: string;
  matched: number;
  replayed: number;
  skipped: number;
  failed: number;
  status: 'running' | 'done';
}

/** How often the progress is read. */
const POLL_MS = 500;

/**
 * `baton replay [--flow F] [--status failed] [--since 2h] [--dry-run]`: bulk
 * replay through the admin API of a running hub. A dry run prints the count
 * and a sample; otherwise the job starts and its progress shows until it is
 * done. Exit 0 when every matched run was started (replayed by this job or
 * already by someone else); 1 when some could not be replayed.
 */
export function registerReplay(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('replay')
    .description('Replay every failed run a filter matches, through the admin API, with progress')
    .option('--flow <id>', 'only runs of this flow')
    .option('--status <status>', 'failed or cancelled', 'failed')
    .option('--since <when>', 'runs created since: a duration ago (2h, 30m) or an ISO time')
    .option('--until <when>', 'runs created before: a duration ago or an ISO time')
    .option('--error-code <code>', "only runs whose error has this code (the run's error.code)")
    .option('--step <id>', 'only runs failed by this step')
    .option('--dry-run', 'count the matching runs and show a sample; replay nothing')
    .option('--rate <n>', 'runs replayed per second at most (default 50)')
    .option('--url <url>', 'the gateway', 'http://127.0.0.1:8080')
    .action(exitWith((opts: ReplayOptions) => replay(io, opts)));
}

async function replay(io: CliIo, opts: ReplayOptions): Promise<number> {
  if (opts.status !== 'failed' && opts.status !== 'cancelled') {
    throw new CliError('OPTION_INVALID', `--status must be failed or cancelled, got "${opts.status}"`);
  }
  const now = Date.now();
  const filter = {
    status: opts.status,
    ...(opts.flow !== undefined ? { flow: opts.flow } : {}),
    ...(opts.since !== undefined ? { since: timeOf(opts.since, '--since', now) } : {}),
    ...(opts.until !== undefined ? { until: timeOf(opts.until, '--until', now) } : {}),
    ...(opts.errorCode !== undefined ? { errorCode: opts.errorCode } : {}),
    ...(opts.step !== undefined ? { step: opts.step } : {}),
  };
  const rate =
    opts.rate !== undefined ? parseWholeNumber(opts.rate, '--rate', { min: 1, max: 1000 }) : undefined;
  const api: AdminApi = { url: opts.url, env: io.env };
  const body = { filter, dryRun: Boolean(opts.dryRun), ...(rate !== undefined ? { rate } : {}) };
  if (opts.dryRun) {
    const answer = (await callAdminApi(api, 'POST', '/runs/replay', body)) as {
      matched: number;
      alreadyReplayed: number;
      sample: Array<{ id: string; flow: string; createdAt: string; error?: { code: string } }>;
    };
    say(io, `${answer.matched} run${answer.matched === 1 ? '' : 's'} would be replayed`);
    if (answer.alreadyReplayed > 0) say(io, `${answer.alreadyReplayed} more match but were replayed already`);
    for (const run of answer.sample) {
      say(io, `  ${run.id}  ${run.flow}  ${run.createdAt}  ${run.error?.code ?? ''}`.trimEnd());
    }
    if (answer.matched > answer.sample.length)
      say(io, `  … and ${answer.matched - answer.sample.length} more`);
    return 0;
  }
  const started = (await callAdminApi(api, 'POST', '/runs/replay', body)) as {
    jobId: string;
    matched: number;
    duplicate?: true;
  };
  say(
    io,
    started.duplicate
      ? `a replay job for this filter is running already: ${started.jobId} (${started.matched} runs)`
      : `replay job ${started.jobId} started: ${started.matched} run${started.matched === 1 ? '' : 's'}`,
  );
  const job = await follow(io, api, started.jobId);
  if (job.failed > 0) {
    say(io, `${job.failed} run${job.failed === 1 ? '' : 's'} could not be replayed (see the gateway's log)`);
    return 1;
  }
  return 0;
}

/** Reads the job's progress until it is done, redrawing one line on a terminal, else a line per change. */
async function follow(io: CliIo, api: AdminApi, jobId: string): Promise<JobProgress> {
  const tty = io.stdout.isTTY === true;
  let shown = '';
  for (;;) {
    const job = (await callAdminApi(api, 'GET', `/replays/${encodeURIComponent(jobId)}`)) as JobProgress;
    const line = progressLine(job);
    if (line !== shown) {
      io.stdout.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      shown = line;
    }
    if (job.status === 'done') {
      if (tty) io.stdout.write('\n');
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** `[#########-----------]  45/100 replayed 40, skipped 5, failed 0`. */
export function progressLine(job: JobProgress): string {
  const done = job.replayed + job.skipped + job.failed;
  const width = 20;
  const filled = job.matched === 0 ? width : Math.round((done / job.matched) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const counts = `replayed ${job.replayed}, skipped ${job.skipped}, failed ${job.failed}`;
  return `${bar} ${done}/${job.matched} ${counts}${job.status === 'done' ? ' (done)' : ''}`;
}

/** `2h` (that long ago) or an ISO time, as an ISO time. */
function timeOf(text: string, flag: string, now: number): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return new Date(at).toISOString();
  } else {
    try {
      return new Date(now - parseDuration(text)).toISOString();
    } catch {
      // Answered below with what is expected.
    }
  }
  throw new CliError(
    'OPTION_INVALID',
    `${flag} must be a duration ago (2h, 30m) or an ISO time (2026-01-31T12:00:00Z), got "${text}"`,
  );
}
