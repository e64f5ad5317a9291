import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';

/** A bulk replay job's progress, as `GET /api/replays/:jobId` answers it. */
interface ReplayJob {
  jobId: string;
  matched: number;
  replayed: number;
  skipped: number;
  failed: number;
  status: 'running' | 'done';
}

type Stage =
  | { kind: 'idle' }
  | { kind: 'counting' }
  | { kind: 'confirm'; matched: number; alreadyReplayed: number }
  | { kind: 'running'; job: ReplayJob }
  | { kind: 'error'; message: string };

/** How often a running job's progress is read. */
const POLL_MS = 1000;

/**
 * "Replay N matching runs" on a run list filtered to failed or cancelled
 * runs: a dry run of `POST /api/runs/replay` gives the count to confirm,
 * then the job starts and its progress shows until it is done. `since` is
 * the list's time range as an ISO time, worked out when asked.
 */
export function BulkReplayPanel(props: {
  flow: string;
  status: 'failed' | 'cancelled';
  since?: () => string;
}) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const filterKey = `${props.flow}|${props.status}|${props.since ? 'range' : ''}`;
  // A new filter forgets a confirmation or a finished job of the previous one.
  useEffect(() => setStage({ kind: 'idle' }), [filterKey]);

  const running = stage.kind === 'running' && stage.job.status === 'running' ? stage.job.jobId : undefined;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      try {
        const job = await api<ReplayJob>(`/replays/${encodeURIComponent(running)}`);
        setStage({ kind: 'running', job });
      } catch (error) {
        setStage({ kind: 'error', message: messageOf(error) });
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running]);

  const filter = () => ({
    status: props.status,
    ...(props.flow ? { flow: props.flow } : {}),
    ...(props.since ? { since: props.since() } : {}),
  });

  const count = async () => {
    setStage({ kind: 'counting' });
    try {
      const dry = await api<{ matched: number; alreadyReplayed: number }>('/runs/replay', {
        method: 'POST',
        body: { filter: filter(), dryRun: true },
      });
      setStage({ kind: 'confirm', matched: dry.matched, alreadyReplayed: dry.alreadyReplayed });
    } catch (error) {
      setStage({ kind: 'error', message: messageOf(error) });
    }
  };

  const start = async () => {
    try {
      const started = await api<{ jobId: string; matched: number }>('/runs/replay', {
        method: 'POST',
        body: { filter: filter(), dryRun: false },
      });
      const job = await api<ReplayJob>(`/replays/${encodeURIComponent(started.jobId)}`);
      setStage({ kind: 'running', job });
    } catch (error) {
      setStage({ kind: 'error', message: messageOf(error) });
    }
  };

  return (
    <section class="bulk-replay" aria-label="Replay matching runs">
      {stage.kind === 'idle' || stage.kind === 'counting' || stage.kind === 'error' ? (
        <button type="button" disabled={stage.kind === 'counting'} onClick={count}>
          Replay matching runs…
        </button>
      ) : null}
      {stage.kind === 'error' ? (
        <p class="notice error" role="alert">
          Could not replay: {stage.message}
        </p>
      ) : null}
      {stage.kind === 'confirm' ? (
        <div class="notice" role="dialog" aria-label="Confirm the replay">
          {stage.matched === 0 ? (
            <p>No matching run is left to replay.</p>
          ) : (
            <p>
              Replay {stage.matched} matching {props.status} run{stage.matched === 1 ? '' : 's'}
              {props.flow ? ` of ${props.flow}` : ''}? Each is replayed once, at most 50 a second.
            </p>
          )}
          {stage.alreadyReplayed > 0 ? <p>{stage.alreadyReplayed} more were replayed already.</p> : null}
          {stage.matched > 0 ? (
            <button type="button" onClick={start}>
              Replay {stage.matched} matching run{stage.matched === 1 ? '' : 's'}
            </button>
          ) : null}
          <button type="button" onClick={() => setStage({ kind: 'idle' })}>
            {stage.matched > 0 ? 'Cancel' : 'Close'}
          </button>
        </div>
      ) : null}
      {stage.kind === 'running' ? <ReplayProgress job={stage.job} /> : null}
    </section>
  );
}

function ReplayProgress({ job }: { job: ReplayJob }) {
  const handled = job.replayed + job.skipped + job.failed;
  return (
    <div class={`notice ${job.status === 'done' && job.failed === 0 ? 'success' : ''}`} role="status">
      <progress max={Math.max(job.matched, 1)} value={job.matched === 0 ? 1 : handled} />
      <p>
        {job.status === 'done' ? 'Done' : 'Replaying'}: {handled} of {job.matched} (replayed {job.replayed},
        skipped {job.skipped}, failed {job.failed}) · job {job.jobId}
      </p>
    </div>
  );
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}
