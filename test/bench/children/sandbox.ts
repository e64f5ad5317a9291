/**
 * The sandbox (`@baton/sandbox`) in a process of its own, so the emulated
 * provider does not share the dispatcher's event loop. Prints
 * `listening <url>`; the bench drives it through `/_sandbox`.
 */
import { startSandbox } from '@baton/sandbox';

const sandbox = await startSandbox({ port: 0, smtpPort: false });
console.log(`listening ${sandbox.url}`);
process.on('SIGTERM', () => {
  void sandbox.close().then(() => process.exit(0));
});
