import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchHub } from './watch-hub';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watchHub (baton serve --watch)', () => {
  let folder: string;
  let stop: (() => void) | undefined;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'watch-hub-'));
    await mkdir(join(folder, 'flows'));
    await writeFile(join(folder, 'baton.config.json'), '{}');
  });
  afterEach(async () => {
    stop?.();
    await rm(folder, { recursive: true, force: true });
  });

  it('calls once for a burst of saves of the config and the flows, and ignores other files', async () => {
    let calls = 0;
    stop = watchHub({
      configPath: join(folder, 'baton.config.json'),
      flowsFolder: './flows',
      debounceMs: 100,
      onChange: async () => {
        calls += 1;
      },
    });
    await writeFile(join(folder, 'flows/a.json'), '{}');
    await writeFile(join(folder, 'flows/b.json'), '{}');
    await writeFile(join(folder, 'baton.config.json'), '{ }');
    await pause(400);
    expect(calls).toBe(1);

    await writeFile(join(folder, 'notes.txt'), 'x');
    await writeFile(join(folder, 'flows/draft.txt'), 'x');
    await pause(400);
    expect(calls).toBe(1);

    await writeFile(join(folder, 'flows/a.json'), '{ }');
    await pause(400);
    expect(calls).toBe(2);
  });
});
