// Striped pieces, the layout format v4 is to use (README, "Left out of issue 23"): a sealed
// segment is cut into stripes of k shares of `shareSize` bytes, and piece i is share i of every
// stripe in turn. Formats v2/v3 put k consecutive slices of the segment in the k pieces, so the
// segment's first byte needs piece 0 whole; striped, the first k x shareSize bytes need only the
// first shareSize bytes of each piece, and a segment streams through a ring of a few stripes.
//
// Reed-Solomon codes byte position by byte position, so coding the pieces a range of stripes at a
// time gives the bytes coding the whole pieces gives: parity, the satellite's repair and the
// pieces' Merkle roots do not care how a segment was cut. A segment of at most k x maxShare bytes
// is one stripe of ceil(sealed / k) bytes a share: exactly the v2/v3 layout.
//
// Pure arithmetic and copies, nothing else: the upload and download wire it (not yet).

/** The largest share of a stripe: k x 64 KiB a stripe (1.8 MiB at k = 29). */
export const STRIPE_SHARE_BYTES = 64 * 1024;

export interface StripeLayout {
  /** Data pieces (the scheme's minimum). */
  k: number;
  /** The sealed segment's length; bytes past it, up to stripes x k x shareSize, are zero. */
  sealedSize: number;
  shareSize: number;
  stripes: number;
  /** Every piece's length: stripes x shareSize. */
  pieceSize: number;
}

export function stripeLayout(sealedSize: number, k: number, maxShare = STRIPE_SHARE_BYTES): StripeLayout {
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (!Number.isSafeInteger(sealedSize) || sealedSize < 0) throw new RangeError(`sealed size must be a non-negative integer, got ${sealedSize}`);
  if (!Number.isSafeInteger(maxShare) || maxShare < 1) throw new RangeError(`share size must be a positive integer, got ${maxShare}`);
  const shareSize = Math.max(1, Math.min(maxShare, Math.ceil(sealedSize / k)));
  const stripes = Math.ceil(sealedSize / (k * shareSize));
  return { k, sealedSize, shareSize, stripes, pieceSize: stripes * shareSize };
}

/** Where byte `at` of the sealed segment lies: which data piece, and where in it. */
export function piecePosition(layout: StripeLayout, at: number): { piece: number; offset: number } {
  if (!Number.isSafeInteger(at) || at < 0 || at >= layout.stripes * layout.k * layout.shareSize) {
    throw new RangeError(`byte ${at} is outside the ${layout.stripes} stripes`);
  }
  const stripeBytes = layout.k * layout.shareSize;
  const stripe = Math.floor(at / stripeBytes);
  const within = at - stripe * stripeBytes;
  const piece = Math.floor(within / layout.shareSize);
  return { piece, offset: stripe * layout.shareSize + (within - piece * layout.shareSize) };
}

function checkRange(layout: StripeLayout, first: number, count: number): void {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || first < 0 || count < 0 || first + count > layout.stripes) {
    throw new RangeError(`stripes ${first}..${first + count} are outside the ${layout.stripes} stripes`);
  }
}

/**
 * Cuts stripes [first, first + count) of the sealed segment into the k data pieces' columns:
 * `sealed` holds the segment's bytes from stripe `first` on (it may end early: the rest is zero),
 * `into[i]` receives piece i's bytes [first x shareSize, (first + count) x shareSize).
 */
export function scatterStripes(layout: StripeLayout, sealed: Uint8Array, first: number, count: number, into: readonly Uint8Array[]): void {
  checkRange(layout, first, count);
  const { k, shareSize } = layout;
  if (into.length !== k || into.some((c) => c.length < count * shareSize)) throw new RangeError(`need ${k} columns of ${count * shareSize} bytes`);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < k; i++) {
      const from = (s * k + i) * shareSize;
      const at = s * shareSize;
      const column = into[i]!;
      const end = Math.min(sealed.length, from + shareSize);
      if (end > from) column.set(sealed.subarray(from, end), at);
      column.fill(0, at + Math.max(0, end - from), at + shareSize);
    }
  }
}

/**
 * The inverse: the k data pieces' columns for stripes [first, first + count) (each at least
 * count x shareSize bytes) put back in segment order into `into`, which receives up to its length.
 */
export function gatherStripes(layout: StripeLayout, columns: readonly Uint8Array[], first: number, count: number, into: Uint8Array): void {
  checkRange(layout, first, count);
  const { k, shareSize } = layout;
  if (columns.length !== k || columns.some((c) => c.length < count * shareSize)) throw new RangeError(`need ${k} columns of ${count * shareSize} bytes`);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < k; i++) {
      const to = (s * k + i) * shareSize;
      if (to >= into.length) return;
      const n = Math.min(shareSize, into.length - to);
      into.set(columns[i]!.subarray(s * shareSize, s * shareSize + n), to);
    }
  }
}
