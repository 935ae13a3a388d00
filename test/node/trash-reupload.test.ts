// A piece uploaded again under an id that sits in the trash (repair picking a node whose cancelled
// long-tail copy garbage collection took) must survive the trash being emptied. The blob of a piece
// lives at a path made from its id, so the new upload's bytes replace the trashed ones in place:
// emptying the trash used to remove that file under the live record.
//
// The old copy's bytes must also survive an upload again that fails (the LevelDB commit refused, or
// the process killed on the way): the trash is there so that a piece wrongly collected can be
// restored, and a failed upload loses nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pieceRoot } from '../../src/merkle/index.js';
import { FileBlobStore, PieceStore, type BlobStore } from '../../src/node/pieces/index.js';
import { collect, pieceBytes, pieceId } from './fixtures/pieces.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';

const SATELLITE = '12D3KooWGRUVh6ZgDkcb2WmcTnzAZkkA4XHFWmwbbRqnqBq8zwZP';

afterAll(() => removeTempDirs());

async function open(): Promise<PieceStore> {
  return PieceStore.open({ dir: tempDir('stowage-trash-'), capacity: 1 << 30 });
}

describe('a piece uploaded again while its old copy is in the trash', () => {
  // blob -> blob, inline -> inline, and the mixed cases (the same id with another size).
  const cases: [string, number, number][] = [
    ['blob, then blob', 200_000, 300_000],
    ['inline, then inline', 1000, 2000],
    ['blob, then inline', 200_000, 1000],
    ['inline, then blob', 1000, 200_000]
  ];
  for (const [name, firstSize, secondSize] of cases) {
    it(`keeps the live piece when the trash is emptied (${name})`, async () => {
      const store = await open();
      try {
        const id = pieceId(7);
        const first = pieceBytes(1, firstSize);
        const second = pieceBytes(2, secondSize);
        await store.put(id, [first], { satelliteId: SATELLITE, maxSize: first.length });
        await store.trash(id, 1000);
        expect(store.trashSpace()).toBe(firstSize);
        await store.put(id, [second], { satelliteId: SATELLITE, maxSize: second.length });
        // The old copy is gone for good now: its bytes were replaced, it is no longer trash.
        expect(store.trashSpace()).toBe(0);
        expect(store.usedSpace()).toBe(secondSize);
        expect(await store.emptyTrash(Date.now())).toBe(0);
        expect(await store.has(id)).toBe(true);
        expect(Buffer.from(await collect(await store.get(id))).equals(Buffer.from(second))).toBe(true);
        // And after a restart.
        const dir = (store as unknown as { dir: string }).dir;
        await store.close();
        const again = await PieceStore.open({ dir, capacity: 1 << 30 });
        try {
          expect(Buffer.from(await collect(await again.get(id))).equals(Buffer.from(second))).toBe(true);
          expect(again.trashSpace()).toBe(0);
        } finally {
          await again.close();
        }
      } finally {
        await store.close();
      }
    });
  }

  it('an emptying that runs while the piece is being uploaded again leaves the new piece whole', async () => {
    const store = await open();
    try {
      const id = pieceId(8);
      const first = pieceBytes(3, 200_000);
      const second = pieceBytes(4, 300_000);
      await store.put(id, [first], { satelliteId: SATELLITE, maxSize: first.length });
      await store.trash(id, 1000);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield second.subarray(0, 100_000);
        await gate;
        yield second.subarray(100_000);
      }
      const upload = store.put(id, slow(), { satelliteId: SATELLITE, maxSize: second.length });
      await new Promise((r) => setTimeout(r, 50));
      // The upload is in flight: the emptying leaves that id for the upload to settle.
      await store.emptyTrash(Date.now());
      release();
      await upload;
      await store.emptyTrash(Date.now());
      expect(Buffer.from(await collect(await store.get(id))).equals(Buffer.from(second))).toBe(true);
      expect(store.trashSpace()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('a trashed piece not uploaded again is still deleted when the trash is emptied', async () => {
    const store = await open();
    try {
      const id = pieceId(9);
      const bytes = pieceBytes(5, 200_000);
      await store.put(id, [bytes], { satelliteId: SATELLITE, maxSize: bytes.length });
      await store.trash(id, 1000);
      expect(await store.emptyTrash(2000)).toBe(1);
      expect(store.trashSpace()).toBe(0);
      expect(await store.has(id)).toBe(false);
    } finally {
      await store.close();
    }
  });
});

// What the store keeps out of its API, read for the checks below (LevelDB sublevels: the trash,
// the pending markers; the db itself, closed to make a write fail for real).
interface Insides {
  dir: string;
  db: { close(): Promise<void> };
  trashed: { get(key: string): Promise<{ r: { b: string | null; z: number; r: string; l: number }; t: number } | undefined> };
  pending: { keys(): { all(): Promise<string[]> } };
}
const insides = (store: PieceStore): Insides => store as unknown as Insides;

/** Files under DIR/blobs, as refs ("xx/<name>"). */
function blobFiles(dir: string): string[] {
  return readdirSync(join(dir, 'blobs'), { recursive: true })
    .map(String)
    .filter((f) => f.length > 3)
    .sort();
}

/**
 * The real file blob store, with a moment to act at: `at('install' | 'installed' | 'remove')` runs
 * before the rename into blobs/, after it, or before a blob is removed. Nothing is faked: every
 * call goes to a FileBlobStore on the same directory; the hooks only close the store's LevelDB
 * (a real failure of the next write), or stop there (a process killed at that point).
 */
class TimedBlobs implements BlobStore {
  private readonly real: FileBlobStore;
  at: ((moment: 'install' | 'installed' | 'remove') => Promise<void>) | undefined;

  constructor(dir: string) {
    this.real = new FileBlobStore(dir);
  }

  init(): Promise<void> {
    return this.real.init();
  }
  create(): ReturnType<BlobStore['create']> {
    return this.real.create();
  }
  refFor(...args: Parameters<BlobStore['refFor']>): string {
    return this.real.refFor(...args);
  }
  async install(...args: Parameters<BlobStore['install']>): ReturnType<BlobStore['install']> {
    await this.at?.('install');
    const result = await this.real.install(...args);
    await this.at?.('installed');
    return result;
  }
  read(ref: string, start: number, end: number): AsyncIterable<Uint8Array> {
    return this.real.read(ref, start, end);
  }
  async remove(ref: string): Promise<void> {
    await this.at?.('remove');
    return this.real.remove(ref);
  }
}

/** Checks the trashed copy of `id` is whole: its entry, its bytes (matching its root), the totals. */
async function expectTrashedCopy(store: PieceStore, id: string, bytes: Uint8Array): Promise<void> {
  const { dir, trashed } = insides(store);
  const entry = await trashed.get(id);
  expect(entry, 'the trash entry').toBeDefined();
  expect(entry!.r.z).toBe(bytes.length);
  expect(store.trashSpace()).toBe(bytes.length);
  expect(store.usedSpace()).toBe(0);
  expect(await store.has(id)).toBe(false);
  if (entry!.r.b === null) return;
  // Restorable: the bytes at the entry's blob are the piece's, and hash to the root it recorded.
  const onDisk = readFileSync(join(dir, 'blobs', entry!.r.b));
  expect(onDisk.equals(Buffer.from(bytes)), 'the trashed copy\'s bytes').toBe(true);
  expect(Buffer.from(pieceRoot(onDisk, entry!.r.l)).toString('hex')).toBe(entry!.r.r);
}

describe('an upload again over a trashed copy that fails', () => {
  // [name, size of the trashed copy, size of the new one, where the failure comes]
  // 'sealed': the db is closed once all bytes are in (before the store writes anything for the
  // piece: the pending marker's write, or an inline piece's batch, fails); 'installed': the db is
  // closed right after the new blob is renamed into blobs/ (the commit batch fails).
  const cases: [string, number, number, 'sealed' | 'installed'][] = [
    ['blob over blob, refused before the install', 200_000, 300_000, 'sealed'],
    ['blob over blob, refused after the install', 200_000, 300_000, 'installed'],
    ['blob over inline, refused after the install', 1000, 300_000, 'installed'],
    ['inline over blob, refused', 200_000, 1000, 'sealed']
  ];
  for (const [name, firstSize, secondSize, when] of cases) {
    it(`leaves the trashed copy whole and the store consistent (${name})`, async () => {
      const dir = tempDir('stowage-trash-fail-');
      const blobs = new TimedBlobs(dir);
      const store = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
      const id = pieceId(20);
      const first = pieceBytes(21, firstSize);
      const second = pieceBytes(22, secondSize);
      try {
        await store.put(id, [first], { satelliteId: SATELLITE, maxSize: first.length });
        await store.trash(id, 1000);
        const trashedFiles = blobFiles(dir);
        const closeDb = async (): Promise<void> => {
          await insides(store).db.close();
        };
        if (when === 'installed') blobs.at = async (m) => (m === 'installed' ? closeDb() : undefined);
        const failed = store.put(id, [second], {
          satelliteId: SATELLITE,
          maxSize: second.length,
          seal: async () => {
            if (when === 'sealed') await closeDb();
            return new Uint8Array(0);
          }
        });
        await expect(failed).rejects.toMatchObject({ code: 'PIECE_IO_ERROR' });
        // Nothing of the failed upload is left, and the trashed copy's bytes are where they were.
        expect(blobFiles(dir)).toEqual(trashedFiles);
        expect(store.trashSpace()).toBe(first.length);
        expect(store.usedSpace()).toBe(0);
      } finally {
        blobs.at = undefined;
        await store.close();
      }

      // Reopened (recovery settles whatever marker the failure left): the same, from disk.
      const again = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
      try {
        await expectTrashedCopy(again, id, first);
        expect(await insides(again).pending.keys().all()).toEqual([]);
        const entry = await insides(again).trashed.get(id);
        expect(blobFiles(dir)).toEqual(entry!.r.b !== null ? [entry!.r.b] : []);
        // The upload tried again succeeds and settles the trashed copy.
        await again.put(id, [second], { satelliteId: SATELLITE, maxSize: second.length });
        expect(again.trashSpace()).toBe(0);
        expect(again.usedSpace()).toBe(second.length);
        expect(Buffer.from(await collect(await again.get(id))).equals(Buffer.from(second))).toBe(true);
        expect(blobFiles(dir)).toHaveLength(secondSize >= 65536 ? 1 : 0);
        expect(await again.emptyTrash(Date.now())).toBe(0);
        expect(Buffer.from(await collect(await again.get(id))).equals(Buffer.from(second))).toBe(true);
      } finally {
        await again.close();
      }
    });
  }

  it('keeps the trashed copy whole when it is itself an upload again (trashed twice)', async () => {
    const dir = tempDir('stowage-trash-fail-');
    const blobs = new TimedBlobs(dir);
    const store = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
    const id = pieceId(23);
    const [a, b, c] = [pieceBytes(24, 200_000), pieceBytes(25, 250_000), pieceBytes(26, 300_000)];
    try {
      await store.put(id, [a], { satelliteId: SATELLITE, maxSize: a.length });
      await store.trash(id, 1000);
      await store.put(id, [b], { satelliteId: SATELLITE, maxSize: b.length });
      await store.trash(id, 2000);
      expect(store.trashSpace()).toBe(b.length);
      blobs.at = async (m) => (m === 'installed' ? insides(store).db.close() : undefined);
      await expect(store.put(id, [c], { satelliteId: SATELLITE, maxSize: c.length })).rejects.toMatchObject({ code: 'PIECE_IO_ERROR' });
    } finally {
      blobs.at = undefined;
      await store.close();
    }
    const again = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
    try {
      await expectTrashedCopy(again, id, b);
      expect(blobFiles(dir)).toHaveLength(1);
      await again.put(id, [c], { satelliteId: SATELLITE, maxSize: c.length });
      expect(await again.emptyTrash(Date.now())).toBe(0);
      expect(Buffer.from(await collect(await again.get(id))).equals(Buffer.from(c))).toBe(true);
      expect(again.trashSpace()).toBe(0);
      expect(blobFiles(dir)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});

describe('an upload again over a trashed copy whose clean-up fails after the commit', () => {
  // The db is closed as the old copy's blob is being removed: the removal goes through, the
  // marker's deletion after it fails. The piece is committed by then, so the put succeeds and
  // keeps its bytes; the next open finishes the clean-up.
  for (const [name, secondSize] of [['blob over blob', 300_000], ['inline over blob', 1000]] as const) {
    it(`keeps the stored piece (${name})`, async () => {
      const dir = tempDir('stowage-trash-after-');
      const blobs = new TimedBlobs(dir);
      const store = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
      const id = pieceId(40);
      const first = pieceBytes(41, 200_000);
      const second = pieceBytes(42, secondSize);
      try {
        await store.put(id, [first], { satelliteId: SATELLITE, maxSize: first.length });
        await store.trash(id, 1000);
        blobs.at = async (m) => {
          if (m !== 'remove') return;
          blobs.at = undefined;
          await insides(store).db.close();
        };
        await store.put(id, [second], { satelliteId: SATELLITE, maxSize: second.length });
        expect(store.trashSpace()).toBe(0);
        expect(store.usedSpace()).toBe(second.length);
      } finally {
        blobs.at = undefined;
        await store.close();
      }
      const again = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
      try {
        expect(await insides(again).pending.keys().all()).toEqual([]);
        expect(Buffer.from(await collect(await again.get(id))).equals(Buffer.from(second))).toBe(true);
        expect(again.usedSpace()).toBe(second.length);
        expect(again.trashSpace()).toBe(0);
        expect(blobFiles(dir)).toHaveLength(secondSize >= 65536 ? 1 : 0);
      } finally {
        await again.close();
      }
    });
  }
});

describe('a node killed during an upload again over a trashed copy', () => {
  // The kill: the store's LevelDB is closed (its lock freed, what was written kept, as a killed
  // process leaves it) and the upload stops there for good; a new store then opens the directory.
  const moments: ['install' | 'installed' | 'remove', string][] = [
    ['install', 'after the pending marker, before the rename'],
    ['installed', 'after the rename, before the commit'],
    ['remove', 'after the commit, before the old copy is removed']
  ];
  for (const [moment, name] of moments) {
    it(`restarts with records and bytes consistent (${name})`, async () => {
      const dir = tempDir('stowage-trash-kill-');
      const blobs = new TimedBlobs(dir);
      const store = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
      const id = pieceId(30);
      const first = pieceBytes(31, 200_000);
      const second = pieceBytes(32, 300_000);
      await store.put(id, [first], { satelliteId: SATELLITE, maxSize: first.length });
      await store.trash(id, 1000);
      let killed!: () => void;
      const kill = new Promise<'killed'>((r) => (killed = () => r('killed')));
      blobs.at = async (m) => {
        if (m !== moment) return;
        blobs.at = undefined;
        await insides(store).db.close();
        killed();
        await new Promise(() => undefined); // never goes on
      };
      const outcome = await Promise.race([store.put(id, [second], { satelliteId: SATELLITE, maxSize: second.length }), kill]);
      if (outcome !== 'killed') await store.close(); // that moment never came (nothing to remove)
      blobs.at = undefined;

      const again = await PieceStore.open({ dir, capacity: 1 << 30, blobs });
      try {
        expect(await insides(again).pending.keys().all()).toEqual([]);
        if (await again.has(id)) {
          // Committed: the new piece is whole, the trashed copy settled and its bytes gone.
          expect(moment).toBe('remove');
          expect(Buffer.from(await collect(await again.get(id))).equals(Buffer.from(second))).toBe(true);
          expect(again.usedSpace()).toBe(second.length);
          expect(again.trashSpace()).toBe(0);
          expect(await insides(again).trashed.get(id)).toBeUndefined();
          expect(blobFiles(dir)).toHaveLength(1);
        } else {
          // Not committed: as if the upload never came; the trashed copy whole, nothing else on disk.
          expect(moment).not.toBe('remove');
          await expectTrashedCopy(again, id, first);
          expect(blobFiles(dir)).toEqual([(await insides(again).trashed.get(id))!.r.b]);
        }
        expect(await again.emptyTrash(Date.now())).toBe(moment === 'remove' ? 0 : 1);
        expect(again.trashSpace()).toBe(0);
        expect(blobFiles(dir)).toHaveLength(moment === 'remove' ? 1 : 0);
      } finally {
        await again.close();
      }
    });
  }
});
