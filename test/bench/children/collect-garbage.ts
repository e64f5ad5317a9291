/**
 * Makes a Node process run a full garbage collection through its inspector
 * (DevTools protocol `HeapProfiler.collectGarbage`), so the memory scenario
 * samples what the process holds rather than where V8's collector happens
 * to be in its cycle. Needs `--experimental-websocket` on Node 20.
 *
 * argv[2]: the inspector's ws:// URL.
 */
const url = process.argv[2];
if (!url) throw new Error('usage: collect-garbage <ws url>');
const socket = new WebSocket(url);
await new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () =>
    socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })),
  );
  socket.addEventListener('message', (message) => {
    if ((JSON.parse(String(message.data)) as { id?: number }).id === 1) resolve();
  });
  socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)));
});
socket.close();
console.log('{"collected":true}');

export {};
