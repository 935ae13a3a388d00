// Checking a node's audit answer: pure (the answer is already read; nothing here does I/O).
import { DEFAULT_LEAF_SIZE, leafCountOf, verifyMultiLeafProof } from '../../merkle/index.js';
import type { AuditAnswer } from '../../protocol/index.js';
import type { SegmentPiece } from '../metainfo/index.js';

/**
 * Checks a node's answer against the piece as the satellite knows it (size and root from the
 * node's receipt): null when it proves the leaves, else what is wrong.
 */
export function verifyAuditAnswer(piece: Pick<SegmentPiece, 'size' | 'root'>, indices: readonly number[], answer: AuditAnswer): string | null {
  const leafCount = leafCountOf(piece.size, DEFAULT_LEAF_SIZE);
  if (answer.size !== piece.size) return `the node says the piece has ${answer.size} bytes, its receipt said ${piece.size}`;
  if (answer.leafCount !== leafCount) return `the node says ${answer.leafCount} leaves, ${leafCount} expected`;
  if (!verifyMultiLeafProof(Buffer.from(piece.root, 'hex'), leafCount, indices, answer.leaves, answer.proof)) return 'the leaves and proof do not match the root';
  return null;
}
