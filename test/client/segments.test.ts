// The sealer: a source in chunks of any size becomes segments encrypted straight into a buffer.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSegmentSlices } from '../../src/client/crypto.js';
import { SegmentSealer, type Source } from '../../src/client/segments.js';

const KEY = new Uint8Array(32).fill(9);

async function sealAll(source: Source, segmentSize: number): Promise<{ plain: Buffer; last: boolean; plainSize: number }[]> {
  const sealer = new SegmentSealer(source, segmentSize, () => KEY);
  const into = new Uint8Array(sealer.maxSealedSize);
  const out: { plain: Buffer; last: boolean; plainSize: number }[] = [];
  for (;;) {
    const seg = await sealer.next(into);
    if (!seg) return out;
    expect(seg.index).toBe(out.length);
    expect(seg.sealedSize).toBe(seg.plainSize + 28);
    out.push({ plain: Buffer.concat(decryptSegmentSlices(KEY, into.subarray(0, seg.sealedSize), 1000)), last: seg.last, plainSize: seg.plainSize });
  }
}

function* chunked(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += size) yield bytes.subarray(off, off + size);
}

describe('SegmentSealer', () => {
  it('cuts chunks of any size into segments and marks the last', async () => {
    const bytes = new Uint8Array(randomBytes(10_000));
    for (const chunk of [1, 7, 999, 1000, 1001, 10_000]) {
      const segs = await sealAll(chunked(bytes, chunk), 1000);
      expect(segs.map((s) => s.plainSize)).toEqual(Array(10).fill(1000));
      expect(segs.map((s) => s.last)).toEqual([...Array<boolean>(9).fill(false), true]);
      expect(Buffer.concat(segs.map((s) => s.plain)).equals(Buffer.from(bytes))).toBe(true);
    }
    const odd = await sealAll(bytes.subarray(0, 2500), 1000);
    expect(odd.map((s) => [s.plainSize, s.last])).toEqual([
      [1000, false],
      [1000, false],
      [500, true]
    ]);
  });

  it('gives one empty segment for an empty source, and skips empty chunks', async () => {
    expect((await sealAll(new Uint8Array(0), 1000)).map((s) => [s.plainSize, s.last])).toEqual([[0, true]]);
    expect((await sealAll([new Uint8Array(0), new Uint8Array(3), new Uint8Array(0)], 1000)).map((s) => s.plainSize)).toEqual([3]);
  });

  it('a wrong key or an altered byte fails before any plaintext comes out', async () => {
    const sealer = new SegmentSealer(new Uint8Array(5000), 8000, () => KEY);
    const into = new Uint8Array(sealer.maxSealedSize);
    const seg = (await sealer.next(into))!;
    into[100]! ^= 1;
    expect(() => decryptSegmentSlices(KEY, into.subarray(0, seg.sealedSize))).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }) as Error);
  });
});
