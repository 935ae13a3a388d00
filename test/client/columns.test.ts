// Where an upload's data pieces come from (src/client/columns.ts): a segment sealed as its source
// is read gives, stripe by stripe, exactly the pieces of the same segment sealed whole first; and
// both are the striped layout of the sealed bytes (stripes.ts), or for one stripe the v2/v3 slices.
// Sizes, chunkings and batch widths come from several seeds.
import { describe, expect, it } from 'vitest';
import { bufferedColumns, liveColumns } from '../../src/client/columns.js';
import { sealedSizeOf } from '../../src/client/crypto.js';
import { SegmentSealer } from '../../src/client/segments.js';
import { STRIPE_SHARE_BYTES, scatterStripes, stripeLayout } from '../../src/client/stripes.js';

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function bytesOf(n: number, next: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

function* chunks(bytes: Uint8Array, next: () => number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(next() * next() * 150_000);
    yield bytes.subarray(at, Math.min(bytes.length, at + n));
    at += n;
  }
}

const key = new Uint8Array(32).fill(3);
const version = new Uint8Array(16).fill(9);
const signal = new AbortController().signal;

/** Every data piece of a segment, read from `source` in batches of `width` bytes. */
async function pieces(source: ReturnType<typeof bufferedColumns>, k: number, width: number): Promise<Uint8Array[]> {
  const out = Array.from({ length: k }, () => new Uint8Array(source.pieceSize));
  for (let start = 0; start < source.pieceSize; start += width) {
    const end = Math.min(source.pieceSize, start + width);
    await source.fill(start, end, out.map((p) => p.subarray(start, end)), signal);
  }
  return out;
}

describe('column sources', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`live and held segments give the same striped pieces (seed ${seed})`, async () => {
      const next = prng(seed);
      const k = 1 + Math.floor(next() * 6);
      // Up to ~3 segments of up to ~1.5 MiB; the last one short.
      const segmentSize = 1 + Math.floor(next() * 1.5 * 1024 * 1024);
      const size = Math.floor(next() * 3 * segmentSize);
      const bytes = bytesOf(size, next);
      const held = new SegmentSealer(chunks(bytes, next), segmentSize, key, version);
      const live = new SegmentSealer(chunks(bytes, next), segmentSize, key, version);
      const buffer = new Uint8Array(held.maxSealedSize);
      for (let stored = 0; ; ) {
        const seg = (await held.next(buffer))!;
        const segment = live.beginLive(Math.min(segmentSize, size - stored), stored + Math.min(segmentSize, size - stored) === size);
        expect(segment.pos).toEqual({ index: seg.index, plainOffset: seg.plainOffset, plainSize: seg.plainSize, last: seg.last });
        const layout = stripeLayout(seg.sealedSize, k);
        expect(segment.sealedSize).toBe(seg.sealedSize);
        const width = STRIPE_SHARE_BYTES * (1 + Math.floor(next() * 5));
        const fromLive = await pieces(liveColumns(layout, segment).source, k, Math.min(width, layout.pieceSize));
        const fromHeld = await pieces(bufferedColumns(layout, buffer.subarray(0, seg.sealedSize)), k, Math.min(width, layout.pieceSize) + 4096);
        const scattered = Array.from({ length: k }, () => new Uint8Array(layout.pieceSize));
        scatterStripes(layout, buffer.subarray(0, seg.sealedSize), 0, layout.stripes, scattered);
        for (let i = 0; i < k; i++) {
          expect(Buffer.from(fromLive[i]!).equals(Buffer.from(scattered[i]!)), `segment ${seg.index}, piece ${i}, live`).toBe(true);
          expect(Buffer.from(fromHeld[i]!).equals(Buffer.from(scattered[i]!)), `segment ${seg.index}, piece ${i}, held`).toBe(true);
        }
        stored += seg.plainSize;
        if (seg.last) break;
      }
      expect(await live.next(buffer)).toBeNull();
    });
  }

  it('gives the v2/v3 slices for a layout of one stripe', async () => {
    const next = prng(42);
    const bytes = bytesOf(700_001, next);
    const sealer = new SegmentSealer([bytes], 1024 * 1024, key, version);
    const buffer = new Uint8Array(sealer.maxSealedSize);
    const seg = (await sealer.next(buffer))!;
    const k = 3;
    const layout = stripeLayout(seg.sealedSize, k, Number.MAX_SAFE_INTEGER);
    const size = Math.ceil(sealedSizeOf(bytes.length) / k);
    expect(layout.pieceSize).toBe(size);
    const got = await pieces(bufferedColumns(layout, buffer.subarray(0, seg.sealedSize)), k, 40_960);
    for (let i = 0; i < k; i++) {
      const want = new Uint8Array(size);
      want.set(buffer.subarray(i * size, Math.min(seg.sealedSize, (i + 1) * size)));
      expect(Buffer.from(got[i]!).equals(Buffer.from(want)), `piece ${i}`).toBe(true);
    }
  });

  it('refuses a live segment read out of order', async () => {
    const sealer = new SegmentSealer([new Uint8Array(300_000)], 1024 * 1024, key, version);
    const segment = sealer.beginLive(300_000, true);
    const layout = stripeLayout(segment.sealedSize, 2);
    const source = liveColumns(layout, segment).source;
    await expect(source.fill(STRIPE_SHARE_BYTES, 2 * STRIPE_SHARE_BYTES, [new Uint8Array(STRIPE_SHARE_BYTES), new Uint8Array(STRIPE_SHARE_BYTES)], signal)).rejects.toThrow(/stripe after stripe/);
  });
});
