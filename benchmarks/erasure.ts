// npm run bench:erasure: encode and reconstruct throughput of the codec's engines and the worker
// pool, against reed-solomon-erasure.wasm (`reference`) and @ronomon/reed-solomon (native C addon)
// in the same process, interleaved, median of BENCH_ROUNDS (5) after a warm-up round.
// Writes benchmarks/results/erasure.json (BENCH_NAME to name it otherwise) and checks the targets of
// the codec issue. The measuring is src/bench/erasure.ts, which `stowage bench erasure` runs too.
import { ERASURE_FULL, erasureTables, runErasureBench } from '../src/bench/index.js';
import { writeResults } from './lib.js';

const result = await runErasureBench({ ...ERASURE_FULL, rounds: Number(process.env.BENCH_ROUNDS ?? ERASURE_FULL.rounds), log: (line) => console.log(line) });
console.log(erasureTables(result));
const file = writeResults(process.env.BENCH_NAME ?? 'erasure', result);
console.log(`\nresults written to ${file}`);
