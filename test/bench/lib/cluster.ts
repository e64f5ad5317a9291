import { Redis } from 'ioredis';
import { sleep } from './proc';

/** One master of a Redis Cluster, with a plain (non-cluster) connection to it. */
export interface Master {
  /** `host:port`. */
  node: string;
  /** Its cluster node id. */
  id: string;
  client: Redis;
}

/** Where a hash tag's slot is served. */
export interface TagPlacement {
  tag: string;
  slot: number;
  /** Index into the masters `homesOf` returned. */
  master: number;
}

/** Plain connections to every node of `nodes` that is a master. */
export async function openMasters(nodes: readonly string[]): Promise<Master[]> {
  const masters: Master[] = [];
  for (const node of nodes) {
    const [host, port] = node.split(':');
    const client = new Redis({ host: host!, port: Number(port), maxRetriesPerRequest: 1 });
    const role = String(await client.call('ROLE'));
    if (!role.startsWith('master')) {
      client.disconnect();
      continue;
    }
    const id = String(await client.call('CLUSTER', 'MYID'));
    masters.push({ node, id, client });
  }
  return masters;
}

export function closeMasters(masters: readonly Master[]): void {
  for (const m of masters) m.client.disconnect();
}

/**
 * Where each hash tag's slot is served, with the masters ordered by the
 * first tag each serves (masters serving none last): with one tag per
 * master, master i serves tag i.
 */
export async function homesOf(
  masters: readonly Master[],
  tags: readonly string[],
): Promise<{ ordered: Master[]; placement: TagPlacement[] }> {
  const slots = await Promise.all(tags.map((tag) => slotOf(masters, tag)));
  const owners = await Promise.all(slots.map((slot) => ownerOf(masters, slot)));
  const ordered = [...new Set([...owners, ...masters])];
  return {
    ordered,
    placement: tags.map((tag, i) => ({ tag, slot: slots[i]!, master: ordered.indexOf(owners[i]!) })),
  };
}

/** The slot of a hash tag (or any key). */
export async function slotOf(masters: readonly Master[], key: string): Promise<number> {
  return Number(await masters[0]!.client.call('CLUSTER', 'KEYSLOT', key));
}

/** Moves an empty `slot` to `target` unless it is there already; says whether it moved. */
export async function placeSlot(masters: readonly Master[], slot: number, target: Master): Promise<boolean> {
  const owner = await ownerOf(masters, slot);
  if (owner === target) return false;
  await moveEmptySlot(masters, slot, owner, target);
  return true;
}

/** The master serving `slot`, as `viewer` sees the cluster. */
async function ownerOf(masters: readonly Master[], slot: number, viewer = masters[0]!): Promise<Master> {
  const ranges = (await viewer.client.call('CLUSTER', 'SLOTS')) as Array<
    [number, number, [string, number, string]]
  >;
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  const owner = masters.find((m) => m.id === range?.[2][2]);
  if (!owner) throw new Error(`no master serves slot ${slot}`);
  return owner;
}

/**
 * Moves a slot that holds no key from one master to another, the way
 * `redis-cli --cluster reshard` does (IMPORTING, MIGRATING, then NODE on
 * every master), and waits until every master agrees.
 */
async function moveEmptySlot(
  masters: readonly Master[],
  slot: number,
  from: Master,
  to: Master,
): Promise<void> {
  const keys = Number(await from.client.call('CLUSTER', 'COUNTKEYSINSLOT', slot));
  if (keys > 0) throw new Error(`slot ${slot} holds ${keys} keys: the bench moves only empty slots`);
  await to.client.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', from.id);
  await from.client.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', to.id);
  for (const m of [to, from, ...masters.filter((m) => m !== to && m !== from)])
    await m.client.call('CLUSTER', 'SETSLOT', slot, 'NODE', to.id);
  for (let i = 0; ; i++) {
    const seen = await Promise.all(masters.map((m) => ownerOf(masters, slot, m)));
    if (seen.every((owner) => owner === to)) return;
    if (i > 200) throw new Error(`the masters do not agree that slot ${slot} moved to ${to.node}`);
    await sleep(25);
  }
}

/** What a master did so far, from INFO (every thread). */
export interface MasterCounters {
  /** CPU time, user + system, in µs. */
  cpuUs: number;
  /** The system part of it (the kernel: socket reads, writes, polling), in µs. */
  sysUs: number;
  commands: number;
  /**
   * Scripts run (EVAL, EVALSHA and their read-only forms, INFO
   * commandstats) and the time spent in them, in µs: BullMQ's and Baton's
   * scripts do most of the work. (Commands a script calls are counted in
   * their own entries too, so the entries cannot simply be summed.)
   */
  scriptCalls: number;
  scriptUs: number;
  /** Read events handled (each a client's socket read once): how much each wake-up of Redis carries. */
  reads: number;
}

export async function masterCounters(master: Master): Promise<MasterCounters> {
  const info = String(await master.client.call('INFO', 'cpu', 'stats', 'commandstats'));
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
  return {
    cpuUs: (field('used_cpu_sys') + field('used_cpu_user')) * 1e6,
    sysUs: field('used_cpu_sys') * 1e6,
    commands: field('total_commands_processed'),
    ...scripts(info),
    reads: field('total_reads_processed'),
  };
}

function scripts(info: string): { scriptCalls: number; scriptUs: number } {
  let scriptCalls = 0;
  let scriptUs = 0;
  for (const m of info.matchAll(/^cmdstat_eval(?:sha)?(?:_ro)?:calls=(\d+),usec=(\d+)/gm)) {
    scriptCalls += Number(m[1]);
    scriptUs += Number(m[2]);
  }
  return { scriptCalls, scriptUs };
}

/** Keys each master holds. */
export function keysPerMaster(masters: readonly Master[]): Promise<number[]> {
  return Promise.all(masters.map(async (m) => Number(await m.client.dbsize())));
}

/** Empties every master (each FLUSHALL clears that node's slots only). */
export async function flushMasters(masters: readonly Master[]): Promise<void> {
  await Promise.all(masters.map((m) => m.client.flushall()));
}
