#!/usr/bin/env node
import { processIo } from './io';
import { runCli } from './program';

// runCli turns every error into an exit code; this catch is for a failure of
// the CLI itself (such as a stderr that throws), so it still exits non-zero.
const code = await runCli(process.argv.slice(2), processIo()).catch((error: unknown) => {
  process.stderr.write(`error UNEXPECTED: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
});
process.exitCode = code;
// The one hard exit: a long-running command (serve, worker) may have handed
// work back at its drain deadline, or been cut by a second signal, and the
// sockets and timers left behind must not keep the process alive. Unref'd,
// so a process that is already idle exits at once.
setTimeout(() => process.exit(code), 500).unref();
