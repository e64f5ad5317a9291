import { clusterClient } from './redis-cluster';

/** One run hash found on a Cluster master. */
export interface RunHash {
  runId: string;
  /** The key prefix the hash sits under (a partition's hash tag, say `{baton/2}`). */
  prefix: string;
  /** The master holding it, as an index into the `nodes` given (-1 when it is not among them). */
  master: number;
}

/**
 * Every run hash (`<prefix>:run:<runId>`) on each master of the cluster at
 * `nodes`, read with SCAN on the masters themselves: where a partitioned
 * hub's runs really are, whatever its own API says. Keys of every prefix
 * are listed, so the cluster should be the test's own.
 */
export async function runHashesOnMasters(nodes: string[]): Promise<RunHash[]> {
  const client = clusterClient(nodes);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
    });
    const found: RunHash[] = [];
    for (const master of client.nodes('master')) {
      const index = nodes.indexOf(`${master.options.host}:${master.options.port}`);
      let cursor = '0';
      do {
        const [next, keys] = await master.scan(cursor, 'MATCH', '*:run:run_*', 'COUNT', 1000);
        for (const key of keys) {
          const at = key.lastIndexOf(':run:');
          found.push({ runId: key.slice(at + ':run:'.length), prefix: key.slice(0, at), master: index });
        }
        cursor = next;
      } while (cursor !== '0');
    }
    return found;
  } finally {
    client.disconnect();
  }
}

/** How many of `items` fall under each value of `key`. */
export function countBy<T>(
  items: readonly T[],
  key: (item: T) => string | number,
): Map<string | number, number> {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
