/**
 * The step throughput baseline: a raw BullMQ worker where each job of a
 * "run" enqueues the next step, five jobs per run, with the job options
 * Baton's queue uses (attempts, backoff, kept finished jobs). The last job
 * of a run counts it done (INCR). Prints `worker ready` once it consumes.
 *
 * argv[2]: JSON { url, prefix, queue, concurrency, steps, doneKey }
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_OPTIONS } from '../lib/job-options';

interface Options {
  url: string;
  prefix: string;
  queue: string;
  concurrency: number;
  steps: number;
  doneKey: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;

const queueConnection = new Redis(options.url, { maxRetriesPerRequest: 0 });
const command = new Redis(options.url, { enableAutoPipelining: true });
const queue = new Queue(options.queue, {
  connection: queueConnection,
  prefix: options.prefix,
  defaultJobOptions: JOB_OPTIONS,
  streams: { events: { maxLen: 1000 } },
});

const worker = new Worker(
  options.queue,
  async (job) => {
    const { run, step } = job.data as { run: number; step: number };
    if (step < options.steps) await queue.add('step', { run, step: step + 1 });
    else await command.incr(options.doneKey);
  },
  {
    connection: new Redis(options.url, { maxRetriesPerRequest: null }),
    prefix: options.prefix,
    concurrency: options.concurrency,
  },
);
await worker.waitUntilReady();
console.log('worker ready');

process.on('SIGTERM', async () => {
  await worker.close();
  await queue.close();
  command.disconnect();
  process.exit(0);
});
