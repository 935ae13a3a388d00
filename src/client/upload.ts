// The upload pipeline. A segment's pieces go to their nodes together, a column range at a time,
// from a small ring of buffers (sender.ts): the k data shares' bytes and the parity coded from them.
// Where the data shares come from:
// - format v4 (striped pieces) with the source's size known: the segment is sealed block by block
//   as the source is read, stripe after stripe (columns.ts, liveColumns), and never held whole;
// - otherwise the segment is read and sealed into one buffer first (the end of a source of unknown
//   size is known only once it is read), and sent from it; a replacement round reads it again.
// Memory: the ring (about 8 MiB), and the sealed segment in the second case. (The segment read
// next waits for this one's commit: the buffer a second segment took cost more than the overlap
// gained, issue 23.)
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import type { AddressedOrder, RedundancyScheme } from '../protocol/index.js';
import { bufferedColumns, liveColumns } from './columns.js';
import type { ClientContext } from './context.js';
import { ENCRYPTION_NAME_V2, ENCRYPTION_NAME_V4, createObjectKey, sealObjectMetadata, sealedSizeOf } from './crypto.js';
import { objectVersion } from './download.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { SegmentSealer, type SealedSegment, type Source } from './segments.js';
import { sendColumns, type ColumnSource, type SendResult } from './sender.js';
import { STRIPE_SHARE_BYTES, stripeLayout, type StripeLayout } from './stripes.js';

/**
 * A sized v4 upload sends a segment as its source is read only if the source gives its first
 * LIVE_SOURCE_BYTES (a first batch at any profile) within LIVE_SOURCE_MS: at least 2 MiB/s, 16
 * times the 120 KiB/s below which 29/110's nodes (64 KiB a stripe of 1.8 MiB, 1 KiB/s over a 15 s
 * window) cut the streams. A slower source has the segment held (review 23 H3).
 */
export const LIVE_SOURCE_BYTES = 4 * 1024 * 1024;
export const LIVE_SOURCE_MS = 2000;
/**
 * Streams a live segment keeps above `success` when it cuts laggards (it has no replacement
 * round): a quarter of the spare pieces, at least one (8 at 29/80/110, 1 at 4/6/8).
 */
function liveSlack(scheme: RedundancyScheme): number {
  const spare = scheme.total - scheme.success;
  return spare <= 0 ? 0 : Math.max(1, Math.ceil(spare / 4));
}

/** A source wait this long in a live segment is named when the segment fails. */
const SOURCE_PAUSE_NOTED_MS = 5000;

export interface UploadOptions {
  /** Called with the bytes of the source stored so far, after each segment. */
  onProgress?: (uploadedBytes: number) => void;
  signal?: AbortSignal;
  /** Rounds of replacement nodes asked for when too few uploads of a segment succeed. */
  replacementRounds?: number;
  /**
   * The object's metadata (any bytes, at most about 8 KiB), sealed under the object's content key
   * and committed with it. A function is called once every byte is stored, just before the commit
   * (an ETag of the bytes, say); if it throws, the object is not committed and the error is the
   * upload's.
   */
  metadata?: Uint8Array | (() => Uint8Array | Promise<Uint8Array>);
  /**
   * The source's size, when known: segments are no larger than it, so a small object does not
   * take buffers for a whole segment (64 MiB by default). In format v4 (the client's
   * `stripedUploads`) it is binding: each segment is sealed and sent as the source is read, never
   * held whole, and a source that gives more or fewer bytes fails SOURCE_SIZE_MISMATCH (the
   * object is not committed; segments sent before stay pending until the satellite drops them).
   * The price: a segment whose pieces fail beyond the scheme's margin (total - success) cannot be
   * sent again to replacement nodes, and fails UPLOAD_FAILED.
   */
  sizeHint?: number;
}

export interface UploadResult {
  size: number;
  segments: number;
  /** The metadata committed with the object, if any. */
  metadata?: Uint8Array;
  /** The version committed (ObjectStat.version). */
  version: string;
}

/** The buffer of one upload: a sealed segment, its k data shares side by side. */
export interface UploadBuffers {
  readonly sealed: Uint8Array;
}

/** Codes parity: on the calling thread, or on a worker pool. */
export interface ParityCoder {
  encode(data: readonly Uint8Array[], into: readonly Uint8Array[]): unknown;
  /** Only the parity rows `rows` (0 is the first parity share), into `into`. */
  encodeRows(data: readonly Uint8Array[], rows: readonly number[], into: readonly Uint8Array[]): unknown;
  /** Whether buffers should be in shared memory (the pool's workers then use them in place). */
  readonly shared: boolean;
}

/** The buffer for one upload in a profile. */
export function allocUploadBuffers(scheme: RedundancyScheme, maxSealedSize: number, shared: boolean): UploadBuffers {
  const n = Math.ceil(maxSealedSize / scheme.minimum) * scheme.minimum;
  return { sealed: shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n) };
}

export interface UploadPlan {
  ctx: ClientContext;
  bucket: string;
  key: string;
  segmentSize: number;
  coder: (scheme: RedundancyScheme) => ParityCoder;
  /** Object format v4 (striped pieces; segments of a source of known size streamed). */
  striped?: boolean;
}

export async function uploadObject(plan: UploadPlan, source: Source, options: UploadOptions = {}): Promise<UploadResult> {
  try {
    return await runUpload(plan, source, options);
  } catch (err) {
    if (options.signal?.aborted && !(err instanceof ClientError)) throw new ClientError(ClientErrorCode.Aborted, 'the upload was aborted', { cause: err });
    throw err;
  }
}

async function runUpload(plan: UploadPlan, source: Source, options: UploadOptions): Promise<UploadResult> {
  const { ctx, bucket, key } = plan;
  // A fresh content key and version per upload: segments of another version cannot be spliced in.
  const objectKey = createObjectKey(ctx.secret, bucket, key);
  const begun = (
    await ctx.metainfo({
      beginObject: { bucket, key, metadata: new Uint8Array(0), encryption: plan.striped ? ENCRYPTION_NAME_V4 : ENCRYPTION_NAME_V2, expires: 0n, encryptedKey: new Uint8Array(objectKey.encryptedKey) }
    })
  ).beginObject!;
  const { streamId } = begun;
  const { segments } = await uploadSegments(plan, { streamId, scheme: begun.scheme!, maxInline: Number(begun.maxInline), contentKey: objectKey.contentKey, version: objectKey.version, striped: plan.striped === true }, source, options);
  const metadata = typeof options.metadata === 'function' ? await options.metadata() : options.metadata;
  const sealedMetadata = metadata ? sealObjectMetadata(objectKey, metadata) : undefined;
  const done = await ctx.metainfo({ commitObject: { streamId, ...(sealedMetadata ? { metadata: new Uint8Array(sealedMetadata) } : {}) } });
  const committed = done.commitObject!;
  const version = objectVersion({ committed: committed.committed ?? 0n, encryptedKey: objectKey.encryptedKey });
  return { size: Number(committed.size), segments, version, ...(metadata ? { metadata } : {}) };
}

/** A stream (an object's, or a part's) to send segments into, and the keys that seal them. */
export interface SegmentStream {
  streamId: string;
  scheme: RedundancyScheme;
  maxInline: number;
  contentKey: Uint8Array;
  version: Uint8Array;
  /** Pieces striped (format v4); v2/v3 pieces are k consecutive slices of the segment. */
  striped?: boolean;
}

/** The segment size for a source of `sizeHint` bytes: no larger than needed (at least 1 byte). */
function segmentSizeFor(segmentSize: number, sizeHint: number | undefined): number {
  return sizeHint !== undefined && Number.isSafeInteger(sizeHint) && sizeHint >= 0 ? Math.max(1, Math.min(segmentSize, sizeHint)) : segmentSize;
}

/**
 * Reads the source to its end, sealing and sending it as segments 0, 1, ... of the stream (a
 * single small segment inline): everything an upload does before its commit.
 */
export async function uploadSegments(plan: Pick<UploadPlan, 'ctx' | 'segmentSize' | 'coder'>, target: SegmentStream, source: Source, options: UploadOptions): Promise<{ stored: number; segments: number }> {
  const { ctx } = plan;
  const { streamId, scheme, maxInline } = target;
  const segmentSize = segmentSizeFor(plan.segmentSize, options.sizeHint);
  const sealer = new SegmentSealer(source, segmentSize, target.contentKey, target.version);
  const coder = plan.coder(scheme);
  const size = options.sizeHint;
  // Format v4 with the source's size known: each segment is sealed and sent as it is read.
  const live = target.striped === true && size !== undefined && Number.isSafeInteger(size) && size >= 0;
  let buffers: UploadBuffers | undefined;
  let stored = 0;
  let segments = 0;
  for (;;) {
    const plainSize = live ? Math.min(segmentSize, size - stored) : 0;
    const inline = live && stored === 0 && plainSize === size && sealedSizeOf(plainSize) <= maxInline;
    // Sent as it is read only when the source keeps up: its first bytes are read before any node
    // is dialed, and a source slower than LIVE_SOURCE_BYTES in LIVE_SOURCE_MS has its segment held
    // (with replacement rounds) instead, since nodes cut streams that idle past their rate window.
    if (live && !inline && (await sealer.prefetch(Math.min(plainSize, LIVE_SOURCE_BYTES), LIVE_SOURCE_MS, options.signal))) {
      const segment = sealer.beginLive(plainSize, stored + plainSize === size);
      segments++;
      const layout = stripeLayout(segment.sealedSize, scheme.minimum);
      const columns = liveColumns(layout, segment);
      await sendSegment(ctx, coder, streamId, scheme, segment.info, layout, columns.source, undefined, options, columns.longestWaitMs);
      stored += plainSize;
      options.onProgress?.(stored);
      if (segment.pos.last) break;
      continue;
    }
    buffers ??= allocUploadBuffers(scheme, sealer.maxSealedSize, coder.shared);
    const into = buffers.sealed;
    const seg = await sealer.next(into, options.signal);
    if (!seg) break;
    segments++;
    // A held segment of a sized source must be the very segment its size says (review 23 L3).
    if (live && (seg.plainSize !== plainSize || seg.last !== (stored + plainSize === size))) {
      const short = seg.plainSize < plainSize || (seg.last && stored + plainSize < size);
      throw new ClientError(
        ClientErrorCode.SourceSizeMismatch,
        short ? `the source ended at byte ${stored + seg.plainSize}, before its size (${size})` : `the source has more bytes than its size (${size})`
      );
    }
    if (seg.index === 0 && seg.last && seg.sealedSize <= maxInline) {
      const data = new Uint8Array(into.subarray(0, seg.sealedSize));
      await ctx.metainfo({ commitInlineSegment: { streamId, index: 0, plainSize: BigInt(seg.plainSize), data } });
      stored += seg.plainSize;
      options.onProgress?.(stored);
      break;
    }
    // Every transfer of the segment has ended (sendSegment waits for all) before the buffer is reused.
    const layout = stripeLayout(seg.sealedSize, scheme.minimum, target.striped ? STRIPE_SHARE_BYTES : Number.MAX_SAFE_INTEGER);
    const held = into.subarray(0, seg.sealedSize);
    await sendSegment(ctx, coder, streamId, scheme, seg, layout, bufferedColumns(layout, held), () => bufferedColumns(layout, held), options);
    stored += seg.plainSize;
    options.onProgress?.(stored);
    if (seg.last) break;
  }
  if (live && stored !== size) throw new ClientError(ClientErrorCode.SourceSizeMismatch, `the source gave ${stored} bytes, not its size ${size}`);
  return { stored, segments };
}

/**
 * Sends a segment's pieces from `first`, then (when `again` can read the segment once more) rounds
 * of replacement nodes for the pieces that failed, and commits it.
 */
async function sendSegment(
  ctx: ClientContext,
  coder: ParityCoder,
  streamId: string,
  scheme: RedundancyScheme,
  seg: SealedSegment,
  layout: StripeLayout,
  first: ColumnSource,
  again: (() => ColumnSource) | undefined,
  options: UploadOptions,
  sourceWaitMs?: () => number
): Promise<void> {
  const { index } = seg;
  const k = scheme.minimum;
  const begun = await ctx.metainfo({ beginSegment: { streamId, index, pieceSize: BigInt(layout.pieceSize) } });
  let uplinkKey: PrivateKey;
  try {
    uplinkKey = privateKeyFromRaw(begun.beginSegment!.piecePrivateKey ?? new Uint8Array(0));
  } catch (err) {
    throw new ClientError(ClientErrorCode.UploadFailed, `segment ${index}: the satellite gave no usable piece key`, { cause: err });
  }
  // Each share's root is the client's own, never a node's: hashed as the share is sent, and kept
  // from the first upload that sent it whole for the replacements.
  const result: SendResult = { receipts: new Map(), hashes: new Map(), roots: new Map(), failures: [] };
  let orders: AddressedOrder[] = begun.beginSegment!.orders;
  const rounds = again ? (options.replacementRounds ?? 2) : 0;
  for (let round = 0; ; round++) {
    await sendColumns(ctx, orders, round === 0 ? first : again!(), coder, k, scheme.total - k, scheme.success, uplinkKey, result, options.signal, again ? 0 : liveSlack(scheme));
    options.signal?.throwIfAborted();
    if (result.receipts.size >= scheme.success) break;
    const stored = `segment ${index}: ${result.receipts.size} of ${scheme.success} pieces stored (${result.failures.slice(-5).join('; ')})`;
    if (round >= rounds) {
      // A segment sealed as its source was read is not there to send again (format v4).
      const waited = sourceWaitMs?.() ?? 0;
      const paused = waited >= SOURCE_PAUSE_NOTED_MS ? `; the source paused ${(waited / 1000).toFixed(1)} s mid-segment, and nodes cut streams idle past their rate window` : '';
      throw new ClientError(ClientErrorCode.UploadFailed, again ? stored : `${stored}; a segment sent as its source is read cannot be sent again${paused}`);
    }
    const missing = Array.from({ length: scheme.total }, (_, n) => n).filter((n) => !result.receipts.has(n));
    try {
      orders = (await ctx.metainfo({ replacementOrders: { streamId, index, pieceNumbers: missing.slice(0, scheme.success - result.receipts.size + 1) } })).replacementOrders!.orders;
    } catch (err) {
      throw new ClientError(ClientErrorCode.UploadFailed, `${stored}, and no replacement nodes: ${(err as Error).message}`, { cause: err });
    }
  }
  const numbers = [...result.receipts.keys()];
  await ctx.metainfo({
    commitSegment: { streamId, index, plainSize: BigInt(seg.plainSize), receipts: numbers.map((n) => result.receipts.get(n)!), pieceHashes: numbers.map((n) => result.hashes.get(n)!) }
  });
}
