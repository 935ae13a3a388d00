// npm run bench:pieces: PieceStore put/get throughput for 64 KiB and 2 MiB pieces against plain
// fs.writeFile/readFile of the same bytes (and writeFile + fsync, the durable equivalent) in the
// same run (interleaved in slices), and bytes written to disk per byte stored (/proc/self/io write_bytes, which counts
// LevelDB's log and tables too). Writes benchmarks/results/pieces.json.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PieceStore } from '../src/node/pieces/index.js';
import { machine, mbps, table, writeResults } from './lib.js';

const SLICES = Number(process.env.BENCH_SLICES ?? 16);
const ROOT = process.env.BENCH_DIR ?? join(tmpdir(), 'stowage-bench-pieces');
const CHUNK = 256 * 1024;
const PROFILES = [
  { size: 64 * 1024, count: 2048 },
  { size: 2 * 1024 * 1024, count: 256 }
];

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

async function main(): Promise<void> {
  const info = machine();
  console.log(`piece store benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${SLICES} interleaved slices; directory ${ROOT}`);
  await rm(ROOT, { recursive: true, force: true });
  const rows: { piece: string; method: string; mbps: number; amplification: number }[] = [];
  for (const { size, count } of PROFILES) {
    const bytes = new Uint8Array(randomBytes(size));
    const total = size * count;
    const plainDir = join(ROOT, 'plain');
    await mkdir(plainDir, { recursive: true });
    const store = await PieceStore.open({ dir: join(ROOT, 'store'), capacity: 2 ** 40 });
    const per = count / SLICES;
    // Each method writes its own pieces; the disk here is shared and its speed drifts, so the
    // methods take turns in small slices and every one sees the same conditions.
    const methods: [string, (i: number) => Promise<unknown>, number][] = [
      ['fs.writeFile', (i) => writeFile(join(plainDir, `w${i}`), bytes), 1],
      ['fs.writeFile + fsync', async (i) => {
        const fh = await open(join(plainDir, `s${i}`), 'w');
        await fh.write(bytes);
        await fh.datasync();
        await fh.close();
      }, 1],
      ['PieceStore.put', (i) => store.put(idOf(i, 0, 1), chunked(bytes), { satelliteId: 'bench', maxSize: size }), 1],
      ['PieceStore.put, 4 at once', (i) => store.put(idOf(i, 0, 2), chunked(bytes), { satelliteId: 'bench', maxSize: size }), 4],
      ['fs.readFile', (i) => readFile(join(plainDir, `w${i}`)), 1],
      ['PieceStore.get', async (i) => {
        for await (const c of await store.get(idOf(i, 0, 1))) void c;
      }, 1]
    ];
    const spent = new Map<string, Sample>(methods.map(([name]) => [name, { ms: 0, written: 0 }]));
    for (let slice = 0; slice < SLICES; slice++) {
      for (const [name, fn, concurrency] of methods) {
        const s = await measure(() => pool(per, concurrency, (i) => fn(slice * per + i)));
        const acc = spent.get(name)!;
        acc.ms += s.ms;
        acc.written += s.written;
      }
    }
    await store.close();
    await rm(ROOT, { recursive: true, force: true });
    for (const [method, s] of spent) {
      rows.push({
        piece: `${size / 1024} KiB`,
        method,
        mbps: mbps(total, s.ms),
        amplification: method.includes('read') || method.includes('get') ? NaN : s.written / total
      });
    }
    process.stdout.write(`  measured ${count} pieces of ${size / 1024} KiB per method\n`);
  }

  const rate = (piece: string, method: string): number => rows.find((r) => r.piece === piece && r.method === method)!.mbps;
  console.log(
    '\n' +
      table(
        ['piece', 'method', 'MB/s', 'vs plain', 'disk bytes / byte'],
        rows.map((r) => {
          const base = r.method.includes('get') || r.method.includes('read') ? rate(r.piece, 'fs.readFile') : rate(r.piece, 'fs.writeFile');
          return [r.piece, r.method, r.mbps.toFixed(0), `${(r.mbps / base).toFixed(2)}x`, Number.isNaN(r.amplification) ? '' : r.amplification.toFixed(2)];
        })
      )
  );
  const targets = PROFILES.flatMap(({ size }) => {
    const piece = `${size / 1024} KiB`;
    const plain = rate(piece, 'fs.writeFile');
    const put = rows.find((r) => r.piece === piece && r.method === 'PieceStore.put')!;
    const put4 = rate(piece, 'PieceStore.put, 4 at once');
    return [
      { target: `${piece}: put >= 0.7x plain fs.writeFile, one at a time`, value: `${(put.mbps / plain).toFixed(2)}x`, pass: put.mbps / plain >= 0.7 },
      { target: `${piece}: put >= 0.7x plain fs.writeFile, 4 at once`, value: `${(put4 / plain).toFixed(2)}x`, pass: put4 / plain >= 0.7 },
      { target: `${piece}: write amplification <= 1.1x`, value: `${put.amplification.toFixed(2)}x`, pass: put.amplification <= 1.1 }
    ];
  });
  console.log('\n' + table(['target', 'measured', 'met'], targets.map((t) => [t.target, t.value, t.pass ? 'yes' : 'NO'])));
  const file = writeResults('pieces', { benchmark: 'pieces', date: new Date().toISOString(), machine: info, slices: SLICES, results: rows, targets });
  console.log(`\nresults written to ${file}`);
}

await main();
