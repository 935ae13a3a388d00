// LevelDB after a write the disk could not take. LevelDB appends each write to its log; a write
// cut short (ENOSPC, say) leaves a torn record there, and LevelDB goes on appending after it. At
// the next open, recovery drops everything from the torn record on: measured on a full tmpfs, all
// ten pieces a store committed after the disk was freed were gone after a clean close and open
// (and a chaos run's node lost pieces it had signed receipts for). So after a failed write the
// database is closed and reopened before it takes another one: recovery then drops only the torn
// record, and the next writes go to a fresh log. The reopen waits until the filesystem has room
// for recovery's flush; until then writes fail (reads go on: the database stays open).
import { statfs } from 'node:fs/promises';
import type { Level } from 'level';
import { StowageError } from './errors.js';

/** Free bytes the filesystem needs before a reopen is tried (recovery writes the memtable out). */
export const REOPEN_ROOM = 16 * 1024 * 1024;

/**
 * Whether `err` (or what caused it) is the filesystem running out of space: ENOSPC or EDQUOT from
 * node:fs, or LevelDB's LEVEL_IO_ERROR whose message carries the errno's text.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'LEVEL_DISK_FULL') return true;
    if (typeof message === 'string' && /No space left on device|Disk quota exceeded/.test(message)) return true;
  }
  return false;
}

/** A failed write that may have left a torn log record (an I/O error of LevelDB's). */
function isWriteFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'LEVEL_IO_ERROR' || isDiskFull(err) || (err instanceof Error && /^IO error/.test(err.message));
}

type Writer = (...args: unknown[]) => Promise<unknown>;

export interface LevelGuard {
  /** Whether the next write reopens the database first. */
  readonly broken: boolean;
  /** Reopens now if a write failed (tests; writes do it themselves). */
  heal(): Promise<void>;
}

/**
 * Guards every write of `db` (its sublevels' too: they write through it): after one fails with an
 * I/O error, the next reopens the database first, once the filesystem has REOPEN_ROOM free. Call
 * it before making sublevels: those made later are reopened with the database.
 */
export function guardWrites(db: Level<string, unknown>, location: string, options: { room?: number } = {}): LevelGuard {
  const room = options.room ?? REOPEN_ROOM;
  let broken = false;
  let healing: Promise<void> | undefined;
  const heal = async (): Promise<void> => {
    if (!broken) return;
    healing ??= (async () => {
      const fs = await statfs(location).catch(() => undefined);
      if (fs && fs.bavail * fs.bsize < room) {
        throw new StowageError('LEVEL_DISK_FULL', `the disk under ${location} is full: writes wait for ${room} free bytes`);
      }
      await db.close();
      await db.open();
      // Sublevels close with their database and do not reopen with it.
      for (const sub of sublevels) await sub.open();
      broken = false;
    })().finally(() => (healing = undefined));
    return healing;
  };
  // Every sublevel made from now on (and theirs), to reopen with the database.
  const sublevels: { open(): Promise<void> }[] = [];
  type Parent = { sublevel: (...args: unknown[]) => Parent & { open(): Promise<void> } };
  const track = (parent: Parent): void => {
    const make = parent.sublevel.bind(parent);
    parent.sublevel = (...args: unknown[]) => {
      const sub = make(...args);
      sublevels.push(sub);
      track(sub);
      return sub;
    };
  };
  track(db as unknown as Parent);
  const target = db as unknown as Record<'_put' | '_del' | '_batch', Writer>;
  for (const name of ['_put', '_del', '_batch'] as const) {
    const write = target[name].bind(db);
    target[name] = async (...args: unknown[]) => {
      await heal();
      try {
        return await write(...args);
      } catch (err) {
        if (isWriteFailure(err)) broken = true;
        throw err;
      }
    };
  }
  return {
    get broken() {
      return broken;
    },
    heal
  };
}
