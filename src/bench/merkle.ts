// The Merkle benchmark (`npm run bench:merkle`, `stowage bench merkle`): RFC 6962 roots of pieces
// (4 KiB leaves) through merkleRoot and through the streaming PieceHasher, against one-shot
// crypto.hash('sha256') over the same bytes in the same run; then audit proofs per second for 16
// sampled leaves of a 2 MiB piece.
import { hash, randomBytes } from 'node:crypto';
import {
  DEFAULT_LEAF_SIZE,
  PieceHasher,
  leafCountOf,
  leafHash,
  merkleRoot,
  multiLeafProofFromHashes,
  proveLeaves,
  sampleLeaves,
  verifyMultiLeafProof
} from '../merkle/index.js';
import { machine, mbps, median, sizeLabel, table, targetsTable, timeIt, type BenchLog, type Machine, type Target } from './report.js';

const LEAF = DEFAULT_LEAF_SIZE;
const CHUNK = 64 * 1024;
const PROOF_PIECE = 2 * 1024 * 1024;

export interface MerkleBenchOptions {
  /** Timed rounds of each root after the warm-up round. */
  rounds: number;
  /** Piece sizes whose roots are timed. */
  pieceSizes: number[];
  /** Scales the proof operations' repetitions (1: 50 proofs from bytes, 2000 from hashes, ...). */
  proofScale: number;
  /** Header and progress lines. */
  log?: BenchLog;
}

/** The sizes of `npm run bench:merkle` and benchmarks/results/merkle.json. */
export const MERKLE_FULL: MerkleBenchOptions = { rounds: 7, pieceSizes: [2 * 1024 * 1024, 64 * 1024 * 1024], proofScale: 1 };
/** A run of seconds: 16 MiB instead of 64 MiB pieces, fewer rounds and proofs. */
export const MERKLE_QUICK: MerkleBenchOptions = { rounds: 3, pieceSizes: [2 * 1024 * 1024, 16 * 1024 * 1024], proofScale: 0.2 };

export interface MerkleResult {
  benchmark: 'merkle';
  date: string;
  machine: Machine;
  leafSize: number;
  rounds: number;
  /** MB/s per method ('crypto.hash one-shot', 'merkleRoot', 'PieceHasher') per piece size. */
  roots: { piece: string; rates: Record<string, number> }[];
  /** Operations per second, and proofHashes: the proof's length in hashes. */
  proofs: Record<string, number>;
  targets: Target[];
}

function leavesOf(piece: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < piece.length; i += LEAF) out.push(piece.subarray(i, i + LEAF));
  return out;
}

function streamRoot(piece: Uint8Array): Uint8Array {
  const h = new PieceHasher(LEAF);
  for (let i = 0; i < piece.length; i += CHUNK) h.update(piece.subarray(i, i + CHUNK));
  return h.digest().root;
}

async function rates(piece: Uint8Array, rounds: number): Promise<Record<string, number>> {
  const leaves = leavesOf(piece);
  const runs: Record<string, () => unknown> = {
    'crypto.hash one-shot': () => hash('sha256', piece, 'buffer'),
    merkleRoot: () => merkleRoot(leaves),
    PieceHasher: () => streamRoot(piece)
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, fn] of Object.entries(runs)) {
      const ms = await timeIt(fn);
      if (round > 0) samples[name]!.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, mbps(piece.length, median(v))]));
}

async function proofs(scale: number): Promise<Record<string, number>> {
  const piece = new Uint8Array(randomBytes(PROOF_PIECE));
  const leafCount = leafCountOf(piece.length);
  const hashes = leavesOf(piece).map(leafHash);
  const nonce = randomBytes(32);
  const indices = sampleLeaves(nonce, leafCount, 16);
  const answer = await proveLeaves([piece], indices);
  const perSecond = async (fn: () => unknown, count: number): Promise<number> => {
    const n = Math.max(1, Math.round(count * scale));
    const ts: number[] = [];
    for (let r = 0; r < 5; r++) ts.push(await timeIt(async () => { for (let i = 0; i < n; i++) await fn(); }));
    return n / (median(ts) / 1000);
  };
  return {
    'prove from the piece bytes (proveLeaves: hashes all 2 MiB)': await perSecond(() => proveLeaves([piece], indices), 50),
    'prove from stored leaf hashes': await perSecond(() => multiLeafProofFromHashes(hashes, indices), 2000),
    verify: await perSecond(() => verifyMultiLeafProof(answer.root, leafCount, indices, answer.leaves, answer.proof), 2000),
    'sample 16 leaves': await perSecond(() => sampleLeaves(nonce, leafCount, 16), 20000),
    proofHashes: answer.proof.length
  };
}

export async function runMerkleBench(options: MerkleBenchOptions): Promise<MerkleResult> {
  const { rounds } = options;
  const log = options.log ?? (() => undefined);
  const info = machine();
  log(`merkle benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${LEAF}-byte leaves; median of ${rounds}`);
  const roots: MerkleResult['roots'] = [];
  for (const size of options.pieceSizes) {
    roots.push({ piece: sizeLabel(size), rates: await rates(new Uint8Array(randomBytes(size)), rounds) });
  }
  const p = await proofs(options.proofScale);
  const ratios = roots.flatMap(({ rates: r }) => [r.merkleRoot! / r['crypto.hash one-shot']!, r.PieceHasher! / r['crypto.hash one-shot']!]);
  const minRatio = Math.min(...ratios);
  const targets = [{ target: 'root >= 0.5x one-shot crypto.hash, merkleRoot and PieceHasher', value: `min ${minRatio.toFixed(2)}x`, pass: minRatio >= 0.5 }];
  return { benchmark: 'merkle', date: new Date().toISOString(), machine: info, leafSize: LEAF, rounds, roots, proofs: p, targets };
}

/** The tables `npm run bench:merkle` prints: roots, audit proofs, targets. */
export function merkleTables(result: MerkleResult): string {
  const p = result.proofs;
  return [
    '',
    table(
      ['piece', 'one-shot MB/s', 'merkleRoot MB/s', 'ratio', 'PieceHasher MB/s', 'ratio'],
      result.roots.map(({ piece, rates: r }) => {
        const base = r['crypto.hash one-shot']!;
        return [piece, base.toFixed(0), r.merkleRoot!.toFixed(0), (r.merkleRoot! / base).toFixed(2), r.PieceHasher!.toFixed(0), (r.PieceHasher! / base).toFixed(2)];
      })
    ),
    '',
    'audit proofs, 16 sampled leaves of a 2 MiB piece',
    table(['operation', 'per second'], Object.entries(p).filter(([k]) => k !== 'proofHashes').map(([k, v]) => [k, v.toFixed(0)])),
    `proof size: ${p.proofHashes} hashes of 32 bytes`,
    '',
    targetsTable(result.targets)
  ].join('\n');
}
