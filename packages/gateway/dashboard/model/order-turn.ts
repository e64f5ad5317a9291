/** Reading a run's place in its order key's line; pure, so the tests run it in Node. */
import type { Run } from '../api/types';

export type OrderTurn = NonNullable<Run['waitingFor']>;

/** After "run X holds it": `; 3 runs are ahead of this one`, or `; this run is next` when only that run is. */
export function aheadText(turn: OrderTurn): string {
  return turn.ahead > 1 ? `; ${turn.ahead} runs are ahead of this one` : '; this run is next';
}
