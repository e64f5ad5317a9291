import type { Run } from '../api/types';
import { aheadText } from '../model/order-turn';
import { href, Link } from '../router';

/** A queued run's wait for its turn on its order key: which run holds the key, and how many are ahead. */
export function TurnNotice({ run }: { run: Run }) {
  const turn = run.waitingFor;
  if (!turn || run.status !== 'queued') return null;
  return (
    <p class="notice turn-notice" role="status">
      Waits for its turn on order key <span class="mono">{turn.orderKey}</span>: run{' '}
      <Link href={href(`/runs/${encodeURIComponent(turn.behind)}`)} class="mono">
        {turn.behind}
      </Link>{' '}
      holds it{aheadText(turn)}.
    </p>
  );
}
