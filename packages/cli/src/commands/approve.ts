import type { Command } from 'commander';
import { callAdminApi } from '../admin-api';
import type { ExitWith } from '../command';
import { type CliIo, say } from '../io';

interface ApproveOptions {
  reject?: boolean;
  by?: string;
  comment?: string;
  url: string;
}

/**
 * `baton approve RUN STEP [--reject] [--by NAME] [--comment C]`: decides an
 * approval step through the admin API of a running hub. Exit 0 once decided;
 * a step that is not waiting (decided already, timed out) is API_REFUSED.
 */
export function registerApprove(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('approve')
    .description('Approve (or with --reject, reject) an approval step waiting for a decision')
    .argument('<run>', 'the run id')
    .argument('<step>', 'the approval step id')
    .option('--reject', 'reject rather than approve: the step fails with APPROVAL_REJECTED')
    .option('--by <name>', 'who decides, for the audit trail (default: your user name)')
    .option('--comment <text>', 'why, for the audit trail')
    .option('--url <url>', 'the gateway', 'http://127.0.0.1:8080')
    .action(exitWith((run: string, step: string, opts: ApproveOptions) => approve(io, run, step, opts)));
}

async function approve(io: CliIo, runId: string, stepId: string, opts: ApproveOptions): Promise<number> {
  const decision = opts.reject ? 'reject' : 'approve';
  const by = opts.by ?? io.env.USER ?? io.env.USERNAME ?? 'cli';
  const run = (await callAdminApi(
    { url: opts.url, env: io.env },
    'POST',
    `/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(stepId)}/decision`,
    { decision, by, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) },
  )) as { status?: string; steps?: Array<{ id: string; status: string }> };
  const step = run.steps?.find((s) => s.id === stepId);
  say(
    io,
    `${decision === 'approve' ? 'approved' : 'rejected'} ${stepId} of run ${runId} as ${by}: step ${step?.status ?? '?'}, run ${run.status ?? '?'}`,
  );
  return 0;
}
