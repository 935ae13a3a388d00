// LevelDB after a write the disk cut short (src/common/level-guard.ts). A write that meets ENOSPC
// leaves a torn record in LevelDB's log; LevelDB went on appending after it, and the next open
// dropped everything from the torn record on: on a real full tmpfs, every piece committed after
// the disk was freed was gone after a clean close and open (a chaos run's node lost pieces it had
// signed receipts for, seed 208582201). Now the database is reopened before the next write.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { guardWrites, isDiskFull } from '../../src/common/index.js';
import { PieceStore } from '../../src/node/pieces/index.js';
import { fillDisk } from '../chaos/faults.js';

const SAT = '12D3KooWGRUVh8e9ftsPSUaEWcqrCGzRKSFwNB5Vgm7q3vN3sZvN';
const id = (i: number): string => i.toString(16).padStart(64, '0');
const mounts: string[] = [];

/** A real small filesystem of its own (the machines run as root). */
function tmpfs(size: string): string {
  const mnt = mkdtempSync(join(tmpdir(), 'stowage-torn-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt]);
  mounts.push(mnt);
  return mnt;
}

afterEach(() => {
  for (const m of mounts.splice(0)) {
    execFileSync('umount', ['-l', m]);
    rmSync(m, { recursive: true, force: true });
  }
});

async function putInline(store: PieceStore, i: number): Promise<void> {
  // Under the inline threshold: the bytes go into LevelDB's log with the record.
  await store.put(id(i), [new Uint8Array(20_000).fill(i)], { satelliteId: SAT, maxSize: 20_000 });
}

describe('LevelDB after a write the disk cut short', () => {
  it('keeps every piece committed after the disk was freed, across a close and open', async () => {
    const mnt = tmpfs('32m');
    const dir = join(mnt, 'store');
    let store = await PieceStore.open({ dir, capacity: 1 << 30, diskReserve: 0 });
    for (let i = 0; i < 5; i++) await putInline(store, i);
    const filler = join(mnt, 'filler');
    await fillDisk(filler);
    // The first commit meets ENOSPC in LevelDB's log; the store then sees the disk is full.
    const err = await putInline(store, 5).then(
      () => undefined,
      (e: unknown) => e
    );
    expect((err as { code?: string }).code).toBe('PIECE_DISK_FULL');
    rmSync(filler);
    await store.refreshDiskSpace();
    const after = Array.from({ length: 10 }, (_, n) => 10 + n);
    for (const i of after) await putInline(store, i);
    await store.close();
    store = await PieceStore.open({ dir, capacity: 1 << 30, diskReserve: 0 });
    try {
      for (const i of [0, 1, 2, 3, 4, ...after]) expect(await store.has(id(i)), `piece ${i}`).toBe(true);
      expect(await store.has(id(5))).toBe(false);
      expect(store.usedSpace()).toBe(15 * 20_000);
      // Recovery dropped nothing: the torn record went with the reopen before the next write.
      expect(readFileSync(join(dir, 'db', 'LOG'), 'utf8')).not.toMatch(/dropping/);
    } finally {
      await store.close();
    }
  });

  it('refuses writes until there is room to reopen, keeps reads, and loses nothing written after', async () => {
    const mnt = tmpfs('24m');
    const location = join(mnt, 'db');
    let db = new Level<string, unknown>(location, { valueEncoding: 'json' });
    const guard = guardWrites(db, location, { room: 4 * 1024 * 1024 });
    let sub = db.sublevel<string, unknown>('s', { valueEncoding: 'json' });
    await db.open();
    await sub.put('before', 1);
    const filler = join(mnt, 'filler');
    await fillDisk(filler);
    const big = 'x'.repeat(256 * 1024);
    const first = await sub.put('torn', big).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(isDiskFull(first)).toBe(true);
    expect(guard.broken).toBe(true);
    // Still full: writes wait (a clear error), reads go on.
    await expect(sub.put('waiting', 2)).rejects.toMatchObject({ code: 'LEVEL_DISK_FULL' });
    expect(await sub.get('before')).toBe(1);
    rmSync(filler);
    for (let i = 0; i < 20; i++) await sub.put(`after-${i}`, big);
    expect(guard.broken).toBe(false);
    await db.close();
    db = new Level<string, unknown>(location, { valueEncoding: 'json' });
    sub = db.sublevel<string, unknown>('s', { valueEncoding: 'json' });
    await db.open();
    try {
      expect(await sub.get('before')).toBe(1);
      for (let i = 0; i < 20; i++) expect(await sub.get(`after-${i}`), `after-${i}`).toBe(big);
      expect(await sub.get('waiting')).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});

describe('a store opened on a disk full to the last byte', () => {
  it('waits for room instead of failing, and opens with everything in it', async () => {
    const mnt = tmpfs('24m');
    const dir = join(mnt, 'store');
    const store = await PieceStore.open({ dir, capacity: 1 << 30, diskReserve: 0 });
    for (let i = 0; i < 3; i++) await putInline(store, i);
    await store.close();
    const filler = join(mnt, 'filler');
    await fillDisk(filler);
    // LevelDB cannot open here (recovery writes): a plain open fails with PIECE_DISK_FULL...
    await expect(PieceStore.open({ dir, capacity: 1 << 30, diskReserve: 0 })).rejects.toMatchObject({ code: 'PIECE_DISK_FULL' });
    // ...and openWhenRoom waits, then opens once the disk has room.
    const waits: number[] = [];
    const opening = PieceStore.openWhenRoom({ dir, capacity: 1 << 30, diskReserve: 0 }, { retryMs: 100, onWait: (_err, attempt) => waits.push(attempt) });
    for (let t = 0; t < 100 && waits.length < 2; t++) await new Promise((r) => setTimeout(r, 50));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    rmSync(filler);
    const again = await opening;
    try {
      for (let i = 0; i < 3; i++) expect(await again.has(id(i))).toBe(true);
    } finally {
      await again.close();
    }
  });
});
