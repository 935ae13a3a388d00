// The sealer: a source in chunks of any size becomes segments sealed straight into a buffer.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, decryptSegmentSlices, openSegment, sealSegment, sealedSizeOf } from '../../src/client/crypto.js';
import { SegmentSealer, SegmentSealerV1, type Source } from '../../src/client/segments.js';

const KEY = new Uint8Array(32).fill(9);
const VERSION = new Uint8Array(16).fill(3);

interface Opened {
  plain: Buffer;
  last: boolean;
  plainSize: number;
  plainOffset: number;
  sealed: Uint8Array;
}

async function sealAll(source: Source, segmentSize: number): Promise<Opened[]> {
  const sealer = new SegmentSealer(source, segmentSize, KEY, VERSION);
  const into = new Uint8Array(sealer.maxSealedSize);
  const out: Opened[] = [];
  let offset = 0;
  for (;;) {
    const seg = await sealer.next(into);
    if (!seg) return out;
    expect(seg.index).toBe(out.length);
    expect(seg.plainOffset).toBe(offset);
    expect(seg.sealedSize).toBe(sealedSizeOf(seg.plainSize));
    const sealed = into.slice(0, seg.sealedSize);
    const plain = Buffer.concat(openSegment(KEY, VERSION, seg, sealed, 1000));
    out.push({ plain, last: seg.last, plainSize: seg.plainSize, plainOffset: seg.plainOffset, sealed });
    offset += seg.plainSize;
  }
}

function* chunked(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += size) yield bytes.subarray(off, off + size);
}

describe('SegmentSealer (v2)', () => {
  it('cuts chunks of any size into segments and marks the last', async () => {
    const bytes = new Uint8Array(randomBytes(10_000));
    for (const chunk of [1, 7, 999, 1000, 1001, 10_000]) {
      const segs = await sealAll(chunked(bytes, chunk), 1000);
      expect(segs.map((s) => s.plainSize)).toEqual(Array(10).fill(1000));
      expect(segs.map((s) => s.last)).toEqual([...Array<boolean>(9).fill(false), true]);
      expect(Buffer.concat(segs.map((s) => s.plain)).equals(Buffer.from(bytes))).toBe(true);
    }
    const odd = await sealAll(bytes.subarray(0, 2500), 1000);
    expect(odd.map((s) => [s.plainSize, s.last, s.plainOffset])).toEqual([
      [1000, false, 0],
      [1000, false, 1000],
      [500, true, 2000]
    ]);
  });

  it('seals segments of several blocks, the same bytes as sealSegment', async () => {
    const bytes = new Uint8Array(randomBytes(5 * BLOCK_SIZE + 123));
    const segmentSize = 2 * BLOCK_SIZE + 77;
    for (const chunk of [4093, BLOCK_SIZE, bytes.length]) {
      const segs = await sealAll(chunked(bytes, chunk), segmentSize);
      expect(segs.map((s) => s.plainSize)).toEqual([segmentSize, segmentSize, bytes.length - 2 * segmentSize]);
      expect(Buffer.concat(segs.map((s) => s.plain)).equals(Buffer.from(bytes))).toBe(true);
      segs.forEach((s, index) => {
        const again = sealSegment(KEY, VERSION, { index, plainOffset: s.plainOffset, last: s.last }, bytes.subarray(s.plainOffset, s.plainOffset + s.plainSize));
        expect(Buffer.from(again).equals(Buffer.from(s.sealed))).toBe(true);
      });
    }
  });

  it('gives one empty segment for an empty source, and skips empty chunks', async () => {
    expect((await sealAll(new Uint8Array(0), 1000)).map((s) => [s.plainSize, s.last])).toEqual([[0, true]]);
    expect((await sealAll([], 1000)).map((s) => [s.plainSize, s.last])).toEqual([[0, true]]);
    expect((await sealAll([new Uint8Array(0), new Uint8Array(3), new Uint8Array(0)], 1000)).map((s) => s.plainSize)).toEqual([3]);
  });

  it('marks a full segment last even when empty chunks follow it', async () => {
    const segs = await sealAll([new Uint8Array(1000), new Uint8Array(1000), new Uint8Array(0), new Uint8Array(0)], 1000);
    expect(segs.map((s) => [s.plainSize, s.last])).toEqual([
      [1000, false],
      [1000, true]
    ]);
  });

  it('returns null after the last segment, and refuses a buffer too small', async () => {
    const sealer = new SegmentSealer(new Uint8Array(10), 1000, KEY, VERSION);
    await expect(sealer.next(new Uint8Array(10))).rejects.toThrow(RangeError);
    const into = new Uint8Array(sealer.maxSealedSize);
    expect((await sealer.next(into))!.last).toBe(true);
    expect(await sealer.next(into)).toBeNull();
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      ac.abort(new Error('stop'));
      yield new Uint8Array(10);
    }
    const sealer = new SegmentSealer(slow(), 1000, KEY, VERSION);
    await expect(sealer.next(new Uint8Array(sealer.maxSealedSize), ac.signal)).rejects.toThrow('stop');
  });

  it('a wrong key or an altered byte fails before any plaintext comes out', async () => {
    const sealer = new SegmentSealer(new Uint8Array(5000), 8000, KEY, VERSION);
    const into = new Uint8Array(sealer.maxSealedSize);
    const seg = (await sealer.next(into))!;
    const sealed = into.subarray(0, seg.sealedSize);
    expect(() => openSegment(new Uint8Array(32), VERSION, seg, sealed)).toThrow(expect.objectContaining({ code: 'OBJECT_TAMPERED' }) as Error);
    sealed[100]! ^= 1;
    expect(() => openSegment(KEY, VERSION, seg, sealed)).toThrow(expect.objectContaining({ code: 'OBJECT_TAMPERED' }) as Error);
  });
});

describe('SegmentSealerV1 (objects written before v2 stay readable)', () => {
  it('seals v1 segments that decryptSegmentSlices opens', async () => {
    const bytes = new Uint8Array(randomBytes(2500));
    const sealer = new SegmentSealerV1(chunked(bytes, 333), 1000, () => KEY);
    const into = new Uint8Array(sealer.maxSealedSize);
    const plains: Uint8Array[] = [];
    const meta: [number, boolean, number][] = [];
    for (let seg = await sealer.next(into); seg; seg = await sealer.next(into)) {
      expect(seg.sealedSize).toBe(seg.plainSize + 28);
      meta.push([seg.plainSize, seg.last, seg.plainOffset]);
      plains.push(...decryptSegmentSlices(KEY, into.subarray(0, seg.sealedSize), 100));
    }
    expect(meta).toEqual([
      [1000, false, 0],
      [1000, false, 1000],
      [500, true, 2000]
    ]);
    expect(Buffer.concat(plains).equals(Buffer.from(bytes))).toBe(true);
    into[50]! ^= 1;
    expect(() => decryptSegmentSlices(KEY, into.subarray(0, 528))).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }) as Error);
  });
});
