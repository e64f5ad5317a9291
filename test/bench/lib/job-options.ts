/**
 * The job options of Baton's task queue (packages/runtime/src/backend/redis/task-queue.ts),
 * which the BullMQ baseline uses too, so both keep the same finished jobs.
 */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 86_400, count: 1000 },
} as const;
