import type { Cluster } from 'ioredis';

/** The part of ioredis's ClusterSubscriber (a Cluster's pub/sub connection) this file paces. */
interface PubSubConnection {
  onSubscriberEnd?: () => void;
  getInstance?: () => { once(event: 'ready', listener: () => void): unknown } | null;
}

/**
 * ioredis moves a Cluster's pub/sub connection to another node the moment
 * the current one ends, with no pause (`ClusterSubscriber.onSubscriberEnd`,
 * ioredis 6.1): with every node down, a subscribed Cluster client connects
 * in a loop, thousands of sockets a second, its memory climbing by the
 * gigabyte until the process dies. This puts the same move behind `delay`
 * (the connections' reconnect backoff), reset once a new connection gets
 * ready. It must run before the Cluster connects: ioredis reads the
 * handler when it picks a node. Without the field (another ioredis), it
 * does nothing; `cluster-outage.test.ts` measures the pace on a dead Cluster.
 */
export function paceClusterSubscriber(cluster: Cluster, delay: (attempt: number) => number): void {
  const connection = (cluster as unknown as { subscriber?: PubSubConnection }).subscriber;
  const moveNow = connection?.onSubscriberEnd;
  if (!connection || typeof moveNow !== 'function') return;
  let attempts = 0;
  let pending: NodeJS.Timeout | undefined;
  connection.onSubscriberEnd = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      moveNow();
      connection.getInstance?.()?.once('ready', () => {
        attempts = 0;
      });
    }, delay(++attempts));
    pending.unref();
  };
}
