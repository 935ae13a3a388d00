// The upload pipeline. Segment n+1 is read from the source and encrypted into one buffer while
// segment n's pieces are being sent from the other; the parity of a segment is computed (on the
// calling thread, or the erasure worker pool) into a third buffer once the previous segment is stored. Each share goes to
// its node as soon as the segment is coded; at `success` receipts the long tail is cancelled, and
// when too many fail, replacement nodes are asked for. Memory: two sealed segments plus one set of
// parity shares, whatever the file's size.
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PrivateKey, Stream } from '@libp2p/interface';
import { DEFAULT_LEAF_SIZE, PieceHasher } from '../merkle/index.js';
import { PROTOCOL_UPLOAD, uploadPiece, type AddressedOrder, type RedundancyScheme, type SignedPieceHash, type SignedPieceReceipt } from '../protocol/index.js';
import { describeFailure, dialForOrder, type ClientContext } from './context.js';
import { ENCRYPTION_NAME_V2, createObjectKey, sealObjectMetadata } from './crypto.js';
import { objectVersion } from './download.js';
import { ClientError, ClientErrorCode } from './errors.js';
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

/** The buffers of one upload: two sealed segments taking turns, and parity for one. */
export interface UploadBuffers {
  readonly sealed: [Uint8Array, Uint8Array];
  readonly parity: Uint8Array;
}

/** Codes parity: on the calling thread, or on a worker pool. */
export interface ParityCoder {
  encode(data: readonly Uint8Array[], into: readonly Uint8Array[]): unknown;
  /** Whether buffers should be in shared memory (the pool's workers then use them in place). */
  readonly shared: boolean;
}

/** The buffers for one upload in a profile. */
export function allocUploadBuffers(scheme: RedundancyScheme, maxSealedSize: number, shared: boolean): UploadBuffers {
  const k = scheme.minimum;
  const pieceMax = Math.ceil(maxSealedSize / k);
  const alloc = (n: number): Uint8Array => (shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
  return { sealed: [alloc(pieceMax * k), alloc(pieceMax * k)], parity: alloc(pieceMax * (scheme.total - k)) };
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
  // The previous segment's transfers; a failure there is noticed when the next segment is ready.
  let sending: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const into = buffers.sealed[segments % 2]!;
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
      await sending;
      sending = sendSegment(ctx, coder, streamId, scheme, seg, into, buffers.parity, options).then(() => {
        stored += seg.plainSize;
        options.onProgress?.(stored);
      });
      // Mark it handled now: it is awaited after the next segment has been read.
      sending.catch(() => undefined);
      if (seg.last) break;
    }
    await sending;
  } finally {
    // No transfer of this upload outlives it, even after a failure.
    await sending.catch(() => undefined);
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
  parityBuffer: Uint8Array,
  options: UploadOptions
): Promise<void> {
  const { index } = seg;
  const k = scheme.minimum;
  const pieceSize = Math.ceil(seg.sealedSize / k);
  // The data shares are consecutive slices of the sealed segment, zero-padded to k pieces.
  sealed.fill(0, seg.sealedSize, pieceSize * k);
  const data = Array.from({ length: k }, (_, i) => sealed.subarray(i * pieceSize, (i + 1) * pieceSize));
  const parity = Array.from({ length: scheme.total - k }, (_, i) => parityBuffer.subarray(i * pieceSize, (i + 1) * pieceSize));
  const [begun] = await Promise.all([ctx.metainfo({ beginSegment: { streamId, index, pieceSize: BigInt(pieceSize) } }), coder.encode(data, parity)]);
  const shares = [...data, ...parity];
  const receipts = new Map<number, SignedPieceReceipt>();
  const hashes = new Map<number, SignedPieceHash>();
  let uplinkKey: PrivateKey;
  try {
    uplinkKey = privateKeyFromRaw(begun.beginSegment!.piecePrivateKey ?? new Uint8Array(0));
  } catch (err) {
    throw new ClientError(ClientErrorCode.UploadFailed, `segment ${index}: the satellite gave no usable piece key`, { cause: err });
  }
  // Each share's root, computed once (the first upload of a share hashes it as it sends, the
  // replacements reuse it): the client's own, never a node's.
  const roots = new Map<number, Uint8Array>();
  const rootOf = (n: number): Uint8Array => {
    let r = roots.get(n);
    if (!r) {
      r = new PieceHasher(DEFAULT_LEAF_SIZE).update(shares[n]!).digest().root;
      roots.set(n, r);
    }
    return r;
  };
  let orders: AddressedOrder[] = begun.beginSegment!.orders;
  const rounds = options.replacementRounds ?? 2;
  const failures: string[] = [];
  for (let round = 0; ; round++) {
    await sendShares(ctx, orders, shares, rootOf, uplinkKey, scheme.success, receipts, hashes, failures, options.signal);
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

/** Uploads in parallel; once `success` receipts are in, the rest are cancelled (long tail). */
async function sendShares(
  ctx: ClientContext,
  orders: AddressedOrder[],
  shares: Uint8Array[],
  rootOf: (n: number) => Uint8Array,
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
        const share = shares[o.pieceNumber]!;
        // A receipt that does not match the share's root, size, piece and node is refused here
        // (RECEIPT_MISMATCH): that share failed, and the long tail or a replacement takes over.
        const sent = await uploadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature }, share.length, [share], {
          idleTimeoutMs: ctx.pieceTimeoutMs,
          uplinkKey,
          root: rootOf(o.pieceNumber)
        });
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
