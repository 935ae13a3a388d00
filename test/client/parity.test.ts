// Parity computed a column range at a time (src/client/parity.ts) is the parity of the whole
// shares, byte for byte, however the parity streams interleave, lag or fail; and what it holds
// stays bounded when one stream falls far behind the others.
import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/erasure/index.js';
import { ParityStripes } from '../../src/client/parity.js';
import type { ParityCoder } from '../../src/client/upload.js';

/** Deterministic bytes (xorshift), seeded. */
function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function collect(it: AsyncIterable<Uint8Array>, pause?: () => Promise<void>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) {
    // Copied: a chunk is valid only until the next is asked for.
    parts.push(new Uint8Array(c));
    await pause?.();
  }
  return new Uint8Array(Buffer.concat(parts));
}

function coderFor(k: number, m: number, shared: boolean): ParityCoder & { calls: number } {
  const codec = createCodec({ dataShards: k, parityShards: m });
  const coder = {
    calls: 0,
    shared,
    encode: async (data: readonly Uint8Array[], into: readonly Uint8Array[]) => {
      coder.calls++;
      // Asynchronous like the pool: other streams run while a range is computed.
      await new Promise((r) => setImmediate(r));
      return codec.encode(data, into);
    },
    encodeRows: async (data: readonly Uint8Array[], rows: readonly number[], into: readonly Uint8Array[]) => {
      coder.calls++;
      await new Promise((r) => setImmediate(r));
      return codec.encodeRows(data, rows, into);
    }
  };
  return coder;
}

describe('ParityStripes', () => {
  const cases = [
    { k: 2, m: 1, size: 1 },
    { k: 4, m: 4, size: 4095 },
    { k: 4, m: 4, size: 256 * 1024 },
    { k: 4, m: 4, size: 256 * 1024 + 1 },
    { k: 3, m: 5, size: 3 * 200 * 1024 + 17 },
    { k: 29, m: 51, size: 5 * 20 * 1024 + 3 }
  ];
  for (const { k, m, size } of cases) {
    for (const seed of [1, 7, 2024]) {
      it(`${k}/${k + m}, shares of ${size} bytes, seed ${seed}: every parity share equals the whole-share encoding`, async () => {
        const data = Array.from({ length: k }, (_, i) => bytesOf(size, seed * 131 + i));
        const expected = createCodec({ dataShards: k, parityShards: m }).encode(data);
        const stripes = new ParityStripes(coderFor(k, m, seed % 2 === 0), data, m, size);
        // All parity streams at once, each pausing a seeded number of ticks between chunks.
        const got = await Promise.all(
          Array.from({ length: m }, (_, p) => collect(stripes.share(p), async () => {
            for (let t = 0; t < (seed + p) % 4; t++) await new Promise((r) => setImmediate(r));
          }))
        );
        got.forEach((g, p) => expect(Buffer.from(g).equals(Buffer.from(expected[p]!)), `parity ${p}`).toBe(true));
      });
    }
  }

  it('a stream far behind the others codes its own row of the ranges no longer kept, and what is held stays bounded', async () => {
    const k = 4;
    const m = 4;
    const size = 40 * 256 * 1024;
    const data = Array.from({ length: k }, (_, i) => bytesOf(size, 99 + i));
    const expected = createCodec({ dataShards: k, parityShards: m }).encode(data);
    const coder = coderFor(k, m, false);
    const stripes = new ParityStripes(coder, data, m, size);
    const ranges = Math.ceil(size / stripes.rangeBytes);
    let maxHeld = 0;
    const watch = async (): Promise<void> => {
      maxHeld = Math.max(maxHeld, stripes.heldRanges);
    };
    // Three streams run to the end first; the fourth starts only then (a stalled node's share).
    const fast = await Promise.all([0, 1, 2].map((p) => collect(stripes.share(p), watch)));
    const slow = await collect(stripes.share(3), watch);
    [...fast, slow].forEach((g, p) => expect(Buffer.from(g).equals(Buffer.from(expected[p]!)), `parity ${p}`).toBe(true));
    // Every range coded once for all rows; the late stream codes only its own row of each range
    // that was no longer kept: at most one more pass of the parity, never m.
    expect(stripes.computed).toBe(ranges);
    expect(stripes.rowsComputed).toBeGreaterThan(0);
    expect(stripes.computed * m + stripes.rowsComputed).toBeLessThanOrEqual(ranges * m + ranges);
    expect(maxHeld).toBeLessThanOrEqual(4 + m);
    expect(stripes.keptBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('a range whose coding fails fails the streams waiting on it, and is computed again for the next', async () => {
    const k = 2;
    const m = 2;
    const size = 3 * 256 * 1024;
    const data = Array.from({ length: k }, (_, i) => bytesOf(size, 5 + i));
    const expected = createCodec({ dataShards: k, parityShards: m }).encode(data);
    const inner = coderFor(k, m, false);
    let failOnce = true;
    const coder: ParityCoder = {
      shared: false,
      encode: async (d, into) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('worker died');
        }
        return inner.encode(d, into);
      },
      encodeRows: (d, rows, into) => inner.encodeRows(d, rows, into)
    };
    const stripes = new ParityStripes(coder, data, m, size);
    await expect(collect(stripes.share(0))).rejects.toThrow('worker died');
    const again = await collect(stripes.share(0));
    expect(Buffer.from(again).equals(Buffer.from(expected[0]!))).toBe(true);
  });
});
