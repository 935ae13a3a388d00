// Public face of the Merkle code: RFC 6962 trees over SHA-256, inclusion proofs, multi-leaf proofs
// over fixed-size leaves of a piece, and the audit's leaf sampling. No I/O, no networking.
export { EMPTY_ROOT, HASH_SIZE, equalHashes, leafHash, nodeHash } from './hash.js';
export { merkleRoot, rootFromLeafHashes, rootFromInclusion, inclusionProof, inclusionProofFromHashes, inclusionProofsFromHashes, verifyInclusion, verifyInclusionHash } from './tree.js';
export { DEFAULT_LEAF_SIZE, PieceHasher, leafCountOf, pieceRoot, type PieceDigest } from './piece.js';
export { multiLeafProof, multiLeafProofFromHashes, verifyMultiLeafProof } from './multiproof.js';
export { proveLeaves, type LeafProof } from './prove.js';
export { sampleLeaves } from './sample.js';
export { MerkleError, MerkleErrorCode } from './errors.js';
