// How a piece's metadata is kept in LevelDB (JSON, short field names: one per piece, many pieces).

export interface PieceRecord {
  /** 64 hex digits. */
  pieceId: string;
  satelliteId: string;
  size: number;
  /** RFC 6962 root over `leafSize` leaves of the piece. */
  root: Uint8Array;
  leafSize: number;
  /** The signed order limit that authorised the upload, encoded (the protocol decodes it). */
  orderLimit: Uint8Array;
  /** The uploader's signed piece hash (SignedPieceHash, encoded); empty for pieces stored before it existed. */
  pieceHash: Uint8Array;
  createdAt: number;
  /** When the piece may be deleted by the expiry sweep; null for never. */
  expiresAt: number | null;
}

export interface StoredRecord {
  s: string;
  z: number;
  r: string;
  l: number;
  o: string;
  /** Base64 of the signed piece hash; absent in records written before it existed. */
  h?: string;
  c: number;
  e: number | null;
  /** Blob reference, or null when the bytes are a LevelDB value beside the record. */
  b: string | null;
}

export function toStored(rec: PieceRecord, blob: string | null): StoredRecord {
  return {
    s: rec.satelliteId,
    z: rec.size,
    r: Buffer.from(rec.root).toString('hex'),
    l: rec.leafSize,
    o: Buffer.from(rec.orderLimit).toString('base64'),
    ...(rec.pieceHash.length > 0 ? { h: Buffer.from(rec.pieceHash).toString('base64') } : {}),
    c: rec.createdAt,
    e: rec.expiresAt,
    b: blob
  };
}

export function fromStored(pieceId: string, s: StoredRecord): PieceRecord {
  return {
    pieceId,
    satelliteId: s.s,
    size: s.z,
    root: new Uint8Array(Buffer.from(s.r, 'hex')),
    leafSize: s.l,
    orderLimit: new Uint8Array(Buffer.from(s.o, 'base64')),
    pieceHash: new Uint8Array(Buffer.from(s.h ?? '', 'base64')),
    createdAt: s.c,
    expiresAt: s.e
  };
}

/** Keys of the expiry index sort by time: fixed-width decimal milliseconds, then the piece. */
export function expiryKey(expiresAt: number, pieceId: string): string {
  return `${String(expiresAt).padStart(16, '0')}!${pieceId}`;
}
