import { describe, expect, it } from 'vitest';
import { aheadText } from '../../dashboard/model/order-turn';

describe('a run waiting for its turn, as the dashboard says it', () => {
  it('says whether the run is next or how many are ahead of it', () => {
    expect(aheadText({ orderKey: 'ann', behind: 'run_1', ahead: 1 })).toBe('; this run is next');
    expect(aheadText({ orderKey: 'ann', behind: 'run_1', ahead: 3 })).toBe('; 3 runs are ahead of this one');
  });
});
