// npm run bench:merkle: RFC 6962 roots of 2 MiB and 64 MiB pieces (4 KiB leaves) through
// merkleRoot and through the streaming PieceHasher, against one-shot crypto.hash('sha256') over the
// same bytes in the same run; then audit proofs per second for 16 sampled leaves of a 2 MiB piece.
// Writes benchmarks/results/merkle.json.
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
} from '../src/merkle/index.js';
import { machine, mbps, median, table, timeIt, writeResults } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const LEAF = DEFAULT_LEAF_SIZE;
const CHUNK = 64 * 1024;

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

async function rates(piece: Uint8Array): Promise<Record<string, number>> {
  const leaves = leavesOf(piece);
  const runs: Record<string, () => unknown> = {
    'crypto.hash one-shot': () => hash('sha256', piece, 'buffer'),
    merkleRoot: () => merkleRoot(leaves),
    PieceHasher: () => streamRoot(piece)
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, fn] of Object.entries(runs)) {
      const ms = await timeIt(fn);
      if (round > 0) samples[name]!.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, mbps(piece.length, median(v))]));
}

async function proofs(): Promise<Record<string, number>> {
  const piece = new Uint8Array(randomBytes(2 * 1024 * 1024));
  const leafCount = leafCountOf(piece.length);
  const hashes = leavesOf(piece).map(leafHash);
  const nonce = randomBytes(32);
  const indices = sampleLeaves(nonce, leafCount, 16);
  const answer = await proveLeaves([piece], indices);
  const perSecond = async (fn: () => unknown, n: number): Promise<number> => {
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

async function main(): Promise<void> {
  const info = machine();
  console.log(`merkle benchmark on ${info.cpu}, ${info.cores} cores, Node ${info.node}; ${LEAF}-byte leaves; median of ${ROUNDS}`);
  const results: { piece: string; rates: Record<string, number> }[] = [];
  for (const size of [2 * 1024 * 1024, 64 * 1024 * 1024]) {
    results.push({ piece: `${size / 1024 / 1024} MiB`, rates: await rates(new Uint8Array(randomBytes(size))) });
  }
  console.log(
    '\n' +
      table(
        ['piece', 'one-shot MB/s', 'merkleRoot MB/s', 'ratio', 'PieceHasher MB/s', 'ratio'],
        results.map(({ piece, rates: r }) => {
          const base = r['crypto.hash one-shot']!;
          return [piece, base.toFixed(0), r.merkleRoot!.toFixed(0), (r.merkleRoot! / base).toFixed(2), r.PieceHasher!.toFixed(0), (r.PieceHasher! / base).toFixed(2)];
        })
      )
  );
  const p = await proofs();
  console.log('\naudit proofs, 16 sampled leaves of a 2 MiB piece\n' + table(['operation', 'per second'], Object.entries(p).filter(([k]) => k !== 'proofHashes').map(([k, v]) => [k, v.toFixed(0)])));
  console.log(`proof size: ${p.proofHashes} hashes of 32 bytes`);
  const ratios = results.flatMap(({ rates: r }) => [r.merkleRoot! / r['crypto.hash one-shot']!, r.PieceHasher! / r['crypto.hash one-shot']!]);
  const minRatio = Math.min(...ratios);
  const targets = [{ target: 'root >= 0.5x one-shot crypto.hash, merkleRoot and PieceHasher', value: `min ${minRatio.toFixed(2)}x`, pass: minRatio >= 0.5 }];
  console.log('\n' + table(['target', 'measured', 'met'], targets.map((t) => [t.target, t.value, t.pass ? 'yes' : 'NO'])));
  const file = writeResults('merkle', { benchmark: 'merkle', date: new Date().toISOString(), machine: info, leafSize: LEAF, rounds: ROUNDS, roots: results, proofs: p, targets });
  console.log(`\nresults written to ${file}`);
}

await main();
