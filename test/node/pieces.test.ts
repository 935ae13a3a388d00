import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pieceRoot, verifyMultiLeafProof, sampleLeaves } from '../../src/merkle/index.js';
import { PieceStore, PieceStoreErrorCode, type PieceStoreOptions } from '../../src/node/pieces/index.js';
import { chunks, collect, pieceBytes, pieceId, pieceSize } from './fixtures/pieces.js';

const SAT = 'sat-1';
const dirs: string[] = [];
const stores: PieceStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stowage-pieces-'));
  dirs.push(d);
  return d;
}

async function open(options: Partial<PieceStoreOptions> & { dir: string }): Promise<PieceStore> {
  const s = await PieceStore.open({ capacity: 1 << 30, ...options });
  stores.push(s);
  return s;
}

async function put(store: PieceStore, seed: number, extra: Record<string, unknown> = {}) {
  const bytes = pieceBytes(seed);
  return store.put(pieceId(seed), chunks(bytes, 7000 + seed), { satelliteId: SAT, maxSize: bytes.length, ...extra });
}

function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? 'no code'
  );
}

describe('piece store', () => {
  it('stores and returns pieces from 0 bytes to 2 MiB, inline and as files, with their roots', async () => {
    const dir = tempDir();
    const store = await open({ dir });
    let total = 0;
    for (let seed = 0; seed < 11; seed++) {
      const bytes = pieceBytes(seed);
      const res = await put(store, seed, { orderLimit: new Uint8Array([seed]), expiresAt: 1_000 + seed });
      total += bytes.length;
      expect(res.size).toBe(bytes.length);
      expect(Buffer.from(res.root).equals(Buffer.from(pieceRoot(bytes)))).toBe(true);
      expect(Buffer.from(await collect(await store.get(pieceId(seed)))).equals(Buffer.from(bytes))).toBe(true);
      const rec = await store.stat(pieceId(seed));
      expect(rec).toMatchObject({ pieceId: pieceId(seed), satelliteId: SAT, size: bytes.length, leafSize: 4096, expiresAt: 1_000 + seed });
      expect([...rec.orderLimit]).toEqual([seed]);
      expect(store.usedSpace()).toBe(total);
      expect(store.usedSpace(SAT)).toBe(total);
    }
    // 64 KiB and up are files; below, LevelDB values.
    const files = readdirSync(join(dir, 'blobs'), { recursive: true }).filter((f) => String(f).length > 3);
    expect(files.length).toBe([...Array(11).keys()].filter((s) => pieceSize(s) >= 65536).length);
  });

  it('serves ranges at every boundary', async () => {
    const store = await open({ dir: tempDir() });
    for (const seed of [3, 9]) {
      await put(store, seed);
      const bytes = pieceBytes(seed);
      const n = bytes.length;
      for (const [offset, length] of [
        [0, 0],
        [0, 1],
        [n - 1, 1],
        [n, 0],
        [1, n - 1],
        [4095, Math.min(4098, n - 4095)],
        [Math.floor(n / 3), Math.floor(n / 3)]
      ] as const) {
        if (length < 0) continue;
        const got = await collect(await store.get(pieceId(seed), { offset, length }));
        expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
      }
      expect(await code(store.get(pieceId(seed), { offset: n, length: 1 }))).toBe(PieceStoreErrorCode.RangeInvalid);
      expect(await code(store.get(pieceId(seed), { offset: -1 }))).toBe(PieceStoreErrorCode.RangeInvalid);
    }
  });

  it('answers audits with leaves and a proof that verifies against the root', async () => {
    const store = await open({ dir: tempDir() });
    const { root } = await put(store, 10);
    const leafCount = Math.ceil(pieceSize(10) / 4096);
    const indices = sampleLeaves(new Uint8Array(32).fill(1), leafCount, 16);
    const answer = await store.readLeaves(pieceId(10), indices);
    expect(verifyMultiLeafProof(root, leafCount, indices, answer.leaves, answer.proof)).toBe(true);
  });

  it('lists by satellite, deletes, and sweeps expired pieces', async () => {
    let now = 5_000;
    const dir = tempDir();
    const store = await open({ dir, now: () => now });
    await put(store, 7, { expiresAt: 6_000 });
    await put(store, 8, { expiresAt: 9_000, satelliteId: 'sat-2' });
    await put(store, 9, { expiresAt: null });
    const listed = [];
    for await (const r of store.list(SAT)) listed.push(r.pieceId);
    expect(listed.sort()).toEqual([pieceId(7), pieceId(9)].sort());
    expect(store.usedSpace('sat-2')).toBe(pieceSize(8));

    now = 6_000;
    expect(await store.sweepExpired()).toBe(1);
    expect(await store.has(pieceId(7))).toBe(false);
    expect(await store.sweepExpired(8_999)).toBe(0);
    expect(await store.sweepExpired(9_000)).toBe(1);
    expect(store.usedSpace()).toBe(pieceSize(9));

    await store.delete(pieceId(9));
    expect(store.usedSpace()).toBe(0);
    expect(await code(store.get(pieceId(9)))).toBe(PieceStoreErrorCode.NotFound);
    expect(await code(store.delete(pieceId(9)))).toBe(PieceStoreErrorCode.NotFound);
    expect(readdirSync(join(dir, 'blobs'), { recursive: true }).filter((f) => String(f).length > 3)).toEqual([]);
  });

  it('keeps exact counters under concurrent puts and deletes (group commit)', async () => {
    const dir = tempDir();
    const store = await open({ dir });
    const seeds = Array.from({ length: 24 }, (_, i) => i + 100);
    await Promise.all(seeds.map((seed) => put(store, seed, { satelliteId: seed % 2 ? 'sat-odd' : 'sat-even' })));
    const doomed = seeds.filter((s) => s % 3 === 0);
    const results = await Promise.allSettled([...doomed, ...doomed].map((seed) => store.delete(pieceId(seed))));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(doomed.length);
    const left = seeds.filter((s) => s % 3 !== 0);
    const sum = (list: number[]): number => list.reduce((a, s) => a + pieceSize(s), 0);
    expect(store.usedSpace()).toBe(sum(left));
    expect(store.usedSpace('sat-odd')).toBe(sum(left.filter((s) => s % 2)));
    await store.close();
    const again = await open({ dir });
    expect(again.usedSpace('sat-even')).toBe(sum(left.filter((s) => s % 2 === 0)));
    expect(again.usedSpace()).toBe(sum(left));
  });

  it('keeps pieces, counters and the index across a restart', async () => {
    const dir = tempDir();
    const first = await open({ dir });
    for (const seed of [2, 6, 10]) await put(first, seed);
    await first.delete(pieceId(6));
    const used = first.usedSpace();
    await first.close();
    // An unfinished upload's temporary file, as a crash leaves it.
    writeFileSync(join(dir, 'tmp', 'left-over.part'), 'x');
    const second = await open({ dir });
    expect(second.usedSpace()).toBe(used);
    expect(second.usedSpace(SAT)).toBe(pieceSize(2) + pieceSize(10));
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(Buffer.from(await collect(await second.get(pieceId(10)))).equals(Buffer.from(pieceBytes(10)))).toBe(true);
    expect(await second.has(pieceId(6))).toBe(false);
  });
});

describe('piece store after a power loss between the commit and the file sync', () => {
  // A put commits its record while its file's fdatasync still runs (one sync's wait, not two) and
  // leaves an "unsynced" marker until the file is on disk. With the power gone in between, the
  // record may name a file whose bytes never all reached the disk: such a piece is checked at the
  // next open (size, Merkle root) and removed, its space given back; whole ones stay.
  it('keeps the whole pieces, removes the cut, missing and altered ones, and clears the markers', async () => {
    const dir = tempDir();
    const first = await open({ dir });
    const size = 300_000;
    const seeds = [41, 42, 43, 44, 45];
    for (const seed of seeds) await first.put(pieceId(seed), chunks(pieceBytes(seed, size)), { satelliteId: SAT, maxSize: size });
    await first.close();
    stores.splice(stores.indexOf(first), 1);
    const { Level } = await import('level');
    const db = new Level<string, unknown>(join(dir, 'db'), { valueEncoding: 'json' });
    const records = db.sublevel<string, { b: string }>('p', { valueEncoding: 'json' });
    const unsynced = db.sublevel<string, string>('v', { valueEncoding: 'utf8' });
    const refOf = async (seed: number): Promise<string> => (await records.get(pieceId(seed)))!.b;
    // The puts cleared their markers; markers as the power cut would have left them, for 41 to 44.
    expect(await unsynced.keys().all()).toEqual([]);
    for (const seed of [41, 42, 43, 44]) await unsynced.put(pieceId(seed), await refOf(seed));
    const blob = async (seed: number): Promise<string> => join(dir, 'blobs', await refOf(seed));
    const { truncateSync, rmSync: rm, readFileSync } = await import('node:fs');
    truncateSync(await blob(42), size - 4096);
    rm(await blob(43));
    const altered = readFileSync(await blob(44));
    altered[size >> 1]! ^= 0x40;
    writeFileSync(await blob(44), altered);
    const removed = await Promise.all([42, 43, 44].map(blob));
    await db.close();

    const second = await open({ dir });
    expect(await second.has(pieceId(41))).toBe(true);
    expect(await second.has(pieceId(45))).toBe(true);
    for (const seed of [42, 43, 44]) expect(await second.has(pieceId(seed)), `piece ${seed}`).toBe(false);
    expect(second.usedSpace(SAT)).toBe(2 * size);
    expect(Buffer.from(await collect(await second.get(pieceId(41)))).equals(Buffer.from(pieceBytes(41, size)))).toBe(true);
    for (const path of removed) expect(existsSync(path), path).toBe(false);
    // The same piece can be uploaded again, and a third open changes nothing.
    await second.put(pieceId(42), chunks(pieceBytes(42, size)), { satelliteId: SAT, maxSize: size });
    await second.close();
    stores.splice(stores.indexOf(second), 1);
    const third = await open({ dir });
    expect(third.usedSpace(SAT)).toBe(3 * size);
    expect(Buffer.from(await collect(await third.get(pieceId(42)))).equals(Buffer.from(pieceBytes(42, size)))).toBe(true);
  });
});

describe('piece store refuses bad input and leaves nothing behind', () => {
  async function assertNothingAdded(store: PieceStore, dir: string, seed: number, used = 0): Promise<void> {
    expect(await store.has(pieceId(seed))).toBe(false);
    expect(store.usedSpace()).toBe(used);
    expect(store.freeSpace()).toBe((1 << 30) - used);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  }

  it('unknown and malformed piece ids', async () => {
    const store = await open({ dir: tempDir() });
    expect(await code(store.get(pieceId(1)))).toBe(PieceStoreErrorCode.NotFound);
    expect(await code(store.stat('abc'))).toBe(PieceStoreErrorCode.InvalidId);
    expect(await code(store.stat(pieceId(1).toUpperCase()))).toBe(PieceStoreErrorCode.InvalidId);
    expect(await code(store.put(new Uint8Array(31), [], { satelliteId: SAT, maxSize: 0 }))).toBe(PieceStoreErrorCode.InvalidId);
    expect(await code(store.put(pieceId(1), [], { satelliteId: 'bad id!', maxSize: 0 }))).toBe(PieceStoreErrorCode.InvalidOptions);
    expect(await code(store.put(pieceId(1), [], { satelliteId: SAT, maxSize: -1 }))).toBe(PieceStoreErrorCode.InvalidOptions);
  });

  it('an over-long stream, inline or file-sized', async () => {
    const dir = tempDir();
    const store = await open({ dir });
    for (const seed of [2, 10]) {
      const bytes = pieceBytes(seed);
      const err = await code(store.put(pieceId(seed), chunks(bytes), { satelliteId: SAT, maxSize: bytes.length - 1 }));
      expect(err).toBe(PieceStoreErrorCode.TooLarge);
      await assertNothingAdded(store, dir, seed);
    }
  });

  it('a short stream against its declared size', async () => {
    const dir = tempDir();
    const store = await open({ dir });
    const bytes = pieceBytes(10);
    const err = await code(store.put(pieceId(10), chunks(bytes.subarray(0, 100_000)), { satelliteId: SAT, maxSize: bytes.length, size: bytes.length }));
    expect(err).toBe(PieceStoreErrorCode.SizeMismatch);
    await assertNothingAdded(store, dir, 10);
  });

  it('a source that fails or is aborted mid-way', async () => {
    const dir = tempDir();
    const store = await open({ dir });
    async function* failing() {
      yield new Uint8Array(100_000);
      throw new Error('connection reset');
    }
    expect(await code(store.put(pieceId(10), failing(), { satelliteId: SAT, maxSize: 1 << 21 }))).toBe(PieceStoreErrorCode.Aborted);
    await assertNothingAdded(store, dir, 10);
    const ac = new AbortController();
    async function* slow() {
      yield new Uint8Array(100_000);
      ac.abort();
      yield new Uint8Array(10);
    }
    expect(await code(store.put(pieceId(10), slow(), { satelliteId: SAT, maxSize: 1 << 21, signal: ac.signal }))).toBe(PieceStoreErrorCode.Aborted);
    await assertNothingAdded(store, dir, 10);
  });

  it('a second upload of the same piece, finished or in flight', async () => {
    const dir = tempDir();
    const store = await open({ dir });
    await put(store, 9);
    expect(await code(put(store, 9))).toBe(PieceStoreErrorCode.Exists);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* held() {
      yield new Uint8Array(10);
      await gate;
    }
    const first = store.put(pieceId(3), held(), { satelliteId: SAT, maxSize: 10 });
    expect(await code(store.put(pieceId(3), [new Uint8Array(10)], { satelliteId: SAT, maxSize: 10 }))).toBe(PieceStoreErrorCode.Exists);
    release();
    await first;
    expect(store.usedSpace()).toBe(pieceSize(9) + 10);
  });

  it('a piece larger than the free capacity, before reading a byte', async () => {
    const dir = tempDir();
    const store = await open({ dir, capacity: 300_000 });
    await put(store, 8); // 200 000 bytes
    let pulled = false;
    async function* source() {
      pulled = true;
      yield new Uint8Array(10);
    }
    expect(await code(store.put(pieceId(1), source(), { satelliteId: SAT, maxSize: 100_001 }))).toBe(PieceStoreErrorCode.Full);
    expect(pulled).toBe(false);
    // Capacity reserved by an upload in progress counts too.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* held() {
      yield new Uint8Array(10);
      await gate;
    }
    const inFlight = store.put(pieceId(2), held(), { satelliteId: SAT, maxSize: 60_000 });
    expect(await code(store.put(pieceId(3), [new Uint8Array(10)], { satelliteId: SAT, maxSize: 50_000 }))).toBe(PieceStoreErrorCode.Full);
    release();
    await inFlight;
    expect(store.usedSpace()).toBe(200_010);
    expect(store.freeSpace()).toBe(99_990);
  });

  it('refuses calls after close', async () => {
    const store = await open({ dir: tempDir() });
    await store.close();
    expect(await code(store.get(pieceId(1)))).toBe(PieceStoreErrorCode.Closed);
  });
});

// Mounting a tmpfs needs root (CI and these machines run as root); elsewhere this is skipped, saying why.
describe.skipIf(process.getuid?.() !== 0)('piece store on a full disk (needs root: mounts a tmpfs)', () => {
  it('promises no more than the disk has, turns ENOSPC mid-write into PIECE_DISK_FULL, keeps counters, and works again after', async () => {
    // A real small filesystem: a 6 MiB tmpfs (the machines run as root).
    const mnt = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt]);
    try {
      const dir = join(mnt, 'store');
      mkdirSync(dir);
      const store = await PieceStore.open({ dir, capacity: 1 << 30, diskReserve: 0 });
      try {
        // A capacity of 1 GiB on a 6 MiB disk: only what the disk has is promised.
        expect(store.freeSpace()).toBeLessThanOrEqual(6 << 20);
        expect(store.freeSpace()).toBeGreaterThan(4 << 20);
        const initial = store.freeSpace();
        await put(store, 9); // 1 MiB fits
        // What it stored comes off the disk's figure at once, not at the next sample.
        expect(store.freeSpace()).toBeLessThanOrEqual(initial - pieceSize(9));
        const used = store.usedSpace();
        // Another program fills the disk between two samples of its free space: the store still
        // promises what it saw last, and the write meets a real ENOSPC.
        const filler = join(mnt, 'filler');
        const before = store.freeSpace();
        writeFileSync(filler, new Uint8Array(3 << 20));
        expect(store.freeSpace()).toBe(before);
        const big = new Uint8Array(Math.min(before, 3 << 20));
        const err = await code(store.put(pieceId(100), chunks(big, 256 * 1024), { satelliteId: SAT, maxSize: big.length }));
        expect(err).toBe(PieceStoreErrorCode.DiskFull);
        // The disk-full error made the store look again: it promises less than the piece it could not hold.
        expect(store.freeSpace()).toBeLessThan(big.length);
        expect(await store.has(pieceId(100))).toBe(false);
        expect(store.usedSpace()).toBe(used);
        expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
        rmSync(filler);
        await store.refreshDiskSpace();
        await put(store, 8); // space is back
        expect(store.usedSpace()).toBe(used + pieceSize(8));
      } finally {
        await store.close();
      }
      const again = await PieceStore.open({ dir, capacity: 1 << 30 });
      expect(again.usedSpace()).toBe(pieceSize(9) + pieceSize(8));
      await again.close();
    } finally {
      execFileSync('umount', [mnt]);
    }
    expect(existsSync(join(mnt, 'store'))).toBe(false);
  });
});
