// The client library: `Stowage.connect(access)`, then buckets and objects. Uploads and downloads
// are pipelines of their own (upload.ts, download.ts); this class holds what they share: the
// libp2p host and the erasure codecs (and worker pools, when asked for).
import '../shims/promise-with-resolvers.js';
import type { Libp2p, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { Readable } from 'node:stream';
import { createCodec, createCodecPool, type CodecPool, type ErasureCodec } from '../erasure/index.js';
import { createHost, FramedStream, MetainfoRequest, MetainfoResponse, PARTS_ROOT_BYTES, PROTOCOL_METAINFO, ProtocolErrorCode, type ObjectInfo, type RedundancyScheme } from '../protocol/index.js';
import { isStowageError } from '../common/index.js';
import { parseAccess, type Access } from './access.js';
import type { ClientContext } from './context.js';
import { ENCRYPTION_NAME_V3, openObjectKey, openObjectMetadata } from './crypto.js';
import { abortMultipart, beginMultipart, completeMultipart, listParts, listUploads, partRange, uploadPart, type PartStat, type PartUploadOptions, type UploadListing } from './multipart.js';
import { downloadObject, objectVersion, type DownloadOptions } from './download.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { checkExpansion, DEFAULT_MAX_EXPANSION } from './redundancy.js';
import type { Source } from './segments.js';
import { uploadObject, type ParityCoder, type UploadOptions } from './upload.js';

export type { DownloadOptions } from './download.js';
export type { UploadOptions } from './upload.js';

export interface ClientOptions {
  /** Plaintext bytes per segment. Default 64 MiB. */
  segmentSize?: number;
  /** How long one piece transfer may take. Default 60 s. */
  pieceTimeoutMs?: number;
  /** Nodes asked for a segment's pieces beyond the k needed. Default 1. */
  downloadMargin?: number;
  /**
   * Worker threads erasure-coding uploads; 0 (the default) codes on the calling thread. On a
   * 2-core machine shared with the nodes the pool made uploads slower (53 against 75 MB/s) and
   * cost 90 MiB of memory; on a machine with cores to spare it takes the coding off the event loop.
   */
  codecThreads?: number;
  /**
   * Most pieces per data piece (n / k of the satellite's redundancy scheme) an upload or download
   * takes on; a scheme beyond it is refused with REDUNDANCY_REFUSED before anything is allocated.
   * Default 4 (Storj's 29/110 is 3.8): what a read of a segment that does not open may hold.
   */
  maxExpansion?: number;
  /**
   * Object format v4 for uploads: pieces striped (a stripe of k shares of 64 KiB at a time), and a
   * source uploaded with its size (`sizeHint`) sealed and sent as it is read, never held whole
   * (client memory: the sender's ring, about 8 MiB, not a 64 MiB segment), and read back stripe
   * by stripe. Every reader of this version reads both formats. Default true; false writes v2
   * (pieces are k consecutive slices of the segment), for readers older than format v4.
   */
  stripedUploads?: boolean;
  /**
   * A libp2p host to share (a gateway serving many accesses uses one); close() leaves it running.
   * Default: a host of this client's own, stopped by close().
   */
  host?: Libp2p;
}

export interface ObjectStat {
  bucket: string;
  key: string;
  size: number;
  created: Date;
  segments: number;
  /** This version of the object (another upload to the key makes another); see DownloadOptions.version. */
  version: string;
  /** For an object completed from parts: how many. */
  parts?: number;
  /** The metadata the upload gave (opened; the satellite holds it sealed), when it gave any. */
  metadata?: Uint8Array;
  /** In a listing: the object has metadata this access cannot open (another access's secret). */
  metadataUnreadable?: boolean;
}

export const DEFAULT_SEGMENT_SIZE = 64 * 1024 * 1024;
/** How long a request refused RATE_LIMITED is retried before the error is the caller's. */
export const RATE_LIMIT_PATIENCE_MS = 60_000;
export const DEFAULT_DOWNLOAD_MARGIN = 1;

/**
 * An object's record as the client shows it, its metadata opened with the access's secret. In a
 * listing (`tolerant`), metadata that does not open (another access's object in the same
 * project, say) is left out and flagged rather than failing the page (review 17 M4).
 */
function toStat(o: ObjectInfo, secret: Uint8Array, tolerant = false): ObjectStat {
  const stat: ObjectStat = { bucket: o.bucket, key: o.key, size: Number(o.size), created: new Date(Number(o.created)), segments: o.segmentCount, version: objectVersion(o) };
  if (o.partCount) stat.parts = o.partCount;
  if (o.metadata.length > 0 && o.encryptedKey && o.encryptedKey.length > 0) {
    let opened: Uint8Array;
    try {
      opened = openObjectMetadata(openObjectKey(secret, o.bucket, o.key, o.encryptedKey), o.metadata);
    } catch (err) {
      if (!tolerant) throw err;
      stat.metadataUnreadable = true;
      return stat;
    }
    // An object completed from parts keeps the digest of its parts first (see crypto.ts, v3).
    const user = o.encryption === ENCRYPTION_NAME_V3 ? opened.subarray(PARTS_ROOT_BYTES) : opened;
    if (user.length > 0) stat.metadata = user;
  }
  return stat;
}
const schemeId = (s: RedundancyScheme): string => `${s.minimum}/${s.total}`;
/** Codecs kept, one per redundancy scheme, least recently used dropped first. */
const MAX_CACHED_CODECS = 8;

export class Stowage {
  private readonly codecs = new Map<string, ErasureCodec>();
  private readonly pools = new Map<string, CodecPool>();
  private readonly ctx: ClientContext;

  private constructor(
    access: Access,
    libp2p: Libp2p,
    private readonly options: Required<Omit<ClientOptions, 'host'>>,
    private readonly ownsHost: boolean
  ) {
    this.ctx = {
      libp2p,
      secret: access.secret,
      pieceTimeoutMs: options.pieceTimeoutMs,
      metainfo: (req) => this.metainfo(access, libp2p, req)
    };
  }

  static async connect(accessText: string, options: ClientOptions = {}): Promise<Stowage> {
    const access = parseAccess(accessText);
    if (options.maxExpansion !== undefined && !(Number.isFinite(options.maxExpansion) && options.maxExpansion >= 1)) {
      throw new ClientError('CLIENT_OPTION_INVALID', `maxExpansion must be a number of at least 1, not ${String(options.maxExpansion)}`);
    }
    const libp2p = options.host ?? (await createHost());
    const settings = {
      segmentSize: options.segmentSize ?? DEFAULT_SEGMENT_SIZE,
      pieceTimeoutMs: options.pieceTimeoutMs ?? 60_000,
      downloadMargin: options.downloadMargin ?? DEFAULT_DOWNLOAD_MARGIN,
      codecThreads: options.codecThreads ?? 0,
      maxExpansion: options.maxExpansion ?? DEFAULT_MAX_EXPANSION,
      stripedUploads: options.stripedUploads ?? true
    };
    return new Stowage(access, libp2p, settings, options.host === undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
    if (this.ownsHost) await this.ctx.libp2p.stop();
  }

  /**
   * One metainfo request; RATE_LIMITED answers (refused before the satellite did anything) are
   * waited out as the satellite says ("try again in N s") and sent again, for up to
   * RATE_LIMIT_PATIENCE_MS in all: a burst of small segments may pass the per-IP rate, which the
   * client should slow down for, not fail.
   */
  private async metainfo(access: Access, libp2p: Libp2p, req: Partial<MetainfoRequest>): Promise<MetainfoResponse> {
    const started = Date.now();
    for (;;) {
      try {
        return await this.metainfoOnce(access, libp2p, req);
      } catch (err) {
        if (!(err instanceof ClientError) || err.code !== 'RATE_LIMITED') throw err;
        const seconds = Number(/try again in (\d+) s/.exec(err.message)?.[1] ?? 1);
        const waitMs = Math.min(10_000, Math.max(100, seconds * 1000));
        if (Date.now() - started + waitMs > RATE_LIMIT_PATIENCE_MS) throw err;
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  private async metainfoOnce(access: Access, libp2p: Libp2p, req: Partial<MetainfoRequest>): Promise<MetainfoResponse> {
    let stream: Stream;
    try {
      // Several addresses (comma-separated) of one satellite id: processes sharing its identity;
      // the dial keeps the first that connects.
      const ma = access.satelliteAddress.split(',').map((a) => multiaddr(a.trim()).encapsulate(`/p2p/${access.satelliteId}`));
      const dial = (): Promise<Stream> => libp2p.dialProtocol(ma, PROTOCOL_METAINFO, { signal: AbortSignal.timeout(15_000) });
      // A process of several that just died may still hold the connection libp2p hands out: one
      // more dial (nothing was sent yet) reaches another once that connection is seen closed.
      stream = ma.length > 1 ? await dial().catch(async () => new Promise((r) => setTimeout(r, 250)).then(dial)) : await dial();
    } catch (err) {
      throw new ClientError(ClientErrorCode.SatelliteUnreachable, `the satellite cannot be reached: ${errorText(err)}`, { cause: err });
    }
    const framed = new FramedStream(stream, { idleTimeoutMs: 60_000 });
    let res: MetainfoResponse;
    try {
      await framed.write(MetainfoRequest, { apiKey: access.apiKey, ...req });
      res = await framed.expect(MetainfoResponse, 'answer');
    } catch (err) {
      // The satellite went away mid-request (killed, restarted, the connection dropped, or no
      // answer in time): to the caller the same as not reaching it. Unlike a failed dial, the
      // request may have been carried out (a delete retried may then find OBJECT_NOT_FOUND).
      // Only the transport's failures: an error of this client's own (a request that does not
      // encode, say) is not the satellite's absence, and retrying it would loop.
      const code = (err as { code?: unknown }).code;
      const transport = isStowageError(err) ? code === ProtocolErrorCode.Closed || code === ProtocolErrorCode.Timeout : /Stream|Connection|Abort|Reset|Mux|Timeout/.test((err as Error).name ?? '');
      if (transport) {
        throw new ClientError(ClientErrorCode.SatelliteUnreachable, `the satellite did not answer: ${errorText(err)}`, { cause: err });
      }
      throw err;
    } finally {
      await framed.closeWrite().catch(() => undefined);
    }
    if (res.error) throw new ClientError(res.error.code, res.error.message);
    return res;
  }

  private codec(scheme: RedundancyScheme): ErasureCodec {
    const id = schemeId(scheme);
    let c = this.codecs.get(id);
    if (c) {
      this.codecs.delete(id);
    } else {
      // A few schemes at once, least recently used dropped: each codec caches decode matrices, and
      // the schemes are the satellite's to name.
      if (this.codecs.size >= MAX_CACHED_CODECS) this.codecs.delete(this.codecs.keys().next().value!);
      c = createCodec({ dataShards: scheme.minimum, parityShards: scheme.total - scheme.minimum });
    }
    this.codecs.set(id, c);
    return c;
  }

  /** Coding calls this client ran on its worker pools so far (small ones run on the calling thread). */
  get pooledCodecCalls(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.pooledCalls;
    return n;
  }

  private pool(scheme: RedundancyScheme): CodecPool {
    const id = schemeId(scheme);
    let p = this.pools.get(id);
    if (!p) {
      p = createCodecPool({ dataShards: scheme.minimum, parityShards: scheme.total - scheme.minimum, threads: this.options.codecThreads });
      this.pools.set(id, p);
    }
    return p;
  }

  private coder(scheme: RedundancyScheme): ParityCoder {
    checkExpansion(scheme, this.options.maxExpansion, 'upload');
    if (this.options.codecThreads > 0) {
      return { shared: true, encode: (data, into) => this.pool(scheme).encode(data, into), encodeRows: (data, rows, into) => this.pool(scheme).encodeRows(data, rows, into) };
    }
    return { shared: false, encode: (data, into) => this.codec(scheme).encode(data, into), encodeRows: (data, rows, into) => this.codec(scheme).encodeRows(data, rows, into) };
  }

  // ---- buckets

  async createBucket(name: string): Promise<void> {
    await this.ctx.metainfo({ createBucket: { name } });
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    const res = await this.ctx.metainfo({ listBuckets: {} });
    return (res.listBuckets?.buckets ?? []).map((b) => ({ name: b.name, created: new Date(Number(b.created)) }));
  }

  async deleteBucket(name: string): Promise<void> {
    await this.ctx.metainfo({ deleteBucket: { name } });
  }

  // ---- objects

  async upload(bucket: string, key: string, source: Source, options: UploadOptions = {}): Promise<ObjectStat> {
    const plan = {
      ctx: this.ctx,
      bucket,
      key,
      segmentSize: this.options.segmentSize,
      coder: (s: RedundancyScheme) => this.coder(s),
      striped: this.options.stripedUploads
    };
    const done = await uploadObject(plan, source, options);
    return { bucket, key, size: done.size, created: new Date(), segments: done.segments, version: done.version, ...(done.metadata ? { metadata: done.metadata } : {}) };
  }

  async stat(bucket: string, key: string): Promise<ObjectStat> {
    return toStat((await this.ctx.metainfo({ getObject: { bucket, key, statOnly: true } })).getObject!.object!, this.ctx.secret);
  }

  /** The object's bytes (or a range of them) as a stream of chunks. */
  download(bucket: string, key: string, options: DownloadOptions = {}): AsyncIterable<Uint8Array> {
    return downloadObject({ ctx: this.ctx, bucket, key, margin: this.options.downloadMargin, maxExpansion: this.options.maxExpansion, codec: (s) => this.codec(s) }, options);
  }

  /** The same as a Node Readable. */
  downloadStream(bucket: string, key: string, options: DownloadOptions = {}): Readable {
    return Readable.from(this.download(bucket, key, options), { objectMode: false });
  }

  /**
   * Where part `partNumber` of an object completed from parts lies in it, proved against the
   * object's parts tree (OBJECT_TAMPERED otherwise; PART_NOT_FOUND when it has none such).
   */
  partRange(bucket: string, key: string, partNumber: number): Promise<{ offset: number; size: number }> {
    return partRange(this.ctx, bucket, key, partNumber);
  }

  // ---- multipart uploads (format v3: see multipart.ts)

  /** Begins a multipart upload of bucket/key; its id names it from then on. */
  beginMultipart(bucket: string, key: string, metadata?: Uint8Array): Promise<string> {
    return beginMultipart(this.ctx, bucket, key, metadata);
  }

  /** Uploads one part (1 to 10000) from the source, straight into segments; again under a number replaces it. */
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, source: Source, options: PartUploadOptions = {}): Promise<PartStat> {
    return uploadPart({ ctx: this.ctx, segmentSize: this.options.segmentSize, coder: (s) => this.coder(s) }, bucket, key, uploadId, partNumber, source, options);
  }

  /** The upload's parts by number, above `after`, and the metadata it was begun with. */
  listParts(bucket: string, key: string, uploadId: string, options: { after?: number; limit?: number } = {}): Promise<{ parts: PartStat[]; more: boolean; metadata?: Uint8Array }> {
    return listParts(this.ctx, bucket, key, uploadId, options);
  }

  /** Commits the object from these parts (ascending numbers), with `metadata` as an upload's. */
  completeMultipart(bucket: string, key: string, uploadId: string, parts: readonly Pick<PartStat, 'number' | 'streamId' | 'size' | 'salt'>[], metadata?: Uint8Array) {
    return completeMultipart(this.ctx, bucket, key, uploadId, parts, metadata);
  }

  abortMultipart(uploadId: string, of?: { bucket: string; key: string }): Promise<void> {
    return abortMultipart(this.ctx, uploadId, of);
  }

  listUploads(bucket: string, options: { prefix?: string; keyMarker?: string; uploadMarker?: string; limit?: number } = {}): Promise<{ uploads: UploadListing[]; more: boolean }> {
    return listUploads(this.ctx, bucket, options);
  }

  // ---- listing and deletion

  /**
   * One page of a listing: objects and (with a delimiter) common prefixes in key order, after
   * `cursor` (a nextCursor of an earlier page; empty: from the start), at most `limit` entries (0:
   * as many as the satellite gives). nextCursor is empty after the last page.
   */
  async listPage(bucket: string, options: { prefix?: string; delimiter?: string; cursor?: string; limit?: number } = {}): Promise<{ objects: ObjectStat[]; prefixes: string[]; nextCursor: string }> {
    const page = (await this.ctx.metainfo({ listObjects: { bucket, prefix: options.prefix ?? '', delimiter: options.delimiter ?? '', cursor: options.cursor ?? '', limit: options.limit ?? 0 } })).listObjects!;
    return { objects: page.objects.map((o) => toStat(o, this.ctx.secret, true)), prefixes: page.prefixes, nextCursor: page.nextCursor };
  }

  /** Pages of objects (and, with a delimiter, common prefixes). */
  async *list(bucket: string, options: { prefix?: string; delimiter?: string; pageSize?: number } = {}): AsyncGenerator<{ objects: ObjectStat[]; prefixes: string[] }> {
    let cursor = '';
    for (;;) {
      const page = await this.listPage(bucket, { ...options, cursor, limit: options.pageSize ?? 0 });
      yield { objects: page.objects, prefixes: page.prefixes };
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.ctx.metainfo({ deleteObject: { bucket, key } });
  }
}

/** An error's message, or what names it when it has none (libp2p's AggregateError of every address tried). */
function errorText(err: unknown): string {
  const e = err as { message?: string; name?: string; errors?: unknown[] };
  if (e?.message) return e.message;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return e.errors.map(errorText).join('; ');
  return e?.name ?? String(err);
}
