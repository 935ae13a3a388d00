// npm run bench:erasure: encode and reconstruct throughput of the codec's engines and the worker
// pool, against reed-solomon-erasure.wasm (`reference`) and @ronomon/reed-solomon (native C addon)
// in the same process, interleaved, median of ROUNDS after a warm-up round.
// Writes benchmarks/results/erasure.json and checks the targets of the codec issue.
import '../src/shims/promise-with-resolvers.js';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createCodec, createCodecPool, erasureEngineInfo, type ErasureCodec } from '../src/erasure/index.js';
import { machine, mbps, median, table, timeIt, writeResults } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PROFILES: [number, number][] = [
  [29, 51],
  [29, 81],
  [10, 4],
  [4, 2]
];
const SHARD_SIZES = [64 * 1024, 1024 * 1024];

interface Ronomon {
  MAX_K: number;
  MAX_M: number;
  create(k: number, m: number): unknown;
  encode(
    ctx: unknown, sources: number, targets: number,
    buffer: Buffer, bufferOffset: number, bufferSize: number,
    parity: Buffer, parityOffset: number, paritySize: number,
    cb: (err?: Error) => void
  ): void;
}

const ronomon = ((): Ronomon | undefined => {
  try {
    return createRequire(import.meta.url)('@ronomon/reed-solomon') as Ronomon;
  } catch {
    return undefined;
  }
})();

type Op = () => unknown;
interface Contender {
  name: string;
  encode?: Op;
  reconstruct?: Op;
}

function codecContender(name: string, codec: ErasureCodec, data: Uint8Array[]): Contender {
  const parity = codec.encode(data);
  const lost = [...data, ...parity].map((s, i) => (i < codec.parityShards ? null : s));
  // Encode writes into reused parity buffers, as the upload pipeline does and as the native addon
  // below does; reconstruct allocates what it rebuilds.
  return { name, encode: () => codec.encode(data, parity), reconstruct: () => codec.reconstruct(lost) };
}

function ronomonContender(k: number, m: number, data: Uint8Array[], size: number): Contender | undefined {
  if (!ronomon || k > ronomon.MAX_K || m > ronomon.MAX_M) return undefined;
  const rs = ronomon;
  const ctx = rs.create(k, m);
  const buffer = Buffer.concat(data);
  const parity = Buffer.alloc(size * m);
  const run = (sources: number, targets: number) => () =>
    new Promise<void>((resolve, reject) =>
      rs.encode(ctx, sources, targets, buffer, 0, buffer.length, parity, 0, parity.length, (err) => (err ? reject(err) : resolve()))
    );
  let dataBits = 0;
  for (let i = 0; i < k; i++) dataBits |= 1 << i;
  let parityBits = 0;
  for (let i = k; i < k + m; i++) parityBits |= 1 << i;
  // Reconstruct: the first m shards are lost and rebuilt from the remaining k.
  let lostBits = 0;
  for (let i = 0; i < m; i++) lostBits |= 1 << i;
  const allBits = dataBits | parityBits;
  return { name: '@ronomon/reed-solomon', encode: run(dataBits, parityBits), reconstruct: run(allBits & ~lostBits, lostBits) };
}

interface Row {
  profile: string;
  shardBytes: number;
  op: 'encode' | 'reconstruct';
  engine: string;
  mbps: number | null;
  medianMs: number | null;
}

async function measure(contenders: Contender[], bytes: number, label: Omit<Row, 'engine' | 'mbps' | 'medianMs' | 'op'>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const op of ['encode', 'reconstruct'] as const) {
    const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round <= ROUNDS; round++) {
      for (const c of contenders) {
        const fn = c[op];
        if (!fn) continue;
        const ms = await timeIt(fn);
        if (round > 0) samples.get(c.name)!.push(ms);
      }
    }
    for (const c of contenders) {
      const s = samples.get(c.name)!;
      const ms = s.length ? median(s) : null;
      rows.push({ ...label, op, engine: c.name, medianMs: ms, mbps: ms === null ? null : mbps(bytes, ms) });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const info = machine();
  const engine = erasureEngineInfo();
  console.log(`erasure benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}, kernel ${engine.kernel}; median of ${ROUNDS} after warm-up; MB/s of data`);
  const rows: Row[] = [];
  for (const size of SHARD_SIZES) {
    for (const [k, m] of PROFILES) {
      const data = Array.from({ length: k }, () => new Uint8Array(randomBytes(size)));
      const contenders: Contender[] = [
        codecContender('simd', createCodec({ dataShards: k, parityShards: m, engine: 'simd' }), data),
        codecContender('reference', createCodec({ dataShards: k, parityShards: m, engine: 'reference' }), data)
      ];
      const ron = ronomonContender(k, m, data, size);
      if (ron) contenders.push(ron);
      const label = { profile: `${k}+${m}`, shardBytes: size };
      const measured = await measure(contenders, k * size, label);
      if (!ron) {
        for (const op of ['encode', 'reconstruct'] as const) {
          measured.push({ ...label, op, engine: '@ronomon/reed-solomon', mbps: null, medianMs: null });
        }
      }
      rows.push(...measured);
      process.stdout.write(`  measured ${k}+${m} at ${size / 1024} KiB\n`);
    }
  }

  // Worker pool, 1 and 2 threads, 1 MiB shards.
  const poolRows: Row[] = [];
  for (const [k, m] of PROFILES) {
    const size = 1024 * 1024;
    const data = Array.from({ length: k }, () => new Uint8Array(randomBytes(size)));
    const pools = [1, 2].map((threads) => ({ threads, pool: createCodecPool({ dataShards: k, parityShards: m, threads }) }));
    const contenders: Contender[] = [];
    for (const { threads, pool } of pools) {
      // Parity into reused shared buffers, as a pipeline would; fresh memory is slow to touch here.
      const parity = await pool.encode(data);
      const lost = [...data, ...parity].map((s, i) => (i < m ? null : s));
      contenders.push({ name: `pool ${threads} thread${threads > 1 ? 's' : ''}`, encode: () => pool.encode(data, parity), reconstruct: () => pool.reconstruct(lost) });
    }
    poolRows.push(...(await measure(contenders, k * size, { profile: `${k}+${m}`, shardBytes: size })));
    await Promise.all(pools.map((p) => p.pool.close()));
    process.stdout.write(`  measured the pool at ${k}+${m}\n`);
  }

  const get = (list: Row[], profile: string, size: number, op: string, engine: string): number | null =>
    list.find((r) => r.profile === profile && r.shardBytes === size && r.op === op && r.engine === engine)?.mbps ?? null;

  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(0));
  const ratio = (a: number | null, b: number | null): string => (a === null || b === null ? 'n/a' : `${(a / b).toFixed(1)}x`);
  const printed: (string | number)[][] = [];
  for (const size of SHARD_SIZES) {
    for (const [k, m] of PROFILES) {
      for (const op of ['encode', 'reconstruct'] as const) {
        const p = `${k}+${m}`;
        const s = get(rows, p, size, op, 'simd');
        const r = get(rows, p, size, op, 'reference');
        const n = get(rows, p, size, op, '@ronomon/reed-solomon');
        printed.push([p, `${size / 1024} KiB`, op, fmt(s), fmt(r), fmt(n), ratio(s, r), ratio(s, n)]);
      }
    }
  }
  console.log('\n' + table(['profile', 'shard', 'op', 'simd', 'reference', 'ronomon', 'simd/ref', 'simd/ronomon'], printed));
  const poolPrinted = PROFILES.flatMap(([k, m]) =>
    (['encode', 'reconstruct'] as const).map((op) => {
      const one = get(poolRows, `${k}+${m}`, 1 << 20, op, 'pool 1 thread');
      const two = get(poolRows, `${k}+${m}`, 1 << 20, op, 'pool 2 threads');
      return [`${k}+${m}`, op, fmt(one), fmt(two), ratio(two, one)];
    })
  );
  console.log('\nworker pool, 1 MiB shards\n' + table(['profile', 'op', '1 thread', '2 threads', 'speed-up'], poolPrinted));

  // Targets of the codec issue.
  const targets: { target: string; value: string; pass: boolean }[] = [];
  const minRef = Math.min(...rows.filter((r) => r.engine === 'simd').map((r) => r.mbps! / get(rows, r.profile, r.shardBytes, r.op, 'reference')!));
  targets.push({ target: 'simd >= 10x reference at every profile', value: `min ${minRef.toFixed(1)}x`, pass: minRef >= 10 });
  const ronRatios = rows
    .filter((r) => r.engine === 'simd' && (r.profile === '10+4' || r.profile === '4+2'))
    .map((r) => r.mbps! / (get(rows, r.profile, r.shardBytes, r.op, '@ronomon/reed-solomon') ?? NaN))
    .filter((x) => !Number.isNaN(x));
  const minRon = ronRatios.length ? Math.min(...ronRatios) : NaN;
  targets.push({ target: 'simd >= 1.5x @ronomon/reed-solomon at 10+4 and 4+2', value: `min ${minRon.toFixed(1)}x`, pass: minRon >= 1.5 });
  const big = get(rows, '29+51', 1 << 20, 'encode', 'simd')!;
  targets.push({ target: 'simd >= 150 MB/s encoding 29+51 with 1 MiB shards', value: `${big.toFixed(0)} MB/s`, pass: big >= 150 });
  const speedups = PROFILES.map(([k, m]) => get(poolRows, `${k}+${m}`, 1 << 20, 'encode', 'pool 2 threads')! / get(poolRows, `${k}+${m}`, 1 << 20, 'encode', 'pool 1 thread')!);
  const bestSpeedup = get(poolRows, '29+51', 1 << 20, 'encode', 'pool 2 threads')! / get(poolRows, '29+51', 1 << 20, 'encode', 'pool 1 thread')!;
  targets.push({ target: 'pool: 2 threads >= 1.7x one (29+51 encode, 1 MiB shards)', value: `${bestSpeedup.toFixed(2)}x`, pass: bestSpeedup >= 1.7 });
  console.log('\n' + table(['target', 'measured', 'met'], targets.map((t) => [t.target, t.value, t.pass ? 'yes' : 'NO'])));

  const file = writeResults(process.env.BENCH_NAME ?? 'erasure', {
    benchmark: 'erasure',
    date: new Date().toISOString(),
    machine: info,
    engine,
    rounds: ROUNDS,
    unit: 'MB/s of data (10^6 B/s); reconstruct rebuilds the first m shards (data first) from the other k',
    results: rows,
    pool: poolRows,
    poolSpeedupEncode: Object.fromEntries(PROFILES.map(([k, m], i) => [`${k}+${m}`, speedups[i]])),
    targets
  });
  console.log(`\nresults written to ${file}`);
}

await main();
