import { StowageError } from '../common/index.js';

export const MerkleErrorCode = {
  /** A leaf index outside the tree, or a malformed set of indices. */
  InvalidIndex: 'MERKLE_INVALID_INDEX',
  /** A leaf size that is not a positive integer. */
  InvalidLeafSize: 'MERKLE_INVALID_LEAF_SIZE',
  /** A builder used after digest(). */
  Finished: 'MERKLE_BUILDER_FINISHED'
} as const;

export type MerkleErrorCode = (typeof MerkleErrorCode)[keyof typeof MerkleErrorCode];

export class MerkleError extends StowageError {
  declare readonly code: MerkleErrorCode;

  constructor(code: MerkleErrorCode, message: string) {
    super(code, message);
  }
}
