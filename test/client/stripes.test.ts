// The striped layout (src/client/stripes.ts): small segments keep the v2/v3 layout, stripes cut in
// any batches put back give the segment byte for byte, every byte lands where piecePosition says,
// and parity coded a batch of stripes at a time is the parity of the whole pieces.
import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/erasure/index.js';
import { gatherStripes, piecePosition, scatterStripes, stripeLayout, STRIPE_SHARE_BYTES, type StripeLayout } from '../../src/client/stripes.js';
import { seededRandom } from '../fixtures/random.js';

const SEED = Number(process.env.STOWAGE_TEST_SEED ?? 23);

function bytesOf(n: number, rand: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** All k data pieces of a segment, scattered in batches of random sizes. */
function piecesOf(layout: StripeLayout, sealed: Uint8Array, rand: () => number): Uint8Array[] {
  const pieces = Array.from({ length: layout.k }, () => new Uint8Array(layout.pieceSize));
  for (let first = 0; first < layout.stripes; ) {
    const count = Math.min(layout.stripes - first, 1 + Math.floor(rand() * 4));
    const columns = Array.from({ length: layout.k }, () => new Uint8Array(count * layout.shareSize).fill(0xee));
    scatterStripes(layout, sealed.subarray(first * layout.k * layout.shareSize), first, count, columns);
    columns.forEach((c, i) => pieces[i]!.set(c, first * layout.shareSize));
    first += count;
  }
  return pieces;
}

describe('stripeLayout', () => {
  it('keeps the v2/v3 layout (k consecutive slices) for a segment of one stripe', () => {
    for (const [sealed, k] of [[1, 1], [100, 4], [4 * STRIPE_SHARE_BYTES, 4], [29 * STRIPE_SHARE_BYTES - 7, 29], [65_552, 29]] as const) {
      const layout = stripeLayout(sealed, k);
      expect(layout.stripes).toBe(1);
      expect(layout.pieceSize).toBe(Math.ceil(sealed / k));
      const segment = bytesOf(sealed, seededRandom(SEED));
      const pieces = piecesOf(layout, segment, seededRandom(SEED));
      for (let i = 0; i < k; i++) {
        const slice = new Uint8Array(layout.pieceSize);
        slice.set(segment.subarray(i * layout.pieceSize, (i + 1) * layout.pieceSize));
        expect(Buffer.from(pieces[i]!).equals(Buffer.from(slice))).toBe(true);
      }
    }
  });

  it('stripes a large segment in shares of 64 KiB: a 64 MiB sealed segment at k = 29', () => {
    const sealed = 64 * 1024 * 1024 + 1024 * 16;
    const layout = stripeLayout(sealed, 29);
    expect(layout.shareSize).toBe(STRIPE_SHARE_BYTES);
    expect(layout.stripes).toBe(Math.ceil(sealed / (29 * STRIPE_SHARE_BYTES)));
    expect(layout.pieceSize).toBe(layout.stripes * STRIPE_SHARE_BYTES);
    expect(layout.pieceSize * 29 - sealed).toBeLessThan(29 * STRIPE_SHARE_BYTES);
    expect(piecePosition(layout, 0)).toEqual({ piece: 0, offset: 0 });
    expect(piecePosition(layout, STRIPE_SHARE_BYTES)).toEqual({ piece: 1, offset: 0 });
    expect(piecePosition(layout, 29 * STRIPE_SHARE_BYTES + 5)).toEqual({ piece: 0, offset: STRIPE_SHARE_BYTES + 5 });
  });

  it('refuses what is not a layout', () => {
    expect(() => stripeLayout(10, 0)).toThrow(RangeError);
    expect(() => stripeLayout(-1, 4)).toThrow(RangeError);
    expect(() => stripeLayout(10, 4, 0)).toThrow(RangeError);
    const layout = stripeLayout(1000, 4, 100);
    expect(() => piecePosition(layout, layout.stripes * 400)).toThrow(RangeError);
    expect(() => scatterStripes(layout, new Uint8Array(1000), 2, 2, Array.from({ length: 4 }, () => new Uint8Array(200)))).toThrow(RangeError);
    expect(() => scatterStripes(layout, new Uint8Array(1000), 0, 1, Array.from({ length: 3 }, () => new Uint8Array(100)))).toThrow(RangeError);
    expect(() => gatherStripes(layout, Array.from({ length: 4 }, () => new Uint8Array(50)), 0, 1, new Uint8Array(400))).toThrow(RangeError);
  });
});

describe('scatterStripes and gatherStripes', () => {
  it('put back any segment byte for byte, whatever the batches, and every byte is where piecePosition says', () => {
    const rand = seededRandom(SEED);
    for (let round = 0; round < 60; round++) {
      const k = 1 + Math.floor(rand() * 12);
      const maxShare = 1 + Math.floor(rand() * 300);
      const sealed = Math.floor(rand() * 20_000);
      const layout = stripeLayout(sealed, k, maxShare);
      const segment = bytesOf(sealed, rand);
      const pieces = piecesOf(layout, segment, rand);
      // Past the segment's end, the pieces hold zeros (the padding of the last stripe).
      const padded = new Uint8Array(layout.stripes * k * layout.shareSize);
      padded.set(segment);
      for (let probe = 0; probe < 50 && padded.length > 0; probe++) {
        const at = Math.floor(rand() * padded.length);
        const { piece, offset } = piecePosition(layout, at);
        expect(pieces[piece]![offset], `byte ${at} (seed ${SEED}, round ${round})`).toBe(padded[at]);
      }
      // Back in batches of their own sizes.
      const back = new Uint8Array(sealed).fill(0xaa);
      for (let first = 0; first < layout.stripes; ) {
        const count = Math.min(layout.stripes - first, 1 + Math.floor(rand() * 5));
        const columns = pieces.map((p) => p.subarray(first * layout.shareSize, (first + count) * layout.shareSize));
        gatherStripes(layout, columns, first, count, back.subarray(first * k * layout.shareSize));
        first += count;
      }
      expect(Buffer.from(back).equals(Buffer.from(segment)), `seed ${SEED}, round ${round}: k ${k}, share ${layout.shareSize}, ${sealed} bytes`).toBe(true);
    }
  });

  it('code position by position: parity of a batch of stripes at a time is the parity of the whole pieces', () => {
    const rand = seededRandom(SEED + 1);
    for (const [k, m, maxShare, sealed] of [[4, 4, 512, 30_001], [29, 51, 1024, 200_000], [3, 2, 7, 1000]] as const) {
      const layout = stripeLayout(sealed, k, maxShare);
      const codec = createCodec({ dataShards: k, parityShards: m });
      const segment = bytesOf(sealed, rand);
      const pieces = piecesOf(layout, segment, rand);
      const whole = codec.encode(pieces);
      const byBatch = Array.from({ length: m }, () => new Uint8Array(layout.pieceSize));
      for (let first = 0; first < layout.stripes; ) {
        const count = Math.min(layout.stripes - first, 1 + Math.floor(rand() * 3));
        const columns = Array.from({ length: k }, () => new Uint8Array(count * layout.shareSize));
        scatterStripes(layout, segment.subarray(first * k * layout.shareSize), first, count, columns);
        codec.encode(columns).forEach((p, j) => byBatch[j]!.set(p, first * layout.shareSize));
        first += count;
      }
      for (let j = 0; j < m; j++) expect(Buffer.from(byBatch[j]!).equals(Buffer.from(whole[j]!)), `${k}+${m} parity row ${j}`).toBe(true);
      // And a stripe decodes from any k shares of it: here the last k pieces of the n.
      const all = [...pieces, ...whole];
      const rebuilt = codec.reconstruct(all.map((p, n) => (n < m ? null : p)));
      for (let i = 0; i < k; i++) expect(Buffer.from(rebuilt[i]!).equals(Buffer.from(pieces[i]!))).toBe(true);
    }
  });
});
