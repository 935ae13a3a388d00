// npm run bench:pieces: PieceStore put/get throughput for 64 KiB and 2 MiB pieces against plain
// fs.writeFile/readFile of the same bytes (and writeFile + fsync, the durable equivalent) in the
// same run (interleaved in BENCH_SLICES slices, 16), and bytes written to disk per byte stored
// (/proc/self/io write_bytes, which counts LevelDB's log and tables too). BENCH_DIR picks the disk
// (default: $TMPDIR/stowage-bench-pieces); the run works in a scratch directory inside it and
// removes it. Writes benchmarks/results/pieces.json. The measuring is src/bench/pieces.ts, which
// `stowage bench pieces` runs too.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PIECES_FULL, piecesTables, runPiecesBench } from '../src/bench/index.js';
import { writeResults } from './lib.js';

const result = await runPiecesBench({
  ...PIECES_FULL,
  slices: Number(process.env.BENCH_SLICES ?? PIECES_FULL.slices),
  dir: process.env.BENCH_DIR ?? join(tmpdir(), 'stowage-bench-pieces'),
  log: (line) => console.log(line)
});
console.log(piecesTables(result));
const file = writeResults('pieces', result);
console.log(`\nresults written to ${file}`);
