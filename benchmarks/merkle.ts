// npm run bench:merkle: RFC 6962 roots of 2 MiB and 64 MiB pieces (4 KiB leaves) through
// merkleRoot and through the streaming PieceHasher, against one-shot crypto.hash('sha256') over the
// same bytes in the same run (median of BENCH_ROUNDS, 7); then audit proofs per second for 16
// sampled leaves of a 2 MiB piece. Writes benchmarks/results/merkle.json. The measuring is
// src/bench/merkle.ts, which `stowage bench merkle` runs too.
import { MERKLE_FULL, merkleTables, runMerkleBench } from '../src/bench/index.js';
import { writeResults } from './lib.js';

const result = await runMerkleBench({ ...MERKLE_FULL, rounds: Number(process.env.BENCH_ROUNDS ?? MERKLE_FULL.rounds), log: (line) => console.log(line) });
console.log(merkleTables(result));
const file = writeResults('merkle', result);
console.log(`\nresults written to ${file}`);
