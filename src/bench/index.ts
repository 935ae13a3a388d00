// Public face of the benchmarks an operator runs on their own machine (`stowage bench`) and the
// repository's `npm run bench:erasure|merkle|pieces` scripts share: each measures, returns a result
// object (the JSON written to benchmarks/results/), and formats it as the tables printed.
export { runErasureBench, erasureTables, ERASURE_FULL, ERASURE_QUICK, ERASURE_PROFILES, type ErasureBenchOptions, type ErasureResult, type ErasureRow } from './erasure.js';
export { runMerkleBench, merkleTables, MERKLE_FULL, MERKLE_QUICK, type MerkleBenchOptions, type MerkleResult } from './merkle.js';
export { runPiecesBench, piecesTables, PIECES_FULL, PIECES_QUICK, type PiecesBenchOptions, type PiecesProfile, type PiecesResult, type PiecesRow } from './pieces.js';
export { BenchError, BenchErrorCode } from './errors.js';
export { machine, mbps, median, resultJson, sizeLabel, table, targetsTable, timeIt, type BenchLog, type Machine, type Target } from './report.js';
