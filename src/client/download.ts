// The download pipeline. For each segment it asks k + margin nodes at once (data pieces first, so
// usually nothing needs decoding), hashes every piece as it arrives and checks it against the
// Merkle root from the node's receipt, starts another node whenever one fails or sends bad bytes,
// and stops the rest at the first k good pieces. The next segment's pieces are fetched while the
// consumer works on the current one's plaintext. Pieces land in one reused buffer; plaintext comes
// out in 1 MiB slices, only after the segment's tag has been checked.
import type { Stream } from '@libp2p/interface';
import type { ErasureCodec } from '../erasure/index.js';
import { PieceHasher, equalHashes } from '../merkle/index.js';
import { PROTOCOL_DOWNLOAD, ProtocolError, downloadPiece, type PieceDownload, type RedundancyScheme, type SegmentInfo } from '../protocol/index.js';
import { describeFailure, dialForOrder, type ClientContext } from './context.js';
import { ENCRYPTION_OVERHEAD, decryptSegmentSlices, segmentKey } from './crypto.js';
import { ClientError, ClientErrorCode } from './errors.js';

export interface DownloadOptions {
  offset?: number;
  length?: number;
  signal?: AbortSignal;
}

export interface DownloadPlan {
  ctx: ClientContext;
  bucket: string;
  key: string;
  /** Nodes asked beyond the k needed, so one slow or bad node does not hold a segment up. */
  margin: number;
  codec: (scheme: RedundancyScheme) => ErasureCodec;
}

/** Where pieces land: the data pieces side by side (so together they are the sealed segment). */
class PieceBuffers {
  private data = new Uint8Array(0);
  private readonly spares: Uint8Array[] = [];

  /** The region for k data pieces of `pieceSize` bytes. */
  dataRegion(k: number, pieceSize: number): Uint8Array {
    if (this.data.length < k * pieceSize) this.data = new Uint8Array(k * pieceSize);
    return this.data.subarray(0, k * pieceSize);
  }

  /** A buffer for a parity piece; give it back with release(). */
  take(pieceSize: number): Uint8Array {
    const b = this.spares.pop();
    return b && b.length >= pieceSize ? b.subarray(0, pieceSize) : new Uint8Array(pieceSize);
  }

  release(b: Uint8Array): void {
    this.spares.push(new Uint8Array(b.buffer, 0, b.buffer.byteLength));
  }
}

export async function* downloadObject(plan: DownloadPlan, options: DownloadOptions): AsyncGenerator<Uint8Array> {
  try {
    yield* runDownload(plan, options);
  } catch (err) {
    if (options.signal?.aborted && !(err instanceof ClientError)) throw new ClientError(ClientErrorCode.Aborted, 'the download was aborted', { cause: err });
    throw err;
  }
}

async function* runDownload(plan: DownloadPlan, options: DownloadOptions): AsyncGenerator<Uint8Array> {
  const { ctx, bucket, key } = plan;
  const got = (await ctx.metainfo({ getObject: { bucket, key } })).getObject!;
  const size = Number(got.object!.size);
  const offset = options.offset ?? 0;
  const length = options.length ?? size - offset;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new ClientError(ClientErrorCode.RangeInvalid, `range ${offset}+${length} is outside the object's ${size} bytes`);
  }
  // The segments the range touches, with where each starts in the object.
  const wanted: { seg: SegmentInfo; start: number }[] = [];
  let start = 0;
  for (const seg of got.segments) {
    const end = start + Number(seg.plainSize);
    if (end > offset && start < offset + length) wanted.push({ seg, start });
    start = end;
    if (start >= offset + length) break;
  }
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const buffers = new PieceBuffers();
  const fetchAt = (i: number): Promise<() => Uint8Array[]> | undefined => {
    if (i >= wanted.length) return undefined;
    const p = fetchSegment(plan, wanted[i]!.seg, buffers, signal);
    p.catch(() => undefined);
    return p;
  };
  try {
    let next = fetchAt(0);
    for (let i = 0; next; i++) {
      // Decrypted only now, when the consumer is done with the previous segment's plaintext.
      const slices = (await next)();
      next = fetchAt(i + 1);
      let pos = wanted[i]!.start;
      for (const slice of slices) {
        const from = Math.max(0, offset - pos);
        const to = Math.min(slice.length, offset + length - pos);
        pos += slice.length;
        if (to > from) yield from === 0 && to === slice.length ? slice : slice.subarray(from, to);
      }
    }
  } finally {
    // A consumer that stops early leaves no transfers running.
    stop.abort(new Error('download finished'));
  }
}

/**
 * Fetches a segment's pieces (decoding what is missing) into the buffers; the function returned
 * decrypts it, and must be called before the next fetch reuses the buffers.
 */
async function fetchSegment(plan: DownloadPlan, seg: SegmentInfo, buffers: PieceBuffers, signal: AbortSignal): Promise<() => Uint8Array[]> {
  signal.throwIfAborted();
  const segKey = segmentKey(plan.ctx.secret, plan.bucket, plan.key, seg.index);
  if (seg.inline.length > 0) return () => decryptSegmentSlices(segKey, seg.inline);
  const scheme = seg.scheme!;
  const k = scheme.minimum;
  const pieceSize = Number(seg.pieceSize);
  const region = buffers.dataRegion(k, pieceSize);
  const slotOf = (n: number): Uint8Array => (n < k ? region.subarray(n * pieceSize, (n + 1) * pieceSize) : buffers.take(pieceSize));
  const queue = [...seg.pieces].sort((a, b) => (a.order?.pieceNumber ?? 0) - (b.order?.pieceNumber ?? 0));
  const good = new Map<number, Uint8Array>();
  const problems: string[] = [];
  const streams = new Set<Stream>();
  let enough = false;
  const onAbort = (): void => {
    for (const s of streams) s.abort(new Error('download aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const fetchPiece = async (p: PieceDownload): Promise<void> => {
    const o = p.order!;
    let stream: Stream | undefined;
    const slot = slotOf(o.pieceNumber);
    let kept = false;
    try {
      stream = await dialForOrder(plan.ctx, o, PROTOCOL_DOWNLOAD, signal);
      if (enough) return stream.abort(new Error('enough pieces'));
      streams.add(stream);
      const hasher = new PieceHasher();
      let n = 0;
      for await (const chunk of downloadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature }, {}, { idleTimeoutMs: plan.ctx.pieceTimeoutMs })) {
        if (n + chunk.length > pieceSize) throw new ProtocolError('PIECE_TOO_LARGE', `node sent more than ${pieceSize} bytes`);
        slot.set(chunk, n);
        hasher.update(chunk);
        n += chunk.length;
      }
      if (n !== pieceSize || !equalHashes(hasher.digest().root, p.root)) throw new ProtocolError('PIECE_CORRUPT', 'piece does not match its Merkle root');
      if (!enough) {
        good.set(o.pieceNumber, slot);
        kept = true;
      }
      if (good.size >= k && !enough) {
        enough = true;
        for (const s of streams) if (s !== stream) s.abort(new Error('enough pieces'));
      }
    } catch (err) {
      stream?.abort(err as Error);
      if (!enough && !signal.aborted) problems.push(describeFailure(o.nodeId, err));
    } finally {
      if (stream) streams.delete(stream);
      if (!kept && o.pieceNumber >= k) buffers.release(slot);
    }
    // A failed node is replaced by the next one not yet asked.
    if (!enough && !signal.aborted && good.size < k) {
      const following = queue.shift();
      if (following) await fetchPiece(following);
    }
  };
  try {
    await Promise.all(queue.splice(0, k + plan.margin).map(fetchPiece));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  signal.throwIfAborted();
  try {
    if (good.size < k) {
      throw new ClientError(
        ClientErrorCode.NotEnoughPieces,
        `segment ${seg.index}: ${good.size} good pieces found of the ${k} needed (${seg.pieces.length} asked for; ${problems.slice(0, 5).join('; ')})`
      );
    }
    const missing = Array.from({ length: k }, (_, n) => n).filter((n) => !good.has(n));
    if (missing.length > 0) {
      // Rebuild only what is lost among the data pieces, into their places in the region.
      const shards = Array.from({ length: scheme.total }, (_, n) => good.get(n) ?? null);
      const rebuilt = plan.codec(scheme).reconstruct(shards);
      for (const n of missing) region.set(rebuilt[n]!, n * pieceSize);
    }
    return () => decryptSegmentSlices(segKey, region.subarray(0, Number(seg.plainSize) + ENCRYPTION_OVERHEAD));
  } finally {
    for (const [n, b] of good) if (n >= k) buffers.release(b);
  }
}
