// The codec benchmark (`npm run bench:erasure`, `stowage bench erasure`): encode and reconstruct
// throughput of the codec's engines and the worker pool, against reed-solomon-erasure.wasm
// (`reference`) and @ronomon/reed-solomon (native C addon, when installed) in the same process,
// interleaved, median of `rounds` after a warm-up round; and the targets of the codec issue.
import '../shims/promise-with-resolvers.js';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createCodec, createCodecPool, erasureEngineInfo, type ErasureCodec, type ErasureEngineInfo } from '../erasure/index.js';
import { machine, mbps, median, sizeLabel, table, targetsTable, timeIt, type BenchLog, type Machine, type Target } from './report.js';

/** Data + parity shards measured. 29+51 and 1 MiB shards carry the throughput targets. */
export const ERASURE_PROFILES: readonly (readonly [number, number])[] = [
  [29, 51],
  [29, 81],
  [10, 4],
  [4, 2]
];

export interface ErasureBenchOptions {
  /** Timed rounds after the warm-up round. */
  rounds: number;
  /** Shard sizes the engines are measured at. */
  shardSizes: number[];
  /** Shard size the worker pool is measured at (and its target checked at). */
  poolShardSize: number;
  /** Header and progress lines. */
  log?: BenchLog;
}

/** The sizes of `npm run bench:erasure` and benchmarks/results/erasure.json. */
export const ERASURE_FULL: ErasureBenchOptions = { rounds: 5, shardSizes: [64 * 1024, 1024 * 1024], poolShardSize: 1024 * 1024 };
/** A run of seconds: fewer rounds, 256 KiB instead of 1 MiB shards. */
export const ERASURE_QUICK: ErasureBenchOptions = { rounds: 2, shardSizes: [64 * 1024, 256 * 1024], poolShardSize: 256 * 1024 };

export interface ErasureRow {
  profile: string;
  shardBytes: number;
  op: 'encode' | 'reconstruct';
  engine: string;
  mbps: number | null;
  medianMs: number | null;
}

export interface ErasureResult {
  benchmark: 'erasure';
  date: string;
  machine: Machine;
  engine: ErasureEngineInfo;
  rounds: number;
  unit: string;
  results: ErasureRow[];
  pool: ErasureRow[];
  poolSpeedupEncode: Record<string, number>;
  targets: Target[];
}

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

const RONOMON = '@ronomon/reed-solomon';

function loadRonomon(): Ronomon | undefined {
  try {
    return createRequire(import.meta.url)(RONOMON) as Ronomon;
  } catch {
    return undefined;
  }
}

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

function ronomonContender(rs: Ronomon | undefined, k: number, m: number, data: Uint8Array[], size: number): Contender | undefined {
  if (!rs || k > rs.MAX_K || m > rs.MAX_M) return undefined;
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
  return { name: RONOMON, encode: run(dataBits, parityBits), reconstruct: run(allBits & ~lostBits, lostBits) };
}

async function measure(rounds: number, contenders: Contender[], bytes: number, label: Pick<ErasureRow, 'profile' | 'shardBytes'>): Promise<ErasureRow[]> {
  const rows: ErasureRow[] = [];
  for (const op of ['encode', 'reconstruct'] as const) {
    const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round <= rounds; round++) {
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

const get = (list: ErasureRow[], profile: string, size: number, op: string, engine: string): number | null =>
  list.find((r) => r.profile === profile && r.shardBytes === size && r.op === op && r.engine === engine)?.mbps ?? null;

export async function runErasureBench(options: ErasureBenchOptions): Promise<ErasureResult> {
  const { rounds, shardSizes, poolShardSize } = options;
  const log = options.log ?? (() => undefined);
  const ronomon = loadRonomon();
  const info = machine();
  const engine = erasureEngineInfo();
  log(`erasure benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}, kernel ${engine.kernel}; median of ${rounds} after warm-up; MB/s of data`);
  const rows: ErasureRow[] = [];
  for (const size of shardSizes) {
    for (const [k, m] of ERASURE_PROFILES) {
      const data = Array.from({ length: k }, () => new Uint8Array(randomBytes(size)));
      const contenders: Contender[] = [
        codecContender('simd', createCodec({ dataShards: k, parityShards: m, engine: 'simd' }), data),
        codecContender('reference', createCodec({ dataShards: k, parityShards: m, engine: 'reference' }), data)
      ];
      const ron = ronomonContender(ronomon, k, m, data, size);
      if (ron) contenders.push(ron);
      const label = { profile: `${k}+${m}`, shardBytes: size };
      const measured = await measure(rounds, contenders, k * size, label);
      if (!ron) {
        for (const op of ['encode', 'reconstruct'] as const) {
          measured.push({ ...label, op, engine: RONOMON, mbps: null, medianMs: null });
        }
      }
      rows.push(...measured);
      log(`  measured ${k}+${m} at ${size / 1024} KiB`);
    }
  }

  // Worker pool, 1 and 2 threads.
  const poolRows: ErasureRow[] = [];
  for (const [k, m] of ERASURE_PROFILES) {
    const size = poolShardSize;
    const data = Array.from({ length: k }, () => new Uint8Array(randomBytes(size)));
    const pools = [1, 2].map((threads) => ({ threads, pool: createCodecPool({ dataShards: k, parityShards: m, threads }) }));
    try {
      const contenders: Contender[] = [];
      for (const { threads, pool } of pools) {
        // Parity into reused shared buffers, as a pipeline would; fresh memory is slow to touch here.
        const parity = await pool.encode(data);
        const lost = [...data, ...parity].map((s, i) => (i < m ? null : s));
        contenders.push({ name: `pool ${threads} thread${threads > 1 ? 's' : ''}`, encode: () => pool.encode(data, parity), reconstruct: () => pool.reconstruct(lost) });
      }
      poolRows.push(...(await measure(rounds, contenders, k * size, { profile: `${k}+${m}`, shardBytes: size })));
    } finally {
      await Promise.all(pools.map((p) => p.pool.close()));
    }
    log(`  measured the pool at ${k}+${m}`);
  }

  // Targets of the codec issue.
  const targets: Target[] = [];
  const minRef = Math.min(...rows.filter((r) => r.engine === 'simd').map((r) => r.mbps! / get(rows, r.profile, r.shardBytes, r.op, 'reference')!));
  targets.push({ target: 'simd >= 10x reference at every profile', value: `min ${minRef.toFixed(1)}x`, pass: minRef >= 10 });
  const ronRatios = rows
    .filter((r) => r.engine === 'simd' && (r.profile === '10+4' || r.profile === '4+2'))
    .map((r) => r.mbps! / (get(rows, r.profile, r.shardBytes, r.op, RONOMON) ?? NaN))
    .filter((x) => !Number.isNaN(x));
  const minRon = ronRatios.length ? Math.min(...ronRatios) : NaN;
  targets.push({
    target: `simd >= 1.5x ${RONOMON} at 10+4 and 4+2`,
    value: ronomon ? `min ${minRon.toFixed(1)}x` : `n/a (${RONOMON} not installed)`,
    pass: minRon >= 1.5
  });
  const largest = Math.max(...shardSizes);
  const big = get(rows, '29+51', largest, 'encode', 'simd')!;
  targets.push({ target: `simd >= 150 MB/s encoding 29+51 with ${sizeLabel(largest)} shards`, value: `${big.toFixed(0)} MB/s`, pass: big >= 150 });
  const speedup = (k: number, m: number): number =>
    get(poolRows, `${k}+${m}`, poolShardSize, 'encode', 'pool 2 threads')! / get(poolRows, `${k}+${m}`, poolShardSize, 'encode', 'pool 1 thread')!;
  const bestSpeedup = speedup(29, 51);
  targets.push({ target: `pool: 2 threads >= 1.7x one (29+51 encode, ${sizeLabel(poolShardSize)} shards)`, value: `${bestSpeedup.toFixed(2)}x`, pass: bestSpeedup >= 1.7 });

  return {
    benchmark: 'erasure',
    date: new Date().toISOString(),
    machine: info,
    engine,
    rounds,
    unit: 'MB/s of data (10^6 B/s); reconstruct rebuilds the first m shards (data first) from the other k',
    results: rows,
    pool: poolRows,
    poolSpeedupEncode: Object.fromEntries(ERASURE_PROFILES.map(([k, m]) => [`${k}+${m}`, speedup(k, m)])),
    targets
  };
}

/** The tables `npm run bench:erasure` prints: engines, worker pool, targets. */
export function erasureTables(result: ErasureResult): string {
  const rows = result.results;
  const poolRows = result.pool;
  const shardSizes = [...new Set(rows.map((r) => r.shardBytes))];
  const poolShardSize = poolRows[0]?.shardBytes ?? 0;
  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(0));
  const ratio = (a: number | null, b: number | null): string => (a === null || b === null ? 'n/a' : `${(a / b).toFixed(1)}x`);
  const printed: (string | number)[][] = [];
  for (const size of shardSizes) {
    for (const [k, m] of ERASURE_PROFILES) {
      for (const op of ['encode', 'reconstruct'] as const) {
        const p = `${k}+${m}`;
        const s = get(rows, p, size, op, 'simd');
        const r = get(rows, p, size, op, 'reference');
        const n = get(rows, p, size, op, RONOMON);
        printed.push([p, `${size / 1024} KiB`, op, fmt(s), fmt(r), fmt(n), ratio(s, r), ratio(s, n)]);
      }
    }
  }
  const poolPrinted = ERASURE_PROFILES.flatMap(([k, m]) =>
    (['encode', 'reconstruct'] as const).map((op) => {
      const one = get(poolRows, `${k}+${m}`, poolShardSize, op, 'pool 1 thread');
      const two = get(poolRows, `${k}+${m}`, poolShardSize, op, 'pool 2 threads');
      return [`${k}+${m}`, op, fmt(one), fmt(two), ratio(two, one)];
    })
  );
  return [
    '',
    table(['profile', 'shard', 'op', 'simd', 'reference', 'ronomon', 'simd/ref', 'simd/ronomon'], printed),
    '',
    `worker pool, ${sizeLabel(poolShardSize)} shards`,
    table(['profile', 'op', '1 thread', '2 threads', 'speed-up'], poolPrinted),
    '',
    targetsTable(result.targets)
  ].join('\n');
}
