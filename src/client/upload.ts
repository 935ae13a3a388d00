// The upload pipeline. A segment is read from the source and sealed into one buffer; its k data
// shares are slices of that buffer and its parity shares are computed a column range at a time as
// their uploads ask for them (parity.ts), so the parity is never in memory whole. Each share goes
// to its node as soon as the segment is sealed; at `success` receipts the long tail is cancelled,
// and when too many fail, replacement nodes are asked for. Memory: one sealed segment plus a few
// parity ranges (about 4 MiB), whatever the file's size. (The segment read next waits for this
// one's commit: the buffer a second segment took cost more than the overlap gained, issue 23.)
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PrivateKey, Stream } from '@libp2p/interface';
import { PROTOCOL_UPLOAD, uploadPiece, type AddressedOrder, type RedundancyScheme, type SignedPieceHash, type SignedPieceReceipt } from '../protocol/index.js';
import { describeFailure, dialForOrder, type ClientContext } from './context.js';
import { ENCRYPTION_NAME_V2, createObjectKey, sealObjectMetadata } from './crypto.js';
import { objectVersion } from './download.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { ParityStripes } from './parity.js';
import { SegmentSealer, type SealedSegment, type Source } from './segments.js';

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
   * take buffers for a whole segment (64 MiB by default).
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
      beginObject: { bucket, key, metadata: new Uint8Array(0), encryption: ENCRYPTION_NAME_V2, expires: 0n, encryptedKey: new Uint8Array(objectKey.encryptedKey) }
    })
  ).beginObject!;
  const { streamId } = begun;
  const { segments } = await uploadSegments(plan, { streamId, scheme: begun.scheme!, maxInline: Number(begun.maxInline), contentKey: objectKey.contentKey, version: objectKey.version }, source, options);
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
  const sealer = new SegmentSealer(source, segmentSizeFor(plan.segmentSize, options.sizeHint), target.contentKey, target.version);
  const coder = plan.coder(scheme);
  const buffers = allocUploadBuffers(scheme, sealer.maxSealedSize, coder.shared);
  let stored = 0;
  let segments = 0;
  const into = buffers.sealed;
  for (;;) {
    const seg = await sealer.next(into, options.signal);
    if (!seg) break;
    segments++;
    if (seg.index === 0 && seg.last && seg.sealedSize <= maxInline) {
      const data = new Uint8Array(into.subarray(0, seg.sealedSize));
      await ctx.metainfo({ commitInlineSegment: { streamId, index: 0, plainSize: BigInt(seg.plainSize), data } });
      stored += seg.plainSize;
      options.onProgress?.(stored);
      break;
    }
    // Every transfer of the segment has ended (sendShares waits for all) before the buffer is reused.
    await sendSegment(ctx, coder, streamId, scheme, seg, into, options);
    stored += seg.plainSize;
    options.onProgress?.(stored);
    if (seg.last) break;
  }
  return { stored, segments };
}

async function sendSegment(
  ctx: ClientContext,
  coder: ParityCoder,
  streamId: string,
  scheme: RedundancyScheme,
  seg: SealedSegment,
  sealed: Uint8Array,
  options: UploadOptions
): Promise<void> {
  const { index } = seg;
  const k = scheme.minimum;
  const pieceSize = Math.ceil(seg.sealedSize / k);
  // The data shares are consecutive slices of the sealed segment, zero-padded to k pieces.
  sealed.fill(0, seg.sealedSize, pieceSize * k);
  const data = Array.from({ length: k }, (_, i) => sealed.subarray(i * pieceSize, (i + 1) * pieceSize));
  const parity = new ParityStripes(coder, data, scheme.total - k, pieceSize);
  const begun = await ctx.metainfo({ beginSegment: { streamId, index, pieceSize: BigInt(pieceSize) } });
  // A share's bytes, as often as they are sent (a replacement upload computes its parity again).
  const shares: ShareSource = { size: pieceSize, bytes: (n) => (n < k ? [data[n]!] : parity.share(n - k)) };
  const receipts = new Map<number, SignedPieceReceipt>();
  const hashes = new Map<number, SignedPieceHash>();
  let uplinkKey: PrivateKey;
  try {
    uplinkKey = privateKeyFromRaw(begun.beginSegment!.piecePrivateKey ?? new Uint8Array(0));
  } catch (err) {
    throw new ClientError(ClientErrorCode.UploadFailed, `segment ${index}: the satellite gave no usable piece key`, { cause: err });
  }
  // Each share's root is the client's own, never a node's: hashed as the share is sent, and kept
  // from the first upload that sent it whole for the replacements.
  const roots = new Map<number, Uint8Array>();
  let orders: AddressedOrder[] = begun.beginSegment!.orders;
  const rounds = options.replacementRounds ?? 2;
  const failures: string[] = [];
  for (let round = 0; ; round++) {
    await sendShares(ctx, orders, shares, roots, uplinkKey, scheme.success, receipts, hashes, failures, options.signal);
    options.signal?.throwIfAborted();
    if (receipts.size >= scheme.success) break;
    const stored = `segment ${index}: ${receipts.size} of ${scheme.success} pieces stored (${failures.slice(-5).join('; ')})`;
    if (round >= rounds) throw new ClientError(ClientErrorCode.UploadFailed, stored);
    const missing = Array.from({ length: scheme.total }, (_, n) => n).filter((n) => !receipts.has(n));
    try {
      orders = (await ctx.metainfo({ replacementOrders: { streamId, index, pieceNumbers: missing.slice(0, scheme.success - receipts.size + 1) } })).replacementOrders!.orders;
    } catch (err) {
      throw new ClientError(ClientErrorCode.UploadFailed, `${stored}, and no replacement nodes: ${(err as Error).message}`, { cause: err });
    }
  }
  const numbers = [...receipts.keys()];
  await ctx.metainfo({
    commitSegment: { streamId, index, plainSize: BigInt(seg.plainSize), receipts: numbers.map((n) => receipts.get(n)!), pieceHashes: numbers.map((n) => hashes.get(n)!) }
  });
}

/** The shares of a segment: each as bytes to send, produced afresh for every upload of it. */
interface ShareSource {
  size: number;
  bytes(pieceNumber: number): Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/** Uploads in parallel; once `success` receipts are in, the rest are cancelled (long tail). */
async function sendShares(
  ctx: ClientContext,
  orders: AddressedOrder[],
  shares: ShareSource,
  roots: Map<number, Uint8Array>,
  uplinkKey: PrivateKey,
  success: number,
  receipts: Map<number, SignedPieceReceipt>,
  hashes: Map<number, SignedPieceHash>,
  failures: string[],
  signal?: AbortSignal
): Promise<void> {
  const streams = new Set<Stream>();
  let cancelled = false;
  // Ends the dials still in flight when the long tail is cut: a node that accepted the TCP
  // connection and went silent would otherwise hold the upload until its dial timed out.
  const tail = new AbortController();
  const dialSignal = signal ? AbortSignal.any([signal, tail.signal]) : tail.signal;
  const onAbort = (): void => {
    for (const s of streams) s.abort(new Error('upload aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
    orders.map(async (o) => {
      let stream: Stream | undefined;
      try {
        stream = await dialForOrder(ctx, o, PROTOCOL_UPLOAD, dialSignal);
        if (cancelled) return stream.abort(new Error('long tail cancelled'));
        streams.add(stream);
        const root = roots.get(o.pieceNumber);
        // A receipt that does not match the share's root, size, piece and node is refused here
        // (RECEIPT_MISMATCH): that share failed, and the long tail or a replacement takes over.
        const sent = await uploadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature }, shares.size, shares.bytes(o.pieceNumber), {
          idleTimeoutMs: ctx.pieceTimeoutMs,
          uplinkKey,
          ...(root ? { root } : {})
        });
        roots.set(o.pieceNumber, sent.root);
        receipts.set(o.pieceNumber, sent.receipt);
        hashes.set(o.pieceNumber, sent.pieceHash);
        if (receipts.size >= success && !cancelled) {
          cancelled = true;
          for (const s of streams) if (s !== stream) s.abort(new Error('long tail cancelled'));
          tail.abort(new Error('long tail cancelled'));
        }
      } catch (err) {
        stream?.abort(err as Error);
        if (!cancelled) failures.push(describeFailure(o.nodeId, err));
      } finally {
        if (stream) streams.delete(stream);
      }
    })
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
