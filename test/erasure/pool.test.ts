import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCodec, createCodecPool, ErasureErrorCode, type CodecPool } from '../../src/erasure/index.js';

const pools: CodecPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function pool(k: number, m: number, threads: number): CodecPool {
  const p = createCodecPool({ dataShards: k, parityShards: m, threads });
  pools.push(p);
  return p;
}

function shardsOf(k: number, len: number): Uint8Array[] {
  return Array.from({ length: k }, () => new Uint8Array(randomBytes(len)));
}

describe('worker pool', () => {
  for (const threads of [1, 2, 3]) {
    it(`encodes and reconstructs like the codec with ${threads} thread(s), above and below the pooling size`, async () => {
      const k = 10;
      const m = 4;
      const p = pool(k, m, threads);
      const codec = createCodec({ dataShards: k, parityShards: m });
      for (const len of [0, 1000, 300_007, 1 << 20]) {
        const data = shardsOf(k, len);
        const parity = await p.encode(data);
        expect(Buffer.concat(parity).equals(Buffer.concat(codec.encode(data)))).toBe(true);
        const all = [...data, ...parity];
        const given = all.map((s, i) => (i === 0 || i === 3 || i === 7 || i === 12 ? null : s));
        const rebuilt = await p.reconstruct(given);
        rebuilt.forEach((s, i) => expect(Buffer.from(s).equals(Buffer.from(all[i]!))).toBe(true));
      }
    });
  }

  it('codes single parity rows like the codec, on the workers above the pooling size and below it', async () => {
    const k = 8;
    const m = 6;
    const p = pool(k, m, 2);
    const codec = createCodec({ dataShards: k, parityShards: m });
    for (const len of [1000, 1 << 20]) {
      const data = shardsOf(k, len).map((s) => {
        const shared = new Uint8Array(new SharedArrayBuffer(len));
        shared.set(s);
        return shared;
      });
      const parity = codec.encode(data);
      const before = p.pooledCalls;
      for (const rows of [[5], [0], [3, 1]]) {
        const into = rows.map(() => new Uint8Array(new SharedArrayBuffer(len)));
        const got = await p.encodeRows(data, rows, into);
        rows.forEach((r, i) => expect(Buffer.from(got[i]!).equals(Buffer.from(parity[r]!)), `len ${len} row ${r}`).toBe(true));
      }
      // 8 x 1 x 1 MiB of work is under the pooling size: the calling thread; 3 rows of 1 MiB too.
      expect(p.pooledCalls - before).toBe(0);
    }
    const big = 4 << 20;
    const data = shardsOf(k, big);
    const into = [new Uint8Array(big)];
    await p.encodeRows(data, [4], into);
    expect(Buffer.from(into[0]!).equals(Buffer.from(codec.encode(data)[4]!))).toBe(true);
  });

  it('rebuilds only the lost shards asked for like the codec, on the workers above the pooling size and below it', async () => {
    const k = 8;
    const m = 6;
    const p = pool(k, m, 2);
    const codec = createCodec({ dataShards: k, parityShards: m });
    for (const len of [1000, 4 << 20]) {
      const data = shardsOf(k, len);
      const all = [...data, ...codec.encode(data)];
      const given = all.map((s, i) => (i === 1 || i === 6 || i === 9 ? null : s));
      const before = p.pooledCalls;
      for (const rows of [[6], [9, 1], [1, 6, 9]]) {
        const into = rows.map(() => new Uint8Array(len));
        const got = await p.reconstructRows(given, rows, into);
        rows.forEach((n, i) => expect(Buffer.from(got[i]!).equals(Buffer.from(all[n]!)), `len ${len} shard ${n}`).toBe(true));
      }
      // 8 x 3 x 1000 bytes stay on the calling thread; 8 x 1 x 4 MiB and more go to the workers.
      expect(p.pooledCalls - before).toBe(len === 1000 ? 0 : 3);
    }
    await expect(p.reconstructRows([null, ...shardsOf(k + m - 1, 10)], [2], [new Uint8Array(10)])).rejects.toThrow(/not a distinct lost shard/);
  });

  it('runs concurrent calls without mixing their buffers', async () => {
    const p = pool(29, 51, 2);
    const codec = createCodec({ dataShards: 29, parityShards: 51 });
    const inputs = Array.from({ length: 4 }, () => shardsOf(29, 70_000));
    const results = await Promise.all(inputs.map((d) => p.encode(d)));
    results.forEach((parity, i) => expect(Buffer.concat(parity).equals(Buffer.concat(codec.encode(inputs[i]!)))).toBe(true));
  });

  it('takes shards in shared memory as they are, at any offset', async () => {
    const k = 29;
    const m = 51;
    const len = 50_001;
    const p = pool(k, m, 2);
    const sab = new SharedArrayBuffer(7 + k * len);
    const data = Array.from({ length: k }, (_, i) => {
      const view = new Uint8Array(sab, 7 + i * len, len);
      view.set(randomBytes(len));
      return view;
    });
    // Outputs are copied out of the pool's reused shared buffers into plain memory (fresh shared
    // buffers per call piled up in the workers); a caller wanting shared outputs passes them.
    const parity = await p.encode(data);
    expect(parity[0]!.buffer).toBeInstanceOf(ArrayBuffer);
    const plain = data.map((d) => Uint8Array.from(d));
    expect(Buffer.concat(parity).equals(Buffer.concat(createCodec({ dataShards: k, parityShards: m }).encode(plain)))).toBe(true);
    const sharedParity = Array.from({ length: m }, () => new Uint8Array(new SharedArrayBuffer(len)));
    await p.encode(data, sharedParity);
    expect(Buffer.concat(sharedParity).equals(Buffer.concat(parity))).toBe(true);
    // Shared data and shared parity: a reconstruct reads both without staging.
    const all = [...data, ...sharedParity];
    const rebuilt = await p.reconstruct(all.map((s, i) => (i < m ? null : s)));
    expect(Buffer.concat(rebuilt).equals(Buffer.concat(all))).toBe(true);
  });

  it('writes parity into given buffers, shared or not', async () => {
    const k = 10;
    const m = 4;
    const len = 1 << 20;
    const p = pool(k, m, 2);
    const data = shardsOf(k, len);
    const expected = Buffer.concat(createCodec({ dataShards: k, parityShards: m }).encode(data));
    const sab = new SharedArrayBuffer(m * len);
    const sharedInto = Array.from({ length: m }, (_, i) => new Uint8Array(sab, i * len, len));
    const plainInto = Array.from({ length: m }, () => new Uint8Array(len));
    for (const into of [sharedInto, plainInto]) {
      const out = await p.encode(data, into);
      out.forEach((s, i) => expect(s).toBe(into[i]));
      expect(Buffer.concat(into).equals(expected)).toBe(true);
    }
    await expect(p.encode(data, plainInto.slice(1))).rejects.toMatchObject({ code: ErasureErrorCode.WrongShardCount });
  });

  it('rejects bad input with the codec error codes', async () => {
    const p = pool(4, 2, 1);
    await expect(p.encode(shardsOf(3, 8))).rejects.toMatchObject({ code: ErasureErrorCode.WrongShardCount });
    await expect(p.reconstruct([null, null, null, ...shardsOf(3, 400_000)])).rejects.toMatchObject({ code: ErasureErrorCode.TooFewShards });
    expect(() => createCodecPool({ dataShards: 300, parityShards: 2 })).toThrow(expect.objectContaining({ code: ErasureErrorCode.TooManyShards }) as Error);
  });

  it('fails calls with ERASURE_WORKER_FAILED when workers die, and stops replacing them', async () => {
    createCodec({ dataShards: 10, parityShards: 4 }).encode(shardsOf(10, 16)); // this thread's kernel is loaded
    const saved = process.env.STOWAGE_ERASURE_KERNEL;
    process.env.STOWAGE_ERASURE_KERNEL = 'no-such-kernel'; // workers started now cannot load theirs
    try {
      const p = createCodecPool({ dataShards: 10, parityShards: 4, threads: 1, engine: 'simd' });
      pools.push(p);
      const big = shardsOf(10, 1 << 20);
      await expect(p.encode(big)).rejects.toMatchObject({ code: ErasureErrorCode.WorkerFailed });
      for (let i = 0; i < 10; i++) await p.encode(big).catch(() => undefined);
      await expect(p.encode(big)).rejects.toMatchObject({ code: ErasureErrorCode.WorkerFailed, message: expect.stringMatching(/keep dying/) as string });
    } finally {
      if (saved === undefined) delete process.env.STOWAGE_ERASURE_KERNEL;
      else process.env.STOWAGE_ERASURE_KERNEL = saved;
    }
    // A broken pool says so for every call, small ones included.
    await expect(pools[pools.length - 1]!.encode(shardsOf(10, 100))).rejects.toMatchObject({ code: ErasureErrorCode.WorkerFailed });
  });

  it('fails calls after close with ERASURE_POOL_CLOSED', async () => {
    const p = createCodecPool({ dataShards: 4, parityShards: 2, threads: 2 });
    await p.close();
    await expect(p.encode(shardsOf(4, 1 << 20))).rejects.toMatchObject({ code: ErasureErrorCode.PoolClosed });
  });
});
