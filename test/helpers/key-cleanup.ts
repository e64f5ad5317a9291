import type { Cluster, Redis } from 'ioredis';

/**
 * Deletes every key of a hub from one server (a Cluster master, or a
 * single Redis): the keys under `prefix` and under its partitions' prefixes
 * (`{hub/1}`, …, see the runtime's partitions.ts), BullMQ's included. Keys
 * are deleted per hash tag, so each DEL stays within one Cluster slot
 * (`deleteVia`: the Cluster client, which routes each to its master).
 */
export async function deleteHubKeys(node: Redis, prefix: string, deleteVia: Redis | Cluster = node) {
  // `{hub}` → `{hub*`: the prefix itself and `{hub/1}` alike (test prefixes end in random hex).
  const stem = prefix.endsWith('}') ? prefix.slice(0, -1) : prefix;
  const pattern = `${stem.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    const byTag = new Map<string, string[]>();
    for (const key of keys) {
      const tag = key.slice(0, key.indexOf('}') + 1);
      byTag.set(tag, [...(byTag.get(tag) ?? []), key]);
    }
    for (const group of byTag.values()) await deleteVia.del(...group);
    cursor = next;
  } while (cursor !== '0');
}
