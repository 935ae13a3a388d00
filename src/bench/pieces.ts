// The piece store benchmark (`npm run bench:pieces`, `stowage bench pieces`): PieceStore put/get
// throughput for 64 KiB and 2 MiB pieces against plain fs.writeFile/readFile of the same bytes (and
// writeFile + fsync, the durable equivalent) in the same run, interleaved in slices, and bytes
// written to disk per byte stored (/proc/self/io write_bytes, which counts LevelDB's log and tables
// too). Everything it writes goes into a scratch directory it makes inside the directory measured
// and removes at the end (also when it fails or is aborted); nothing else there is touched.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, rmdir, stat, statfs, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PieceStore } from '../node/pieces/index.js';
import { BenchError, BenchErrorCode } from './errors.js';
import { machine, mbps, table, targetsTable, type BenchLog, type Machine, type Target } from './report.js';

const CHUNK = 256 * 1024;
/** The methods that write: each keeps its pieces until the profile ends. */
const WRITERS = 4;
/** Free space asked for beyond the pieces themselves: LevelDB's log and tables, the store's reserve. */
const HEADROOM = 64 * 1024 * 1024;

export interface PiecesProfile {
  /** Bytes per piece. */
  size: number;
  /** Pieces each method writes or reads. */
  count: number;
}

export interface PiecesBenchOptions {
  /** The directory (the disk) measured; the scratch directory is made inside it, and it is made if missing. */
  dir: string;
  /** Interleaved slices: each method takes its turn `slices` times per profile. Divides every count. */
  slices: number;
  profiles: PiecesProfile[];
  /** Header and progress lines. */
  log?: BenchLog;
  /** Stops the run between slices; the scratch directory is removed and the run fails with BENCH_INTERRUPTED. */
  signal?: AbortSignal;
}

/** The sizes of `npm run bench:pieces` and benchmarks/results/pieces.json (about 2.6 GB written). */
export const PIECES_FULL: Omit<PiecesBenchOptions, 'dir'> = {
  slices: 16,
  profiles: [
    { size: 64 * 1024, count: 2048 },
    { size: 2 * 1024 * 1024, count: 256 }
  ]
};
/** A run of seconds: an eighth of the pieces, 4 slices (about 330 MB written). */
export const PIECES_QUICK: Omit<PiecesBenchOptions, 'dir'> = {
  slices: 4,
  profiles: [
    { size: 64 * 1024, count: 256 },
    { size: 2 * 1024 * 1024, count: 32 }
  ]
};

export interface PiecesRow {
  piece: string;
  method: string;
  mbps: number;
  /** Disk bytes written per byte stored; NaN (null in JSON) for the methods that read. */
  amplification: number;
}

export interface PiecesResult {
  benchmark: 'pieces';
  date: string;
  machine: Machine;
  slices: number;
  results: PiecesRow[];
  targets: Target[];
}

function writtenBytes(): number {
  if (!existsSync('/proc/self/io')) return NaN;
  const line = readFileSync('/proc/self/io', 'utf8').split('\n').find((l) => l.startsWith('write_bytes:'));
  return line ? Number(line.split(':')[1]) : NaN;
}

function idOf(i: number, round: number, tag: number): string {
  return (tag * 1_000_000 + round * 100_000 + i).toString(16).padStart(64, '0');
}

function* chunked(bytes: Uint8Array): Generator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += CHUNK) yield bytes.subarray(off, off + CHUNK);
}

async function pool(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    })
  );
}

interface Sample {
  ms: number;
  written: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const w0 = writtenBytes();
  const t = performance.now();
  await fn();
  return { ms: performance.now() - t, written: writtenBytes() - w0 };
}

/** 65536 -> "64 KiB", 2 MiB -> "2048 KiB": the labels of the saved results. */
const pieceLabel = (size: number): string => `${size / 1024} KiB`;

const isRead = (method: string): boolean => method.includes('read') || method.includes('get');

/** Makes `dir` if missing (returning the topmost directory it made) and checks it is a directory. */
async function prepare(dir: string): Promise<string | undefined> {
  try {
    const made = await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    return made;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'not a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new BenchError(BenchErrorCode.DirUnusable, `cannot measure ${dir}: ${why}`, { cause: err });
  }
}

/** Removes the directories prepare() made, from `dir` up to `made`, each only if empty. */
async function unprepare(dir: string, made: string | undefined): Promise<void> {
  if (made === undefined) return;
  const top = resolve(made);
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

export async function runPiecesBench(options: PiecesBenchOptions): Promise<PiecesResult> {
  const { dir, slices, profiles, signal } = options;
  const log = options.log ?? (() => undefined);
  for (const { count } of profiles) {
    if (!Number.isSafeInteger(slices) || slices < 1 || count % slices !== 0) {
      throw new BenchError(BenchErrorCode.InvalidOptions, `slices (${slices}) must be a positive integer dividing every piece count (${profiles.map((p) => p.count).join(', ')})`);
    }
  }
  const made = await prepare(dir);
  let scratch: string | undefined;
  try {
    try {
      scratch = await mkdtemp(join(dir, 'stowage-bench-pieces-'));
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new BenchError(BenchErrorCode.DirUnusable, `cannot write in ${dir}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message}`, { cause: err });
    }
    const fs = await statfs(scratch);
    const free = fs.bavail * fs.bsize;
    const needed = Math.max(...profiles.map((p) => p.size * p.count * WRITERS)) + HEADROOM;
    if (free < needed) {
      throw new BenchError(BenchErrorCode.NoRoom, `the run needs about ${Math.ceil(needed / 1e6)} MB free in ${dir}, which has ${Math.floor(free / 1e6)} MB`);
    }
    return await measureAll(scratch, slices, profiles, log, signal);
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true, maxRetries: 3 });
    await unprepare(dir, made);
  }
}

async function measureAll(root: string, slices: number, profiles: PiecesProfile[], log: BenchLog, signal: AbortSignal | undefined): Promise<PiecesResult> {
  const checkAborted = (): void => {
    if (signal?.aborted) throw new BenchError(BenchErrorCode.Interrupted, 'interrupted; the scratch directory is removed');
  };
  const info = machine();
  log(`piece store benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${slices} interleaved slices; directory ${resolve(root)}`);
  const rows: PiecesRow[] = [];
  for (const { size, count } of profiles) {
    const bytes = new Uint8Array(randomBytes(size));
    const total = size * count;
    const plainDir = join(root, 'plain');
    const storeDir = join(root, 'store');
    await mkdir(plainDir, { recursive: true });
    const store = await PieceStore.open({ dir: storeDir, capacity: 2 ** 40 });
    const spent = new Map<string, Sample>();
    try {
      const per = count / slices;
      // Each method writes its own pieces; a disk may be shared and its speed drifts, so the
      // methods take turns in small slices and every one sees the same conditions.
      const methods: [string, (i: number) => Promise<unknown>, number][] = [
        ['fs.writeFile', (i) => writeFile(join(plainDir, `w${i}`), bytes), 1],
        ['fs.writeFile + fsync', async (i) => {
          const fh = await open(join(plainDir, `s${i}`), 'w');
          try {
            await fh.write(bytes);
            await fh.datasync();
          } finally {
            await fh.close();
          }
        }, 1],
        ['PieceStore.put', (i) => store.put(idOf(i, 0, 1), chunked(bytes), { satelliteId: 'bench', maxSize: size }), 1],
        ['PieceStore.put, 4 at once', (i) => store.put(idOf(i, 0, 2), chunked(bytes), { satelliteId: 'bench', maxSize: size }), 4],
        ['fs.readFile', (i) => readFile(join(plainDir, `w${i}`)), 1],
        ['PieceStore.get', async (i) => {
          for await (const c of await store.get(idOf(i, 0, 1))) void c;
        }, 1]
      ];
      for (const [name] of methods) spent.set(name, { ms: 0, written: 0 });
      for (let slice = 0; slice < slices; slice++) {
        for (const [name, fn, concurrency] of methods) {
          checkAborted();
          const s = await measure(() => pool(per, concurrency, (i) => fn(slice * per + i)));
          const acc = spent.get(name)!;
          acc.ms += s.ms;
          acc.written += s.written;
        }
      }
    } finally {
      await store.close();
      await rm(plainDir, { recursive: true, force: true, maxRetries: 3 });
      await rm(storeDir, { recursive: true, force: true, maxRetries: 3 });
    }
    for (const [method, s] of spent) {
      rows.push({ piece: pieceLabel(size), method, mbps: mbps(total, s.ms), amplification: isRead(method) ? NaN : s.written / total });
    }
    log(`  measured ${count} pieces of ${size / 1024} KiB per method`);
  }

  const rate = (piece: string, method: string): number => rows.find((r) => r.piece === piece && r.method === method)!.mbps;
  const targets: Target[] = profiles.flatMap(({ size }) => {
    const piece = pieceLabel(size);
    const plain = rate(piece, 'fs.writeFile');
    const put = rows.find((r) => r.piece === piece && r.method === 'PieceStore.put')!;
    const put4 = rate(piece, 'PieceStore.put, 4 at once');
    // Issue 23's baseline: plain writes with the durability a put has (the bytes synced).
    const durable = rate(piece, 'fs.writeFile + fsync');
    return [
      { target: `${piece}: put >= 0.7x fs.writeFile + fsync (same durability), one at a time`, value: `${(put.mbps / durable).toFixed(2)}x`, pass: put.mbps / durable >= 0.7 },
      { target: `${piece}: put >= 0.7x plain fs.writeFile, one at a time`, value: `${(put.mbps / plain).toFixed(2)}x`, pass: put.mbps / plain >= 0.7 },
      { target: `${piece}: put >= 0.7x plain fs.writeFile, 4 at once`, value: `${(put4 / plain).toFixed(2)}x`, pass: put4 / plain >= 0.7 },
      { target: `${piece}: write amplification <= 1.1x`, value: `${put.amplification.toFixed(2)}x`, pass: put.amplification <= 1.1 }
    ];
  });
  return { benchmark: 'pieces', date: new Date().toISOString(), machine: info, slices, results: rows, targets };
}

/** The tables `npm run bench:pieces` prints: methods against plain files, targets. */
export function piecesTables(result: PiecesResult): string {
  const rows = result.results;
  const rate = (piece: string, method: string): number => rows.find((r) => r.piece === piece && r.method === method)?.mbps ?? NaN;
  // From a JSON file the amplification of reads is null, not NaN.
  const amp = (a: number | null): string => (a === null || Number.isNaN(a) ? '' : a.toFixed(2));
  return [
    '',
    table(
      ['piece', 'method', 'MB/s', 'vs plain', 'disk bytes / byte'],
      rows.map((r) => {
        const base = isRead(r.method) ? rate(r.piece, 'fs.readFile') : rate(r.piece, 'fs.writeFile');
        return [r.piece, r.method, r.mbps.toFixed(0), `${(r.mbps / base).toFixed(2)}x`, amp(r.amplification)];
      })
    ),
    '',
    targetsTable(result.targets)
  ].join('\n');
}
