#!/usr/bin/env node
import { processIo } from './io';
import { runCli } from './program';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
    // A long-running command (serve, worker) may have handed work back at its
    // drain deadline; the sockets and timers left behind must not keep it
    // alive. Unref'd, so a process that is already idle exits at once.
    setTimeout(() => process.exit(code), 500).unref();
  },
  (error: unknown) => {
    process.stderr.write(`error UNEXPECTED: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
