/** Steps that ended in a worker so far, from its metrics (every flow, step and status). */
export async function stepsEnded(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let ended = 0;
  for (const match of text.matchAll(/^baton_step_duration_seconds_count\{[^}]*\} (\d+)/gm))
    ended += Number(match[1]);
  return ended;
}
