import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { requireConfig, resolveConfigPath } from './require-config';

describe('requireConfig', () => {
  let folder: string;
  const io = (cwd: string): CliIo => ({
    stdout: { write: () => true },
    stderr: { write: () => true },
    cwd,
    env: {},
  });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'baton-require-config-'));
    await writeFile(join(folder, 'baton.config.json'), '{}');
    await mkdir(join(folder, 'hubs/staging'), { recursive: true });
    await writeFile(join(folder, 'hubs/staging/hub.json'), '{}');
    await mkdir(join(folder, 'empty'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('finds baton.config.json in the working folder when --config is not given', () => {
    expect(requireConfig(io(folder))).toBe(join(folder, 'baton.config.json'));
  });

  it('resolves --config against the working folder, and takes an absolute path as is', () => {
    expect(requireConfig(io(join(folder, 'hubs')), 'staging/hub.json')).toBe(
      join(folder, 'hubs/staging/hub.json'),
    );
    expect(requireConfig(io(join(folder, 'empty')), join(folder, 'hubs/staging/hub.json'))).toBe(
      join(folder, 'hubs/staging/hub.json'),
    );
    expect(requireConfig(io(join(folder, 'empty')), '../baton.config.json')).toBe(
      join(folder, 'baton.config.json'),
    );
  });

  it('is CONFIG_NOT_FOUND (exit 1) with no file there, naming the path as given', () => {
    expect(() => requireConfig(io(join(folder, 'empty')))).toThrow(
      expect.objectContaining({
        code: 'CONFIG_NOT_FOUND',
        exitCode: 1,
        message:
          'baton.config.json does not exist; run in the folder of baton.config.json or pass --config <file>',
      }),
    );
    expect(() => requireConfig(io(folder), 'hubs/prod.json')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_NOT_FOUND',
        message: expect.stringMatching(/^hubs\/prod\.json does not exist/),
      }),
    );
  });

  it('is CONFIG_NOT_FOUND when a parent of the path is a file', () => {
    expect(() => requireConfig(io(folder), 'baton.config.json/baton.config.json')).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
  });

  it('is CONFIG_NOT_FOUND for a folder, pointing at the file inside it', () => {
    expect(() => requireConfig(io(folder), 'hubs/staging')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_NOT_FOUND',
        message: 'hubs/staging is a folder; pass --config hubs/staging/baton.config.json',
      }),
    );
  });
});

describe('resolveConfigPath', () => {
  it('resolves without checking that the file exists', () => {
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      cwd: '/srv/hub',
      env: {},
    };
    expect(resolveConfigPath(io)).toBe('/srv/hub/baton.config.json');
    expect(resolveConfigPath(io, '../other/baton.config.json')).toBe('/srv/other/baton.config.json');
  });
});
