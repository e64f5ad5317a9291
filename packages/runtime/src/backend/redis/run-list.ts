import type { RunSummary } from '../../model/run-record';
import type { RunQuery } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import { decodeSummary, SUMMARY_FIELDS } from './run-codec';
import type { ScriptedRedis } from './scripts';

/**
 * Lists runs newest first. Run ids sort by creation time, so each index is
 * a sorted set read backwards by lex range, and the cursor is the last id
 * of the previous page. With a flow filter the flow's index is read, else
 * the status's, else the index of all runs; the other filters are checked
 * on each row. Rows whose run expired are skipped and dropped from the index.
 */
export async function listRuns(
  redis: ScriptedRedis,
  keys: Keys,
  query: RunQuery,
): Promise<{ runs: RunSummary[]; next?: string }> {
  const limit = Math.max(1, Math.min(query.limit ?? 50, 500));
  const index = query.flow
    ? keys.flowRuns(query.flow)
    : query.status
      ? keys.statusRuns(query.status)
      : keys.allRuns;
  // One more than a page tells whether there is a next page; read more at once when filtering.
  const batch = query.flow && query.status ? Math.max(100, limit + 1) : limit + 1;
  const runs: RunSummary[] = [];
  const gone: string[] = [];
  let max = query.cursor ? `(${query.cursor}` : '+';
  let done = false;
  while (!done && runs.length <= limit) {
    const ids = await guard(() => redis.zrevrangebylex(index, max, '-', 'LIMIT', 0, batch));
    if (ids.length < batch) done = true;
    if (ids.length === 0) break;
    max = `(${ids.at(-1)}`;
    const rows = await guard(() =>
      Promise.all(ids.map((id) => redis.hmget(keys.run(id), ...SUMMARY_FIELDS))),
    );
    for (let i = 0; i < ids.length && runs.length <= limit; i++) {
      const summary = decodeSummary(ids[i]!, rows[i]!);
      if (!summary) {
        gone.push(ids[i]!);
        continue;
      }
      if (query.since && summary.createdAt < query.since) {
        done = true;
        break;
      }
      if (query.flow && summary.flow !== query.flow) continue;
      if (query.status && summary.status !== query.status) continue;
      runs.push(summary);
    }
  }
  if (gone.length > 0) await guard(() => redis.zrem(index, ...gone));
  if (runs.length > limit) return { runs: runs.slice(0, limit), next: runs[limit - 1]!.id };
  return { runs };
}
