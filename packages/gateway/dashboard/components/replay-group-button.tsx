import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { FailureGroups } from '../api/types';

type Group = FailureGroups['groups'][number];

/**
 * "Replay these": a bulk replay (`POST /api/runs/replay`) of the group's
 * runs, by its flow, status and error code. A group without an error code
 * has no filter that picks only its runs, so it gets no button.
 */
export function ReplayGroupButton({ group }: { group: Group }) {
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ tone: 'success' | 'error'; text: string } | undefined>();
  if (group.errorCode === null) return null;

  const replay = async () => {
    setBusy(true);
    setSaid(undefined);
    try {
      const filter = { flow: group.flow, status: group.status, errorCode: group.errorCode };
      const job = await api<{ jobId: string; matched: number; duplicate?: true }>('/runs/replay', {
        method: 'POST',
        body: { filter, dryRun: false },
      });
      setSaid({
        tone: 'success',
        text: `${job.duplicate ? 'Already replaying' : 'Replaying'} ${job.matched} run${job.matched === 1 ? '' : 's'} (job ${job.jobId}).`,
      });
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      setSaid({ tone: 'error', text: `Could not replay: ${message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="replay-group" disabled={busy} onClick={replay}>
        Replay these
      </button>
      {said ? (
        <p class={`notice ${said.tone}`} role={said.tone === 'error' ? 'alert' : 'status'}>
          {said.text}
        </p>
      ) : null}
    </>
  );
}
