// Public face of the storage node's piece store.
export { PieceStore, DEFAULT_INLINE_THRESHOLD, DISK_RESERVE, type PieceStoreOptions, type PutOptions, type PutResult, type ReadRange } from './store.js';
export { FileBlobStore, type BlobStore, type BlobWriter } from './blobs.js';
export { PieceStoreError, PieceStoreErrorCode } from './errors.js';
export { PIECE_ID_BYTES, pieceKey } from './ids.js';
export type { PieceRecord } from './records.js';
