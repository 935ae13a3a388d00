import { PieceStoreError, PieceStoreErrorCode } from './errors.js';

export const PIECE_ID_BYTES = 32;
const HEX_ID = /^[0-9a-f]{64}$/;
const SATELLITE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** A piece id as the store keys it: 64 lowercase hex digits. Accepts 32 bytes or that string. */
export function pieceKey(id: Uint8Array | string): string {
  if (typeof id === 'string') {
    if (HEX_ID.test(id)) return id;
  } else if (id instanceof Uint8Array && id.length === PIECE_ID_BYTES) {
    return Buffer.from(id.buffer, id.byteOffset, id.length).toString('hex');
  }
  const shown = typeof id === 'string' ? `'${id.slice(0, 80)}'` : id instanceof Uint8Array ? `${id.length} bytes` : typeof id;
  throw new PieceStoreError(PieceStoreErrorCode.InvalidId, `a piece id is ${PIECE_ID_BYTES} bytes or ${PIECE_ID_BYTES * 2} lowercase hex digits, got ${shown}`);
}

export function checkSatelliteId(id: unknown): string {
  if (typeof id !== 'string' || !SATELLITE_ID.test(id)) {
    throw new PieceStoreError(PieceStoreErrorCode.InvalidOptions, `satellite id must be 1-128 characters of [A-Za-z0-9._-], got ${String(id)}`);
  }
  return id;
}
