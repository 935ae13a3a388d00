// A piece uploaded again under an id that sits in the trash (repair picking a node whose cancelled
// long-tail copy garbage collection took) must survive the trash being emptied. The blob of a piece
// lives at a path made from its id, so the new upload's bytes replace the trashed ones in place:
// emptying the trash used to remove that file under the live record.
import { afterAll, describe, expect, it } from 'vitest';
import { PieceStore } from '../../src/node/pieces/index.js';
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
