// The client library: `Stowage.connect(access)`, then buckets and objects. An upload cuts the
// source into segments, encrypts each (AES-256-GCM), erasure-codes it into the satellite's
// profile, sends each share to its node straight away and stops at `success` receipts (the long
// tail is cancelled), asks for replacement nodes when too many fail, and commits. A download asks
// for GET orders, fetches pieces in parallel, checks each against its Merkle root, decodes at the
// first k good ones, decrypts and streams out; ranged reads fetch only the segments they touch.
import '../shims/promise-with-resolvers.js';
import type { Libp2p, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { Readable } from 'node:stream';
import { createCodec, type ErasureCodec } from '../erasure/index.js';
import { pieceRoot } from '../merkle/index.js';
import {
  createHost,
  FramedStream,
  MetainfoRequest,
  MetainfoResponse,
  PROTOCOL_DOWNLOAD,
  PROTOCOL_METAINFO,
  PROTOCOL_UPLOAD,
  ProtocolError,
  downloadPiece,
  uploadPiece,
  type AddressedOrder,
  type ObjectInfo,
  type PieceDownload,
  type RedundancyScheme,
  type SegmentInfo,
  type SignedPieceReceipt
} from '../protocol/index.js';
import { parseAccess, type Access } from './access.js';
import { ENCRYPTION_NAME, ENCRYPTION_OVERHEAD, decryptSegment, encryptSegment, segmentKey } from './crypto.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { segmentsOf, type Source } from './segments.js';

export interface ClientOptions {
  /** Plaintext bytes per segment. Default 64 MiB. */
  segmentSize?: number;
  /** How long one piece transfer may take. */
  pieceTimeoutMs?: number;
}

export interface UploadOptions {
  onProgress?: (uploadedBytes: number) => void;
  signal?: AbortSignal;
  /** Rounds of replacement nodes asked for when too few uploads of a segment succeed. */
  replacementRounds?: number;
}

export interface DownloadOptions {
  offset?: number;
  length?: number;
  signal?: AbortSignal;
}

export interface ObjectStat {
  bucket: string;
  key: string;
  size: number;
  created: Date;
  segments: number;
}

export const DEFAULT_SEGMENT_SIZE = 64 * 1024 * 1024;

const toStat = (o: ObjectInfo): ObjectStat => ({ bucket: o.bucket, key: o.key, size: Number(o.size), created: new Date(Number(o.created)), segments: o.segmentCount });

export class Stowage {
  private readonly codecs = new Map<string, ErasureCodec>();
  /** Upload buffers kept between segments: the shares (data then parity), one allocation. */
  private shareBuffer: Uint8Array | undefined;

  private constructor(
    private readonly access: Access,
    private readonly libp2p: Libp2p,
    private readonly segmentSize: number,
    private readonly pieceTimeoutMs: number
  ) {}

  static async connect(accessText: string, options: ClientOptions = {}): Promise<Stowage> {
    const access = parseAccess(accessText);
    const libp2p = await createHost();
    return new Stowage(access, libp2p, options.segmentSize ?? DEFAULT_SEGMENT_SIZE, options.pieceTimeoutMs ?? 60_000);
  }

  async close(): Promise<void> {
    await this.libp2p.stop();
  }

  private async metainfo(req: Partial<MetainfoRequest>): Promise<MetainfoResponse> {
    let stream: Stream;
    try {
      const ma = multiaddr(this.access.satelliteAddress).encapsulate(`/p2p/${this.access.satelliteId}`);
      stream = await this.libp2p.dialProtocol(ma, PROTOCOL_METAINFO, { signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new ClientError(ClientErrorCode.SatelliteUnreachable, `the satellite cannot be reached: ${(err as Error).message}`, { cause: err });
    }
    const framed = new FramedStream(stream, { idleTimeoutMs: 60_000 });
    try {
      await framed.write(MetainfoRequest, { apiKey: this.access.apiKey, ...req });
      const res = await framed.expect(MetainfoResponse, 'answer');
      if (res.error) throw new ClientError(res.error.code, res.error.message);
      return res;
    } finally {
      await framed.closeWrite();
    }
  }

  private codec(scheme: RedundancyScheme): ErasureCodec {
    const id = `${scheme.minimum}/${scheme.total}`;
    let c = this.codecs.get(id);
    if (!c) {
      c = createCodec({ dataShards: scheme.minimum, parityShards: scheme.total - scheme.minimum });
      this.codecs.set(id, c);
    }
    return c;
  }

  // ---- buckets

  async createBucket(name: string): Promise<void> {
    await this.metainfo({ createBucket: { name } });
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    const res = await this.metainfo({ listBuckets: {} });
    return (res.listBuckets?.buckets ?? []).map((b) => ({ name: b.name, created: new Date(Number(b.created)) }));
  }

  async deleteBucket(name: string): Promise<void> {
    await this.metainfo({ deleteBucket: { name } });
  }

  // ---- upload

  async upload(bucket: string, key: string, source: Source, options: UploadOptions = {}): Promise<ObjectStat> {
    const begun = (await this.metainfo({ beginObject: { bucket, key, metadata: new Uint8Array(0), encryption: ENCRYPTION_NAME, expires: 0n } })).beginObject!;
    const { streamId } = begun;
    const scheme = begun.scheme!;
    const maxInline = Number(begun.maxInline);
    let uploaded = 0;
    let index = 0;
    for await (const { data, last } of segmentsOf(source, this.segmentSize)) {
      options.signal?.throwIfAborted();
      const segKey = segmentKey(this.access.secret, bucket, key, index);
      if (index === 0 && last && data.length + ENCRYPTION_OVERHEAD <= maxInline) {
        const sealed = encryptSegment(segKey, data);
        await this.metainfo({ commitInlineSegment: { streamId, index, plainSize: BigInt(data.length), data: sealed as Uint8Array<ArrayBuffer> } });
      } else {
        await this.uploadSegment(streamId, index, data, segKey, scheme, options);
      }
      uploaded += data.length;
      options.onProgress?.(uploaded);
      index++;
    }
    const done = await this.metainfo({ commitObject: { streamId } });
    return { bucket, key, size: Number(done.commitObject!.size), created: new Date(), segments: index };
  }

  private async uploadSegment(streamId: string, index: number, plain: Uint8Array, segKey: Uint8Array, scheme: RedundancyScheme, options: UploadOptions): Promise<void> {
    const plainSize = plain.length;
    const k = scheme.minimum;
    const pieceSize = Math.ceil((plainSize + ENCRYPTION_OVERHEAD) / k);
    // The sealed segment is written straight into the data shares, parity right after them.
    const need = pieceSize * scheme.total;
    if (!this.shareBuffer || this.shareBuffer.length < need) this.shareBuffer = new Uint8Array(need);
    const buffer = this.shareBuffer;
    const sealedEnd = encryptSegment(segKey, plain, buffer).length;
    buffer.fill(0, sealedEnd, pieceSize * k);
    const shares = Array.from({ length: scheme.total }, (_, i) => buffer.subarray(i * pieceSize, (i + 1) * pieceSize));
    this.codec(scheme).encode(shares.slice(0, k), shares.slice(k));
    const begun = (await this.metainfo({ beginSegment: { streamId, index, pieceSize: BigInt(pieceSize) } })).beginSegment!;
    const receipts = new Map<number, SignedPieceReceipt>();
    let orders: AddressedOrder[] = begun.orders;
    const rounds = options.replacementRounds ?? 2;
    const failures: string[] = [];
    for (let round = 0; ; round++) {
      await this.uploadShares(orders, shares, scheme.success, receipts, failures, options.signal);
      if (receipts.size >= scheme.success) break;
      const missing = Array.from({ length: scheme.total }, (_, n) => n).filter((n) => !receipts.has(n));
      if (round >= rounds) {
        throw new ClientError(ClientErrorCode.UploadFailed, `segment ${index}: ${receipts.size} of ${scheme.success} pieces stored (${failures.slice(-5).join('; ')})`);
      }
      try {
        orders = (await this.metainfo({ replacementOrders: { streamId, index, pieceNumbers: missing.slice(0, scheme.success - receipts.size + 1) } })).replacementOrders!.orders;
      } catch (err) {
        throw new ClientError(ClientErrorCode.UploadFailed, `segment ${index}: ${receipts.size} of ${scheme.success} pieces stored, and no replacement nodes: ${(err as Error).message}`, { cause: err });
      }
    }
    await this.metainfo({ commitSegment: { streamId, index, plainSize: BigInt(plainSize), receipts: [...receipts.values()] } });
  }

  /** Uploads in parallel; once `success` receipts are in, the rest are cancelled (long tail). */
  private async uploadShares(
    orders: AddressedOrder[],
    shares: Uint8Array[],
    success: number,
    receipts: Map<number, SignedPieceReceipt>,
    failures: string[],
    signal?: AbortSignal
  ): Promise<void> {
    const streams = new Set<Stream>();
    let cancelled = false;
    await Promise.all(
      orders.map(async (o) => {
        let stream: Stream | undefined;
        try {
          const ma = multiaddr(o.addresses[0] ?? '/ip4/0.0.0.0/tcp/0').encapsulate(`/p2p/${o.nodeId}`);
          stream = await this.libp2p.dialProtocol(ma, PROTOCOL_UPLOAD, { signal: AbortSignal.any([AbortSignal.timeout(this.pieceTimeoutMs), ...(signal ? [signal] : [])]) });
          if (cancelled) return stream.abort(new Error('long tail cancelled'));
          streams.add(stream);
          const share = shares[o.pieceNumber]!;
          const receipt = await uploadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature }, share.length, [share], { idleTimeoutMs: this.pieceTimeoutMs });
          receipts.set(o.pieceNumber, receipt);
          if (receipts.size >= success && !cancelled) {
            cancelled = true;
            for (const s of streams) if (s !== stream) s.abort(new Error('long tail cancelled'));
          }
        } catch (err) {
          if (!cancelled) failures.push(`${o.nodeId.slice(-8)}: ${(err as Error).message}`);
        } finally {
          if (stream) streams.delete(stream);
        }
      })
    );
  }

  // ---- download

  async stat(bucket: string, key: string): Promise<ObjectStat> {
    return toStat((await this.metainfo({ getObject: { bucket, key } })).getObject!.object!);
  }

  /** The object's bytes (or a range of them) as a stream of chunks. */
  download(bucket: string, key: string, options: DownloadOptions = {}): AsyncIterable<Uint8Array> {
    return this.downloadGenerator(bucket, key, options);
  }

  /** The same as a Node Readable. */
  downloadStream(bucket: string, key: string, options: DownloadOptions = {}): Readable {
    return Readable.from(this.downloadGenerator(bucket, key, options), { objectMode: false });
  }

  private async *downloadGenerator(bucket: string, key: string, options: DownloadOptions): AsyncGenerator<Uint8Array> {
    const got = (await this.metainfo({ getObject: { bucket, key } })).getObject!;
    const size = Number(got.object!.size);
    const offset = options.offset ?? 0;
    const length = options.length ?? size - offset;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
      throw new ClientError(ClientErrorCode.RangeInvalid, `range ${offset}+${length} is outside the object's ${size} bytes`);
    }
    let start = 0;
    for (const seg of got.segments) {
      const plainSize = Number(seg.plainSize);
      const end = start + plainSize;
      if (end > offset && start < offset + length) {
        options.signal?.throwIfAborted();
        const plain = await this.fetchSegment(bucket, key, seg, options.signal);
        const from = Math.max(0, offset - start);
        const to = Math.min(plainSize, offset + length - start);
        if (to > from) yield plain.subarray(from, to);
      }
      start = end;
      if (start >= offset + length) break;
    }
  }

  private async fetchSegment(bucket: string, key: string, seg: SegmentInfo, signal?: AbortSignal): Promise<Uint8Array> {
    const segKey = segmentKey(this.access.secret, bucket, key, seg.index);
    if (seg.inline.length > 0) return decryptSegment(segKey, seg.inline);
    const scheme = seg.scheme!;
    const k = scheme.minimum;
    const pieceSize = Number(seg.pieceSize);
    const good = new Map<number, Uint8Array>();
    const problems: string[] = [];
    const streams = new Set<Stream>();
    let enough = false;
    await Promise.all(
      seg.pieces.map(async (p: PieceDownload) => {
        const o = p.order!;
        let stream: Stream | undefined;
        try {
          const ma = multiaddr(o.addresses[0] ?? '/ip4/0.0.0.0/tcp/0').encapsulate(`/p2p/${o.nodeId}`);
          stream = await this.libp2p.dialProtocol(ma, PROTOCOL_DOWNLOAD, { signal: AbortSignal.any([AbortSignal.timeout(this.pieceTimeoutMs), ...(signal ? [signal] : [])]) });
          if (enough) return stream.abort(new Error('enough pieces'));
          streams.add(stream);
          const bytes = new Uint8Array(pieceSize);
          let n = 0;
          for await (const chunk of downloadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature }, {}, { idleTimeoutMs: this.pieceTimeoutMs })) {
            if (n + chunk.length > pieceSize) throw new ProtocolError('PIECE_TOO_LARGE', `node sent more than ${pieceSize} bytes`);
            bytes.set(chunk, n);
            n += chunk.length;
          }
          if (n !== pieceSize || Buffer.compare(pieceRoot(bytes), p.root) !== 0) {
            throw new ProtocolError('PIECE_CORRUPT', 'piece does not match its Merkle root');
          }
          if (!enough) good.set(o.pieceNumber, bytes);
          if (good.size >= k && !enough) {
            enough = true;
            for (const s of streams) if (s !== stream) s.abort(new Error('enough pieces'));
          }
        } catch (err) {
          if (!enough) problems.push(`${o.nodeId.slice(-8)}: ${(err as { code?: string }).code ?? ''} ${(err as Error).message}`);
        } finally {
          if (stream) streams.delete(stream);
        }
      })
    );
    if (good.size < k) {
      throw new ClientError(
        ClientErrorCode.NotEnoughPieces,
        `segment ${seg.index}: ${good.size} good pieces found of the ${k} needed (${seg.pieces.length} asked for; ${problems.slice(0, 5).join('; ')})`
      );
    }
    // With every data share in hand there is nothing to decode; otherwise rebuild from any k.
    let data: Uint8Array[];
    if (Array.from({ length: k }, (_, n) => good.has(n)).every(Boolean)) {
      data = Array.from({ length: k }, (_, n) => good.get(n)!);
    } else {
      const shards: (Uint8Array | null)[] = Array.from({ length: scheme.total }, (_, n) => good.get(n) ?? null);
      data = this.codec(scheme).reconstruct(shards).slice(0, k);
    }
    good.clear();
    const sealed = new Uint8Array(k * pieceSize);
    for (let i = 0; i < k; i++) sealed.set(data[i]!, i * pieceSize);
    return decryptSegment(segKey, sealed.subarray(0, Number(seg.plainSize) + ENCRYPTION_OVERHEAD));
  }

  // ---- listing and deletion

  /** Pages of objects (and, with a delimiter, common prefixes). */
  async *list(bucket: string, options: { prefix?: string; delimiter?: string; pageSize?: number } = {}): AsyncGenerator<{ objects: ObjectStat[]; prefixes: string[] }> {
    let cursor = '';
    for (;;) {
      const page = (await this.metainfo({ listObjects: { bucket, prefix: options.prefix ?? '', delimiter: options.delimiter ?? '', cursor, limit: options.pageSize ?? 0 } })).listObjects!;
      yield { objects: page.objects.map(toStat), prefixes: page.prefixes };
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.metainfo({ deleteObject: { bucket, key } });
  }
}
