import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** Options of `watchHub`. */
export interface WatchHubOptions {
  configPath: string;
  /** The flows folder, as the config names it (relative to the config's folder). */
  flowsFolder: string;
  /** Called once the files stopped changing for `debounceMs`; the next change waits for it to end. */
  onChange(): Promise<void>;
  /** @default 200 */
  debounceMs?: number;
}

/**
 * Watches baton.config.json and the flows folder (`baton serve --watch`):
 * an editor's save is several events (and often a rename onto the file),
 * so the folders are watched and the events within `debounceMs` make one
 * call. Returns the function that stops watching.
 */
export function watchHub(options: WatchHubOptions): () => void {
  const configFolder = dirname(resolve(options.configPath));
  const configName = basename(options.configPath);
  const flowsFolder = resolve(configFolder, options.flowsFolder);
  const debounceMs = options.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const fire = () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = options.onChange().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        fire();
      }
    });
  };
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  };

  const watchers: FSWatcher[] = [
    watch(configFolder, (_event, file) => {
      if (file === configName || (configFolder === flowsFolder && file?.endsWith('.json'))) changed();
    }),
  ];
  if (flowsFolder !== configFolder) {
    watchers.push(
      watch(flowsFolder, (_event, file) => (!file || file.endsWith('.json') ? changed() : undefined)),
    );
  }
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
