import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody } from './http';

const DATABASE = 'primary-db';
const REGION = 'eu-west';
const SEEDED_DAYS = 3;

interface Backup {
  id: string;
  database: string;
  region: string;
  status: 'completed';
  sizeBytes: number;
  createdAt: string;
}

interface Restore {
  id: string;
  backupId: string;
  database: string;
  target: string;
  status: 'completed';
  startedAt: string;
  completedAt: string;
}

const createInput = z.strictObject({
  database: z.string().min(1).optional(),
  label: z.string().optional(),
});

const restoreInput = z.strictObject({
  backupId: z.string().min(1),
  target: z.string().min(1).optional(),
});

/**
 * Backups of the primary database: `GET /backups`, `GET /backups/latest`,
 * `GET /backups/:id`, `POST /backups` (take one now), and
 * `POST /backups/restore` with `{ backupId }`, whose restore job completes
 * at once (`GET /backups/restores/:id` reads it back). Three nightly
 * backups exist after every reset.
 */
export function backupsApi(state: SandboxState) {
  const backups: Backup[] = [];
  const restores = new Map<string, Restore>();
  const restoreIds = new IdSequence('RST');
  // Ids read like the time they were taken at, `bkp-20250301-020000`, with a
  // suffix when two are taken within the same second.
  const backupId = (at: Date) => {
    const stamp = `bkp-${at.toISOString().replace(/[-:]/g, '').slice(0, 15).replace('T', '-')}`;
    let id = stamp;
    for (let n = 2; backups.some((b) => b.id === id); n++) id = `${stamp}-${n}`;
    return id;
  };
  const seed = () => {
    backups.length = 0;
    for (let daysAgo = SEEDED_DAYS; daysAgo >= 1; daysAgo--) {
      const at = new Date();
      at.setUTCDate(at.getUTCDate() - daysAgo);
      at.setUTCHours(2, 0, 0, 0);
      backups.push(newBackup(backupId(at), DATABASE, at, 48_000_000_000 + daysAgo * 150_000_000));
    }
  };
  seed();
  const app = new Hono();

  app.get('/', (c) => c.json({ backups: [...backups].reverse() }));

  app.get('/latest', (c) => {
    const latest = backups.at(-1);
    if (!latest) return opsError(c, 404, 'no_backups', 'No backup has been taken yet');
    return c.json(latest);
  });

  app.post('/', async (c) => {
    const body = await readBody(c, createInput);
    if ('answer' in body) return body.answer;
    const previous = backups.at(-1)?.sizeBytes ?? 48_000_000_000;
    const at = new Date();
    const backup = newBackup(backupId(at), body.data.database ?? DATABASE, at, previous + 120_000_000);
    backups.push(backup);
    state.effect('ops', 'backup.created', backup.id, { database: backup.database });
    return c.json(backup, 201);
  });

  app.post('/restore', async (c) => {
    const body = await readBody(c, restoreInput);
    if ('answer' in body) return body.answer;
    const backup = backups.find((b) => b.id === body.data.backupId);
    if (!backup) return opsError(c, 404, 'backup_not_found', `No backup "${body.data.backupId}"`);
    const now = new Date().toISOString();
    const restore: Restore = {
      id: restoreIds.take(),
      backupId: backup.id,
      database: backup.database,
      target: body.data.target ?? backup.database,
      status: 'completed',
      startedAt: now,
      completedAt: now,
    };
    restores.set(restore.id, restore);
    state.effect('ops', 'backup.restored', restore.id, { backupId: backup.id, target: restore.target });
    return c.json(restore, 201);
  });

  app.get('/restores/:id', (c) => {
    const restore = restores.get(c.req.param('id'));
    if (!restore) return opsError(c, 404, 'restore_not_found', `No restore job "${c.req.param('id')}"`);
    return c.json(restore);
  });

  app.get('/:id', (c) => {
    const backup = backups.find((b) => b.id === c.req.param('id'));
    if (!backup) return opsError(c, 404, 'backup_not_found', `No backup "${c.req.param('id')}"`);
    return c.json(backup);
  });

  return {
    app,
    reset() {
      seed();
      restores.clear();
      restoreIds.reset();
    },
  };
}

function newBackup(id: string, database: string, at: Date, sizeBytes: number): Backup {
  return { id, database, region: REGION, status: 'completed', sizeBytes, createdAt: at.toISOString() };
}
