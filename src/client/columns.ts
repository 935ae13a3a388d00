// Where a segment's data pieces come from when they are sent (sender.ts): a sealed segment held
// in a buffer (any layout: a replacement round reads it again), or a segment sealed as its source
// is read (format v4's striped layout only: stripe after stripe is the order of the sealed bytes).
import type { ColumnSource } from './sender.js';
import type { LiveSegment } from './segments.js';
import type { StripeLayout } from './stripes.js';

/**
 * Data piece i's bytes [start, end) of a sealed segment in `sealed` (its first layout.sealedSize
 * bytes), zero past the segment's end. v2/v3 segments are the layout of one stripe.
 */
export function copyColumn(layout: StripeLayout, sealed: Uint8Array, i: number, start: number, end: number, into: Uint8Array): void {
  const { k, shareSize, sealedSize } = layout;
  for (let x = start; x < end; ) {
    const stripe = Math.floor(x / shareSize);
    const within = x - stripe * shareSize;
    const n = Math.min(shareSize - within, end - x);
    const from = (stripe * k + i) * shareSize + within;
    const have = Math.max(0, Math.min(n, sealedSize - from));
    const at = x - start;
    if (have > 0) into.set(sealed.subarray(from, from + have), at);
    if (have < n) into.fill(0, at + have, at + n);
    x += n;
  }
}

/** The data pieces of a sealed segment held whole. */
export function bufferedColumns(layout: StripeLayout, sealed: Uint8Array): ColumnSource {
  return {
    pieceSize: layout.pieceSize,
    align: layout.stripes > 1 ? layout.shareSize : 4096,
    fill: (start, end, into) => {
      for (let i = 0; i < layout.k; i++) copyColumn(layout, sealed, i, start, end, into[i]!);
      return Promise.resolve();
    }
  };
}

/**
 * The data pieces of a segment sealed as it is read: stripe by stripe, each share read straight
 * into its piece's column. Ranges must be whole stripes (align) and come once, in order.
 * `longestWaitMs` is the longest the source kept a stripe waiting (named when the segment fails).
 */
export function liveColumns(layout: StripeLayout, segment: LiveSegment): { source: ColumnSource; longestWaitMs: () => number } {
  const { k, shareSize } = layout;
  let next = 0;
  let longest = 0;
  let waitingSince: number | undefined;
  const source: ColumnSource = {
    pieceSize: layout.pieceSize,
    align: shareSize,
    fill: async (start, end, into, signal) => {
      if (start !== next || start % shareSize !== 0 || (end % shareSize !== 0 && end !== layout.pieceSize)) {
        throw new RangeError(`a live segment is read stripe after stripe: asked ${start}..${end} at ${next}`);
      }
      for (let x = start; x < end; x += shareSize) {
        waitingSince = Date.now();
        for (let i = 0; i < k; i++) await segment.read(into[i]!.subarray(x - start, x - start + shareSize), signal);
        longest = Math.max(longest, Date.now() - waitingSince);
        waitingSince = undefined;
      }
      next = end;
    }
  };
  // A stripe still waited for counts too: the segment may fail while the source is silent.
  return { source, longestWaitMs: () => Math.max(longest, waitingSince === undefined ? 0 : Date.now() - waitingSince) };
}
