import { StowageError, isDiskFull } from '../../common/index.js';

export const PieceStoreErrorCode = {
  /** A piece id that is not 32 bytes (or 64 lowercase hex digits). */
  InvalidId: 'PIECE_INVALID_ID',
  /** Options out of range: a negative size limit, a bad satellite id, a bad range. */
  InvalidOptions: 'PIECE_INVALID_OPTIONS',
  NotFound: 'PIECE_NOT_FOUND',
  /** A piece with that id is stored or being stored: pieces are immutable. */
  Exists: 'PIECE_EXISTS',
  /** The stream sent more than the piece's size limit. */
  TooLarge: 'PIECE_TOO_LARGE',
  /** The stream ended before the declared size. */
  SizeMismatch: 'PIECE_SIZE_MISMATCH',
  /** Accepting the piece would exceed the store's capacity: refused before any byte. */
  Full: 'PIECE_STORE_FULL',
  /** The disk ran out of space while writing (ENOSPC). */
  DiskFull: 'PIECE_DISK_FULL',
  /** offset/length outside the piece. */
  RangeInvalid: 'PIECE_RANGE_INVALID',
  Closed: 'PIECE_STORE_CLOSED',
  /** The source stream failed or was aborted. */
  Aborted: 'PIECE_UPLOAD_ABORTED',
  /** Any other I/O failure. */
  Io: 'PIECE_IO_ERROR'
} as const;

export type PieceStoreErrorCode = (typeof PieceStoreErrorCode)[keyof typeof PieceStoreErrorCode];

export class PieceStoreError extends StowageError {
  declare readonly code: PieceStoreErrorCode;

  constructor(code: PieceStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Maps an I/O error to the store's codes: a full disk (isDiskFull) is DiskFull. */
export function ioError(err: unknown, what: string): PieceStoreError {
  if (err instanceof PieceStoreError) return err;
  if (isDiskFull(err)) {
    return new PieceStoreError(PieceStoreErrorCode.DiskFull, `disk full while ${what}`, { cause: err });
  }
  return new PieceStoreError(PieceStoreErrorCode.Io, `${what} failed: ${(err as Error).message}`, { cause: err });
}
