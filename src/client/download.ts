// The download pipeline. The satellite answers an object's segments in pages (each message under
// the frame limit); for each segment it asks k + margin nodes at once (data pieces first, so
// usually nothing needs decoding), hashes every piece as it arrives and checks it against the root
// the uploader signed, starts another node whenever one fails or sends bad bytes (asking the
// satellite for orders for every piece once the first ones run out), and stops the rest at the
// first k good pieces. Segments of format v2 are sealed in authenticated blocks bound to the
// object's version, the segment's index and place and whether it is the last one: a segment that
// does not open is fetched whole and decoded from other subsets of its pieces before the download
// fails with OBJECT_TAMPERED. Nodes that sent bad bytes are reported to the satellite, which
// audits them next. Pieces land in one reused buffer, and plaintext comes out block by block as
// the consumer asks, each block only after it authenticated. The next segment is fetched while the
// consumer works on the current one: into the spare buffers at once, and into a data piece's place
// in the buffer once the consumer has passed it (so a download holds about one segment, not three).
import { createHash } from 'node:crypto';
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PrivateKey, Stream } from '@libp2p/interface';
import type { ErasureCodec } from '../erasure/index.js';
import { PieceHasher, equalHashes } from '../merkle/index.js';
import { PARTS_ROOT_BYTES, PROTOCOL_DOWNLOAD, ProtocolError, ProtocolErrorCode, downloadPiece, verifyPartProof, type GetObjectResponse, type ObjectInfo, type PieceDownload, type RedundancyScheme, type SegmentInfo } from '../protocol/index.js';
import { describeFailure, dialForOrder, type ClientContext } from './context.js';
import {
  type OpenedBlock,
  type SegmentPosition,
  ENCRYPTION_NAME,
  ENCRYPTION_NAME_V2,
  ENCRYPTION_NAME_V3,
  ENCRYPTION_NAME_V4,
  BLOCK_SIZE,
  ENCRYPTION_OVERHEAD,
  SEALED_BLOCK_SIZE,
  type SealedBytes,
  TAG_BYTES,
  decryptSegmentSlices,
  openObjectKey,
  openObjectMetadata,
  openSegment,
  openSegmentBlocks,
  partContentKey,
  sealedSizeOf,
  segmentKey,
  type ObjectKey
} from './crypto.js';
import { checkExpansion } from './redundancy.js';
import { StripedSegment } from './striped-read.js';
import { STRIPE_SHARE_BYTES, gatherStripes, piecePosition, stripeLayout, type StripeLayout } from './stripes.js';
import { ClientError, ClientErrorCode } from './errors.js';

export interface DownloadOptions {
  offset?: number;
  length?: number;
  signal?: AbortSignal;
  /**
   * The version of the object expected (an ObjectStat's `version`): when the key now holds
   * another, the download fails OBJECT_CHANGED before a byte is read.
   */
  version?: string;
  /**
   * The range (offset, length) is part `part` of an object completed from parts, as
   * `partRange` says: the read fails OBJECT_TAMPERED unless it is exactly that part, proved.
   */
  part?: number;
  /**
   * The largest segment (plaintext bytes) this read takes on: a download holds about one of its
   * segments' size at once (its data pieces, the next segment's taking their places as the consumer
   * passes them) and the margin's pieces; a segment that does not open, n / k + 2 segments' worth
   * while it is retried (up to 6 at the default maxExpansion). The uploader chose that size, up to
   * k x the nodes' largest piece. A larger segment fails
   * SEGMENT_TOO_LARGE before anything is fetched for it. Default: no limit.
   */
  maxSegmentBytes?: number;
}

export interface DownloadPlan {
  ctx: ClientContext;
  bucket: string;
  key: string;
  /** Nodes asked beyond the k needed, so one slow or bad node does not hold a segment up. */
  margin: number;
  /** Most pieces per data piece (n / k) this read takes on: see redundancy.ts. */
  maxExpansion: number;
  codec: (scheme: RedundancyScheme) => ErasureCodec;
}

/**
 * Subsets of k good pieces tried on a segment that does not open before giving up: bounded, as
 * C(n, k) is not; the first subsets differ from the first attempt's in one piece each.
 */
export const MAX_DECODE_SUBSETS = 64;

/**
 * Where pieces land: the data pieces side by side (so together they are the sealed segment). The
 * segment being read holds the region up to where its consumer has got: the next segment's data
 * pieces wait for their places (whenFree) before they are asked for, so a node is never kept
 * waiting on a slow consumer with a stream open.
 */
class PieceBuffers {
  private data = new Uint8Array(0);
  private readonly spares: Uint8Array[] = [];
  /** The region read now and how far its bytes are no longer needed; undefined: none is read. */
  private held: { buffer: ArrayBufferLike; upTo: number } | undefined;
  private waiters: { buffer: ArrayBufferLike; end: number; resolve: () => void }[] = [];

  /** A segment in `region` is read from now on (undefined: one without a region, inline). */
  hold(region: Uint8Array | undefined): void {
    this.held = region ? { buffer: region.buffer, upTo: 0 } : undefined;
    this.wake();
  }

  /** The reader no longer needs the held region's bytes before `upTo`. */
  advance(upTo: number): void {
    if (this.held && upTo > this.held.upTo) {
      this.held.upTo = upTo;
      this.wake();
    }
  }

  /** Resolves once bytes [0, end) of `region` are not held by a reader (rejects on `signal`). */
  whenFree(region: Uint8Array, end: number, signal: AbortSignal): Promise<void> {
    if (this.isFree(region.buffer, end)) return Promise.resolve();
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const waiter = {
        buffer: region.buffer,
        end,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal.reason instanceof Error ? signal.reason : new Error('the wait for a place in the buffers was aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private isFree(buffer: ArrayBufferLike, end: number): boolean {
    return !this.held || this.held.buffer !== buffer || this.held.upTo >= end;
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.isFree(w.buffer, w.end));
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

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

/** How the object's segments are opened: format v1 (a key per segment) or v2 (sealed blocks). */
type Opener = (seg: SegmentInfo, sealed: Uint8Array) => Uint8Array[];

/** A segment's plaintext block by block as the reader asks (from plaintext byte `from` of it). */
type BlockOpener = (seg: SegmentInfo, sealed: SealedBytes, from: number) => Iterable<OpenedBlock>;

interface Format {
  /** Opens a segment whole (the retry of other subsets needs to know it opens before giving any). */
  opener: Opener;
  /** Opens a segment block by block as the reader asks: what a read uses. */
  blocks: BlockOpener;
  sealedSize: (plainSize: number) => number;
  /** Pieces striped (format v4): piece i is share i of each stripe of k shares. */
  striped?: boolean;
  /** The object's size as the satellite says it. */
  size: number;
  /** Sees each segment in order, before it is opened. */
  observe?: (seg: SegmentInfo) => void;
  /** A read of the whole object is about to release its last segment: checks what only the whole shows. */
  finish?: () => void;
}

/**
 * Format v3 (parts): each segment opens under its part's key at its place in the part, and the
 * first segment met of each part proves that part (number, size, salt, place in the object) is a
 * leaf of the parts tree whose root the object's metadata seals: any range, not only a whole read,
 * holds only the parts the object was completed from, each where it belongs. With `part`, the
 * range read must be that part, whole.
 */
function partsFormat(plan: DownloadPlan, object: ObjectInfo, range: { offset: number; end: number; part?: number }): Format {
  const size = Number(object.size);
  const count = object.partCount ?? 0;
  const key: ObjectKey = openObjectKey(plan.ctx.secret, plan.bucket, plan.key, object.encryptedKey ?? new Uint8Array(0));
  const tampered = (why: string): ClientError => new ClientError(ClientErrorCode.Tampered, `object ${plan.key.slice(0, 200)}: ${why}`);
  const sealed = object.metadata.length > 0 ? openObjectMetadata(key, object.metadata) : new Uint8Array(0);
  if (sealed.length < PARTS_ROOT_BYTES) throw tampered('its metadata holds no parts root');
  const root = sealed.subarray(0, PARTS_ROOT_BYTES);
  const keys = new Map<string, Uint8Array>();
  let current: { number: number; salt: Uint8Array; size: number; leaf: number; at: number; next: number; offset: number } | undefined;
  let first: number | undefined;
  return {
    size,
    sealedSize: sealedSizeOf,
    observe: (seg) => {
      const p = seg.part;
      if (!p) throw tampered(`segment ${seg.index} names no part`);
      const same = current !== undefined && current.leaf === p.leaf && current.number === p.number && equalHashes(current.salt, p.salt);
      if (!same) {
        if (current) {
          if (current.offset !== current.size) throw tampered(`part ${current.number} ends at ${current.offset} of its ${current.size} bytes`);
          if (p.leaf !== current.leaf + 1) throw tampered(`the part after leaf ${current.leaf} is leaf ${p.leaf}`);
        }
        if (p.index !== 0 && current) throw tampered(`part ${p.number} starts at its segment ${p.index}`);
        const place = { number: p.number, size: Number(p.size), offset: Number(p.partOffset), salt: p.salt };
        if (!verifyPartProof(root, count, p.leaf, place, p.proof)) throw tampered(`part ${p.number} is not one it was completed from, or not there`);
        if (range.part !== undefined && (p.number !== range.part || place.offset !== range.offset || place.offset + place.size !== range.end)) {
          throw tampered(`part ${range.part} was asked for at ${range.offset}..${range.end}; the satellite gave part ${p.number} at ${place.offset}..${place.offset + place.size}`);
        }
        first ??= p.leaf;
        current = { number: p.number, salt: p.salt, size: place.size, leaf: p.leaf, at: place.offset, next: Number(p.index), offset: Number(p.offset) };
      }
      if (Number(p.index) !== current!.next || Number(p.offset) !== current!.offset || Number(p.size) !== current!.size) throw tampered(`segment ${seg.index} is out of place in part ${p.number}`);
      if (Number(seg.plainOffset ?? 0n) !== current!.at + current!.offset) throw tampered(`segment ${seg.index} is at ${seg.plainOffset}, its part puts it at ${current!.at + current!.offset}`);
      current!.next++;
      current!.offset += Number(seg.plainSize);
    },
    finish: () => {
      // A whole read: from the first part to the last, each complete, ending at the object's size.
      if (first !== 0 || !current || current.leaf !== count - 1 || current.offset !== current.size || current.at + current.size !== size) {
        throw tampered('its parts do not cover it from the first to the last');
      }
    },
    opener: (seg, sealedSegment) => {
      const { k, pos } = placeInPart(seg);
      return openSegment(k, key.version, pos, sealedSegment);
    },
    blocks: (seg, sealedSegment, from) => {
      const { k, pos } = placeInPart(seg);
      return openSegmentBlocks(k, key.version, pos, sealedSegment, from);
    }
  };
  function placeInPart(seg: SegmentInfo): { k: Uint8Array; pos: SegmentPosition } {
    const p = seg.part!;
    const id = `${p.number}.${Buffer.from(p.salt).toString('hex')}`;
    let k = keys.get(id);
    if (!k) keys.set(id, (k = partContentKey(key.contentKey, p.number, p.salt)));
    const offset = Number(p.offset);
    const plainSize = Number(seg.plainSize);
    return { k, pos: { index: p.index, plainOffset: offset, plainSize, last: offset + plainSize === Number(p.size) } };
  }
}

function openerFor(plan: DownloadPlan, object: ObjectInfo, range: { offset: number; end: number; part?: number }): Format {
  const size = Number(object.size);
  if (object.encryption === ENCRYPTION_NAME_V3) return partsFormat(plan, object, range);
  if (object.encryption === ENCRYPTION_NAME_V2 || object.encryption === ENCRYPTION_NAME_V4) {
    const key: ObjectKey = openObjectKey(plan.ctx.secret, plan.bucket, plan.key, object.encryptedKey ?? new Uint8Array(0));
    const place = (seg: SegmentInfo): SegmentPosition => {
      const plainOffset = Number(seg.plainOffset ?? 0n);
      const plainSize = Number(seg.plainSize);
      // The last segment is the one that ends at the object's size: a satellite that cuts the
      // object short (or claims it longer) makes that flag wrong, and the block will not open.
      return { index: seg.index, plainOffset, plainSize, last: plainOffset + plainSize === size };
    };
    return {
      size,
      sealedSize: sealedSizeOf,
      striped: object.encryption === ENCRYPTION_NAME_V4,
      opener: (seg, sealed) => openSegment(key.contentKey, key.version, place(seg), sealed),
      blocks: (seg, sealed, from) => openSegmentBlocks(key.contentKey, key.version, place(seg), sealed, from)
    };
  }
  if (object.encryption === ENCRYPTION_NAME || object.encryption === '') {
    // A v1 object never had a wrapped key: one that has one was relabelled (a downgrade).
    if ((object.encryptedKey?.length ?? 0) > 0) throw new ClientError(ClientErrorCode.Tampered, `object ${plan.key.slice(0, 200)} has a wrapped key but claims the old format`);
    const opener: Opener = (seg, sealed) => {
      // v1 binds nothing but the segment's key: at least its length must be the one claimed.
      if (sealed.length !== Number(seg.plainSize) + ENCRYPTION_OVERHEAD) {
        throw new ClientError(ClientErrorCode.Tampered, `segment ${seg.index} holds ${sealed.length - ENCRYPTION_OVERHEAD} bytes, ${seg.plainSize} were claimed`);
      }
      return decryptSegmentSlices(segmentKey(plan.ctx.secret, plan.bucket, plan.key, seg.index), sealed);
    };
    return {
      size,
      sealedSize: (plainSize) => plainSize + ENCRYPTION_OVERHEAD,
      opener,
      // One tag for the whole segment: it is opened whole before anything is given.
      blocks: (seg, sealed) => {
        if (!(sealed instanceof Uint8Array)) throw new ClientError(ClientErrorCode.Tampered, `segment ${seg.index}: a v1 segment is never striped`);
        return asBlocks(opener(seg, sealed), sealed.length);
      }
    };
  }
  throw new ClientError(ClientErrorCode.Decrypt, `the object is in an encryption format this client does not know ('${object.encryption.slice(0, 64)}')`);
}

/** Slices of a segment opened whole, as blocks: the sealed bytes are all read already. */
function asBlocks(slices: Uint8Array[], sealedLength: number): OpenedBlock[] {
  let at = 0;
  return slices.map((plain) => {
    const block = { plain, plainAt: at, sealedEnd: sealedLength, tagAt: -1 };
    at += plain.length;
    return block;
  });
}

/** An object version's name: its commit time and a hash of its wrapped key (fresh per upload). */
export function objectVersion(o: { committed: bigint; encryptedKey?: Uint8Array }): string {
  return `${o.committed.toString(36)}.${createHash('sha256').update(o.encryptedKey ?? new Uint8Array(0)).digest('hex').slice(0, 16)}`;
}

/** Same object version on every page: a replaced object must not be read half old, half new. */
function sameVersion(a: ObjectInfo, b: ObjectInfo): boolean {
  return a.committed === b.committed && a.size === b.size && equalHashes(a.encryptedKey ?? new Uint8Array(0), b.encryptedKey ?? new Uint8Array(0));
}

export async function* downloadObject(plan: DownloadPlan, options: DownloadOptions): AsyncGenerator<Uint8Array> {
  try {
    yield* runDownload(plan, options);
  } catch (err) {
    if (options.signal?.aborted && !(err instanceof ClientError)) throw new ClientError(ClientErrorCode.Aborted, 'the download was aborted', { cause: err });
    throw err;
  }
}

/** The object's segments from the one holding `offset` on, page by page, checked for order. */
async function* segmentPages(plan: DownloadPlan, object: ObjectInfo, offset: number): AsyncGenerator<SegmentInfo> {
  const size = Number(object.size);
  const { ctx, bucket, key } = plan;
  let request: { firstSegment: number; offset: bigint } = { firstSegment: 0, offset: BigInt(offset) };
  let expectIndex: number | undefined;
  let expectOffset: number | undefined;
  for (;;) {
    const page: GetObjectResponse = (await ctx.metainfo({ getObject: { bucket, key, ...request } })).getObject!;
    if (!page.object || !sameVersion(page.object, object)) throw new ClientError(ClientErrorCode.ObjectChanged, `object ${key} was replaced while it was read`);
    if (page.segments.length === 0 && (page.more || expectIndex === undefined)) {
      throw new ClientError(ClientErrorCode.Tampered, `the satellite answered no segments of ${key} where some were due`);
    }
    for (const seg of page.segments) {
      const at = Number(seg.plainOffset ?? 0n);
      // The first segment must hold the byte asked for (an empty object: be its empty segment 0):
      // a page that starts late would silently drop the bytes before it.
      if (expectIndex === undefined && !(size === 0 ? at === 0 && seg.index === 0 : at <= offset && offset < at + Number(seg.plainSize))) {
        throw new ClientError(ClientErrorCode.Tampered, `the satellite answered segment ${seg.index} at ${at} for byte ${offset}`);
      }
      if ((expectIndex !== undefined && seg.index !== expectIndex) || (expectOffset !== undefined && at !== expectOffset)) {
        throw new ClientError(ClientErrorCode.Tampered, `the satellite answered segment ${seg.index} at ${at} where segment ${expectIndex} at ${expectOffset} was due`);
      }
      expectIndex = seg.index + 1;
      expectOffset = at + Number(seg.plainSize);
      yield seg;
    }
    if (!page.more) return;
    request = { firstSegment: page.nextSegment ?? expectIndex!, offset: 0n };
    if (request.firstSegment !== expectIndex) throw new ClientError(ClientErrorCode.Tampered, `the satellite's next page starts at segment ${request.firstSegment}, not ${expectIndex}`);
  }
}

async function* runDownload(plan: DownloadPlan, options: DownloadOptions): AsyncGenerator<Uint8Array> {
  const { ctx, bucket, key } = plan;
  const object = (await ctx.metainfo({ getObject: { bucket, key, statOnly: true } })).getObject!.object!;
  if (options.version !== undefined && objectVersion(object) !== options.version) throw new ClientError(ClientErrorCode.ObjectChanged, `object ${key} was replaced since it was looked at`);
  const size = Number(object.size);
  const offset = options.offset ?? 0;
  const length = options.length ?? size - offset;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new ClientError(ClientErrorCode.RangeInvalid, `range ${offset}+${length} is outside the object's ${size} bytes`);
  }
  const end = offset + length;
  const format = openerFor(plan, object, { offset, end, ...(options.part !== undefined ? { part: options.part } : {}) });
  if (options.part !== undefined && object.encryption !== ENCRYPTION_NAME_V3) throw new ClientError(ClientErrorCode.RangeInvalid, `object ${key.slice(0, 200)} was not completed from parts`);
  if (length === 0 && size > 0) return;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const buffers = new PieceBuffers();
  const pages = segmentPages(plan, object, Math.min(offset, Math.max(0, size - 1)));
  let reached = false;
  let yielded = 0;
  // The next segment the range touches, fetched (not yet opened).
  const fetchNext = async (gate?: Promise<void>): Promise<({ seg: SegmentInfo } & FetchedSegment) | undefined> => {
    if (reached) return undefined;
    const r = await pages.next();
    if (r.done) {
      if (size > 0) throw new ClientError(ClientErrorCode.Tampered, `the satellite's segments of ${key} end before byte ${end}`);
      return undefined;
    }
    const seg = r.value;
    if (options.maxSegmentBytes !== undefined && Number(seg.plainSize) > options.maxSegmentBytes) {
      throw new ClientError(ClientErrorCode.SegmentTooLarge, `segment ${seg.index} of ${key.slice(0, 200)} holds ${seg.plainSize} bytes, over this reader's limit of ${options.maxSegmentBytes}`);
    }
    const segEnd = Number(seg.plainOffset ?? 0n) + Number(seg.plainSize);
    if (segEnd >= end) {
      reached = true;
      // A read to the object's end must end with a segment that ends exactly there: that is the
      // segment whose blocks carry the last-segment flag, so a size cut short (or stretched) by
      // the satellite cannot pass.
      if (end === size && segEnd !== size) throw new ClientError(ClientErrorCode.Tampered, `the object is said to end at ${size}, inside segment ${seg.index} (${seg.plainOffset}..${segEnd})`);
    }
    format.observe?.(seg);
    return { seg, ...(await fetchSegment(plan, seg, format, buffers, signal, Math.max(0, offset - Number(seg.plainOffset ?? 0n)), gate)) };
  };
  try {
    let next: Promise<Awaited<ReturnType<typeof fetchNext>>> = fetchNext();
    next.catch(() => undefined);
    for (;;) {
      const got: Awaited<ReturnType<typeof fetchNext>> = await next;
      if (!got) break;
      // This segment's region is read from now on; the next segment's data pieces take their
      // places in it as the reader passes them.
      buffers.hold(got.region);
      next = fetchNext(got.nearEnd);
      next.catch(() => undefined);
      const segStart = Number(got.seg.plainOffset ?? 0n);
      const plainSize = Number(got.seg.plainSize);
      if (offset === 0 && end === size && segStart + plainSize === size) format.finish?.();
      let opened = -1;
      let cutShort = false;
      for await (const block of got.blocks(Math.max(0, offset - segStart))) {
        buffers.advance(got.freeUpTo ? got.freeUpTo(block.sealedEnd) : block.sealedEnd);
        const pos = segStart + block.plainAt;
        const slice = block.plain;
        opened = block.plainAt + slice.length;
        const from = Math.max(0, offset - pos);
        const to = Math.min(slice.length, end - pos);
        if (to > from) {
          yielded += to - from;
          yield from === 0 && to === slice.length ? slice : slice.subarray(from, to);
        }
        // A range that ends inside the segment: the blocks after it are not opened (nor retried).
        if (pos + slice.length >= end && opened < plainSize) {
          cutShort = true;
          break;
        }
      }
      buffers.hold(undefined);
      if (!cutShort && opened !== plainSize && !(opened === -1 && plainSize === 0)) {
        throw new ClientError(ClientErrorCode.Tampered, `segment ${got.seg.index} opened to ${Math.max(0, opened)} bytes, ${got.seg.plainSize} were claimed`);
      }
    }
    // Whatever the satellite said, a read returns exactly the bytes asked for or fails.
    if (yielded !== length) throw new ClientError(ClientErrorCode.Tampered, `the object gave ${yielded} of the ${length} bytes asked for`);
  } finally {
    // A consumer that stops early leaves no transfers running.
    stop.abort(new Error('download finished'));
    buffers.hold(undefined);
    await pages.return(undefined);
  }
}

/** k-subsets of `numbers` (ascending), at most `limit` of them, skipping `first`. */
function* subsets(numbers: number[], k: number, limit: number, first: string): Generator<number[]> {
  let n = 0;
  const pick: number[] = [];
  function* rec(from: number): Generator<number[]> {
    if (pick.length === k) {
      yield [...pick];
      return;
    }
    for (let i = from; i <= numbers.length - (k - pick.length); i++) {
      pick.push(numbers[i]!);
      yield* rec(i + 1);
      pick.pop();
    }
  }
  for (const s of rec(0)) {
    if (s.join(',') === first) continue;
    if (n++ >= limit) return;
    yield s;
  }
}

/** A fetched segment: the region its data pieces are in, and its plaintext block by block. */
interface FetchedSegment {
  /** Where the sealed segment is (none for an inline one): held while `blocks` is read. */
  region?: Uint8Array;
  /** Resolves once the reader is near the segment's end (or done): the next one's streams start then. */
  nearEnd?: Promise<void>;
  /** How far into the region the reader no longer needs it, once it read to sealed byte `sealedEnd`. */
  freeUpTo?: (sealedEnd: number) => number;
  blocks: (from: number) => AsyncIterable<OpenedBlock>;
}

/**
 * Fetches a segment's pieces (decoding what is missing) into the buffers; the data pieces wait for
 * their places in the region the reader of the segment before holds (PieceBuffers). A segment
 * whose block does not open is fetched whole into buffers of its own and tried with other subsets
 * of its pieces; the blocks already given are not given again.
 */
async function fetchSegment(plan: DownloadPlan, seg: SegmentInfo, format: Format, buffers: PieceBuffers, signal: AbortSignal, from: number, gate?: Promise<void>): Promise<FetchedSegment> {
  signal.throwIfAborted();
  if (seg.inline.length > 0 || seg.pieces.length === 0) {
    return {
      blocks: async function* (from) {
        yield* await wrapOpen(seg, () => [...format.blocks(seg, seg.inline, from)]);
      }
    };
  }
  const scheme = seg.scheme!;
  const k = scheme.minimum;
  const pieceSize = Number(seg.pieceSize);
  const sealedSize = format.sealedSize(Number(seg.plainSize));
  // Uploads cut a sealed segment into k pieces of ceil(sealed / k) bytes, or in format v4 into
  // stripes of k shares: anything else is not what was uploaded (and a satellite must not make the
  // client allocate what it likes).
  if (!(k >= 1 && k < scheme.total && scheme.total <= 256) || Number(seg.plainSize) > format.size) {
    throw new ClientError(ClientErrorCode.Tampered, `segment ${seg.index}: ${seg.plainSize} bytes in ${k} of ${scheme.total} pieces of ${pieceSize} bytes is not how it was uploaded`);
  }
  const layout = layoutOf(format, sealedSize, k);
  if (pieceSize !== layout.pieceSize) {
    throw new ClientError(ClientErrorCode.Tampered, `segment ${seg.index}: ${seg.plainSize} bytes in ${k} of ${scheme.total} pieces of ${pieceSize} bytes is not how it was uploaded`);
  }
  checkExpansion(scheme, plan.maxExpansion, `segment ${seg.index}`);
  if (layout.stripes > 1) return readStriped(plan, seg, format, layout, signal, from, gate);
  const region = buffers.dataRegion(k, pieceSize);
  // A data piece is asked for once its place is free, the margin's parity pieces once all are
  // (started earlier, they would often beat a data piece and cost a decode); a wait ends too when
  // enough pieces are in. So the last data piece and the margin start when the reader reaches the
  // segment before's last block: a reader that keeps up (bench:e2e) reaches it in tens of ms.
  const slotOf = async (n: number, waiting: AbortSignal): Promise<Uint8Array> => {
    await buffers.whenFree(region, Math.min(n + 1, k) * pieceSize, waiting);
    return n < k ? dataSlot(region, n, pieceSize) : buffers.take(pieceSize);
  };
  const fetched = await fetchPieces(plan, seg, k, pieceSize, k + plan.margin, signal, slotOf);
  const release = (): void => {
    for (const [n, b] of fetched.good) if (n >= k) buffers.release(b);
  };
  try {
    if (fetched.good.size < k) throw notEnough(seg, fetched.good.size, k, fetched);
    const missing = Array.from({ length: k }, (_, n) => n).filter((n) => !fetched.good.has(n));
    if (missing.length > 0) {
      // Rebuild only what is lost among the data pieces, straight into their places in the region
      // (no lost parity: that would be (n - k) pieces more, hostile review 20), once they are free.
      await buffers.whenFree(region, (Math.max(...missing) + 1) * pieceSize, signal);
      const shards = Array.from({ length: scheme.total }, (_, n) => fetched.good.get(n) ?? null);
      rebuildData(plan, scheme, shards, missing, region, pieceSize);
    }
  } finally {
    release();
  }
  const firstSubset = [...fetched.good.keys()].sort((x, y) => x - y).slice(0, k).join(',');
  const sealed = sealedView(layout, region);
  return {
    region,
    // Striped, every data piece holds a share of the last stripe: the region is free at the end.
    freeUpTo: (sealedEnd) => (layout.stripes === 1 ? sealedEnd : sealedEnd >= sealedSize ? region.length : 0),
    blocks: async function* (from) {
      let given = from;
      // The tags of the blocks given: an uploader holding the key can seal two versions of a
      // block, so the subset the retry opens must hold the very blocks given already (hostile
      // review 22: else a reader gets a splice of two decodings).
      const tags: { at: number; tag: Uint8Array }[] = [];
      const tagAt = (bytes: SealedBytes, at: number): Uint8Array => (bytes instanceof Uint8Array ? bytes.slice(at, at + TAG_BYTES) : bytes.read(at, TAG_BYTES).slice());
      try {
        for (const block of format.blocks(seg, sealed, from)) {
          given = block.plainAt + block.plain.length;
          if (block.tagAt >= 0) tags.push({ at: block.tagAt, tag: tagAt(sealed, block.tagAt) });
          yield block;
        }
      } catch (err) {
        if (!opensNot(err)) throw err;
        // The region may be the next segment's already: the retry takes buffers of its own, and
        // gives what was not given yet (blocks authenticate on their own: those given stand).
        yield* await retryAfter(plan, seg, format, layout, firstSubset, signal, err, tags, given);
      }
    }
  };
}

/**
 * A striped segment (format v4), read a batch of stripes at a time from k + margin piece streams
 * (striped-read.ts): no region, and the streams start now, so the next segment's first batches
 * come in while the reader is on this one. A block that does not open is handled as in v2: the
 * segment is fetched whole and other subsets are tried, going on after the blocks given.
 */
function readStriped(plan: DownloadPlan, seg: SegmentInfo, format: Format, layout: StripeLayout, signal: AbortSignal, from: number, gate?: Promise<void>): FetchedSegment {
  const stripedPlan = { ctx: plan.ctx, bucket: plan.bucket, key: plan.key, margin: plan.margin, codec: plan.codec(seg.scheme!), report: (ids: string[]) => report(plan, seg.index, ids, 'pieces that do not match their roots') };
  const plainSize = Number(seg.plainSize);
  const { sealedSize } = layout;
  const blockCount = Math.max(1, Math.ceil(plainSize / BLOCK_SIZE));
  const firstBlock = Math.min(blockCount - 1, Math.floor(from / BLOCK_SIZE));
  const reader = new StripedSegment(stripedPlan, seg, layout, firstBlock * SEALED_BLOCK_SIZE, signal, gate);
  // The next segment's streams start when this reader is within two batches of its end: started
  // with this one, they would sit with full rings while it is read, and a slow reader has them
  // cut by their nodes (hostile review 23 M5, M6).
  const near = Promise.withResolvers<void>();
  let started = false;
  return {
    nearEnd: near.promise,
    blocks: async function* (start) {
      if (started || start !== from) throw new RangeError(`segment ${seg.index} is read once, from ${from}`);
      started = true;
      const loaded = new Map<number, Uint8Array[]>();
      const scratch = new Uint8Array(SEALED_BLOCK_SIZE);
      const sealed: SealedBytes = { length: sealedSize, read: (at, length) => reader.gather(loaded, at, length, scratch) };
      let given = from;
      const tags: { at: number; tag: Uint8Array }[] = [];
      let b = firstBlock;
      try {
        try {
          let it = format.blocks(seg, sealed, from)[Symbol.iterator]();
          /** Block b opened again with each piece it was decoded from left out in turn. */
          const otherSubsets = async (b: number, err: unknown): Promise<{ it: Iterator<OpenedBlock>; r: IteratorResult<OpenedBlock> }> => {
            const at = b * SEALED_BLOCK_SIZE;
            const first = reader.batchOf(at);
            const last = reader.batchOf(Math.min(sealedSize, at + SEALED_BLOCK_SIZE) - 1);
            const batches = Array.from({ length: last - first + 1 }, (_, i) => first + i);
            const suspects = [...new Set(batches.flatMap((x) => reader.usedFor(x)))];
            // The batches hold blocks given already too (their sealed bytes, k x width a batch,
            // are one range): a subset decoding them otherwise is another version (review 24 L1).
            const lo = first * layout.k * reader.width;
            const hi = (last + 1) * layout.k * reader.width;
            const givenHere = tags.filter(({ at }) => at >= lo && at < hi);
            for (const n of suspects) {
              try {
                for (const x of batches) loaded.set(x, await reader.batch(x, new Set([n])));
              } catch (e) {
                if (e instanceof ClientError && e.code === ClientErrorCode.NotEnoughPieces) break;
                throw e;
              }
              if (givenHere.some(({ at, tag }) => !equalBytes(sealed.read(at, TAG_BYTES), tag))) continue;
              const again = format.blocks(seg, sealed, Math.max(from, b * BLOCK_SIZE))[Symbol.iterator]();
              try {
                const r = again.next();
                reader.drop(n);
                return { it: again, r };
              } catch (e) {
                if (!opensNot(e)) throw e;
              }
            }
            throw err;
          };
          for (;;) {
            if (b < blockCount) {
              // The batches block b lies in (one or two): those before it are let go.
              const at = b * SEALED_BLOCK_SIZE;
              const first = reader.batchOf(at);
              const last = reader.batchOf(Math.min(sealedSize, at + SEALED_BLOCK_SIZE) - 1);
              if (last >= reader.batches - 2) near.resolve();
              for (const x of [...loaded.keys()]) if (x < first) loaded.delete(x);
              reader.release(first);
              for (let x = first; x <= last; x++) if (!loaded.has(x)) loaded.set(x, await reader.batch(x));
            }
            let r: IteratorResult<OpenedBlock>;
            try {
              r = it.next();
            } catch (err) {
              if (!opensNot(err) || b >= blockCount) throw err;
              // The batch's other k-subsets first (hostile review 23 M2): one bad piece among the
              // k is found with one more piece's range, not the whole segment's n pieces.
              ({ it, r } = await otherSubsets(b, err));
            }
            if (r.done) break;
            const block = r.value;
            given = block.plainAt + block.plain.length;
            if (block.tagAt >= 0) tags.push({ at: block.tagAt, tag: sealed.read(block.tagAt, TAG_BYTES).slice() });
            yield { ...block, sealedEnd: 0 };
            b++;
          }
        } finally {
          reader.close();
          near.resolve();
        }
      } catch (err) {
        if (!opensNot(err)) throw err;
        // As in v2 (the unverified first attempt: firstSubset '').
        yield* await retryAfter(plan, seg, format, layout, '', signal, err, tags, given);
      }
    }
  };
}

/** A block that did not open (its tag, or the segment's framing). */
function opensNot(err: unknown): err is ClientError {
  return err instanceof ClientError && (err.code === ClientErrorCode.Tampered || err.code === ClientErrorCode.Decrypt);
}

/**
 * The retry of a segment whose block did not open after plaintext up to `given` went out: its
 * pieces fetched whole into buffers of their own and other subsets tried; only a subset holding
 * the very blocks given (their GCM tags, hostile review 22) goes on, from `given`.
 */
async function retryAfter(
  plan: DownloadPlan,
  seg: SegmentInfo,
  format: Format,
  layout: StripeLayout,
  firstSubset: string,
  signal: AbortSignal,
  err: ClientError,
  tags: { at: number; tag: Uint8Array }[],
  given: number
): Promise<OpenedBlock[]> {
  const own = new Uint8Array(layout.k * layout.pieceSize);
  const { slices, opened } = await retryOtherSubsets(plan, seg, format, layout, own, firstSubset, signal, err);
  if (tags.some(({ at, tag }) => !equalBytes(opened.subarray(at, at + TAG_BYTES), tag))) {
    throw new ClientError(ClientErrorCode.Tampered, `segment ${seg.index}: its pieces decode to two different versions of blocks already read (${err.message})`, { cause: err });
  }
  const out: OpenedBlock[] = [];
  for (const block of asBlocks(slices, 0)) {
    if (block.plainAt + block.plain.length <= given) continue;
    const cut = Math.max(0, given - block.plainAt);
    out.push({ plain: cut > 0 ? block.plain.subarray(cut) : block.plain, plainAt: block.plainAt + cut, sealedEnd: 0, tagAt: -1 });
  }
  return out;
}

/** How a segment's sealed bytes lie in its k data pieces. */
function layoutOf(format: Format, sealedSize: number, k: number): StripeLayout {
  return stripeLayout(sealedSize, k, format.striped ? STRIPE_SHARE_BYTES : Number.MAX_SAFE_INTEGER);
}

/** The sealed segment in a region of its k data pieces: the region itself unless striped. */
function sealedView(layout: StripeLayout, region: Uint8Array): SealedBytes {
  if (layout.stripes === 1) return region.subarray(0, layout.sealedSize);
  const scratch = new Uint8Array(SEALED_BLOCK_SIZE);
  return {
    length: layout.sealedSize,
    read(at, length) {
      const out = length <= scratch.length ? scratch.subarray(0, length) : new Uint8Array(length);
      for (let x = 0; x < length; ) {
        const { piece, offset } = piecePosition(layout, at + x);
        const n = Math.min(layout.shareSize - (offset % layout.shareSize), length - x);
        const from = piece * layout.pieceSize + offset;
        out.set(region.subarray(from, from + n), x);
        x += n;
      }
      return out;
    }
  };
}

/** The sealed segment from a region of its k data pieces (a copy when striped: retries only). */
function inSealedOrder(layout: StripeLayout, region: Uint8Array): Uint8Array {
  if (layout.stripes === 1) return region.subarray(0, layout.sealedSize);
  const out = new Uint8Array(layout.sealedSize);
  gatherStripes(layout, Array.from({ length: layout.k }, (_, n) => region.subarray(n * layout.pieceSize, (n + 1) * layout.pieceSize)), 0, layout.stripes, out);
  return out;
}

/** Data piece n's place in a segment's region. */
function dataSlot(region: Uint8Array, n: number, pieceSize: number): Uint8Array {
  return region.subarray(n * pieceSize, (n + 1) * pieceSize);
}

/** Rebuilds the lost data pieces `lost` straight into their places in the region (no lost parity). */
function rebuildData(plan: DownloadPlan, scheme: RedundancyScheme, shards: (Uint8Array | null)[], lost: number[], region: Uint8Array, pieceSize: number): void {
  plan.codec(scheme).reconstructRows(shards, lost, lost.map((n) => dataSlot(region, n, pieceSize)));
}

async function wrapOpen<T>(seg: SegmentInfo, open: () => T[]): Promise<T[]> {
  try {
    return open();
  } catch (err) {
    if (err instanceof ClientError && err.code === ClientErrorCode.Decrypt) {
      throw new ClientError(ClientErrorCode.Tampered, `segment ${seg.index} does not open: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/**
 * A segment whose k root-checked pieces decode to something that does not open: every piece is
 * fetched again into buffers of its own, and up to MAX_DECODE_SUBSETS other k-subsets are decoded
 * and opened. None opening means the segment is not this object's (OBJECT_TAMPERED), or for an
 * object of format v1 that it does not decrypt (DECRYPTION_FAILED).
 */
async function retryOtherSubsets(
  plan: DownloadPlan,
  seg: SegmentInfo,
  format: Format,
  layout: StripeLayout,
  region: Uint8Array,
  firstSubset: string,
  signal: AbortSignal,
  cause: ClientError
): Promise<{ slices: Uint8Array[]; opened: Uint8Array }> {
  const scheme = seg.scheme!;
  const k = scheme.minimum;
  const pieceSize = Number(seg.pieceSize);
  const all = await fetchPieces(plan, { ...seg, pieces: [] }, scheme.total, pieceSize, scheme.total, signal, () => new Uint8Array(pieceSize));
  if (all.good.size < k) throw notEnough(seg, all.good.size, k, all);
  const numbers = [...all.good.keys()].sort((a, b) => a - b);
  // Pieces of one codeword decode to the same segment whatever k of them are taken: when every
  // piece agrees with the first k (one more coding pass, a piece's worth of scratch), no other
  // subset can open, and trying 64 of them (each a decode and a decryption of the segment, with
  // the event loop held) is what a tenant's crafted object would make every GET of it cost
  // (hostile review 21, H2). The subsets are tried only when some piece disagrees.
  const base = numbers.slice(0, k);
  const baseShards = Array.from({ length: scheme.total }, (_, n) => (base.includes(n) ? all.good.get(n)! : null));
  const scratch = new Uint8Array(pieceSize);
  const disagrees = numbers.slice(k).some((n) => {
    plan.codec(scheme).reconstructRows(baseShards, [n], [scratch]);
    return !equalBytes(scratch, all.good.get(n)!);
  });
  // A first attempt from unverified bytes (v4 reads ranges of pieces, `firstSubset` ''): the
  // root-checked codeword may well open where those did not (one rotten node, hostile review 23
  // H1), so it is tried once; a first attempt from root-checked pieces already was this codeword.
  const unverified = firstSubset === '';
  if (!disagrees && !unverified) {
    throw new ClientError(cause.code, `segment ${seg.index} does not open, and its ${all.good.size} root-checked pieces are one codeword (any k of them decode the same): ${cause.message}`, { cause });
  }
  let tries = 0;
  for (const subset of subsets(numbers, k, disagrees ? MAX_DECODE_SUBSETS : 1, firstSubset)) {
    signal.throwIfAborted();
    tries++;
    const shards = Array.from({ length: scheme.total }, (_, n) => (subset.includes(n) ? all.good.get(n)! : null));
    // The subset's data pieces are copied in, the others rebuilt in place (the pieces fetched here
    // are buffers of their own, never the region).
    const lost: number[] = [];
    for (let n = 0; n < k; n++) {
      if (shards[n]) region.set(shards[n]!, n * pieceSize);
      else lost.push(n);
    }
    if (lost.length > 0) rebuildData(plan, scheme, shards, lost, region, pieceSize);
    try {
      const opened = inSealedOrder(layout, region);
      return { slices: format.opener(seg, opened), opened };
    } catch (err) {
      if (!opensNot(err)) throw err;
    }
  }
  throw new ClientError(
    cause.code,
    `segment ${seg.index} does not open from any of ${tries + 1} subsets of its ${all.good.size} root-checked pieces: ${cause.message}`,
    { cause }
  );
}

interface Fetched {
  good: Map<number, Uint8Array>;
  problems: string[];
  bad: Set<string>;
  asked: number;
  /** Orders for the other pieces were needed and the satellite could not be reached for them. */
  satelliteUnreachable?: boolean;
}

function notEnough(seg: SegmentInfo, good: number, k: number, f: Fetched): ClientError {
  return new ClientError(
    // Pieces the satellite could not give orders for may be there: the satellite is the cause.
    f.satelliteUnreachable ? ClientErrorCode.SatelliteUnreachable : ClientErrorCode.NotEnoughPieces,
    `segment ${seg.index}: ${good} good pieces found of the ${k} needed (${f.asked} of ${seg.scheme?.total ?? '?'} asked for; ${f.bad.size} sent bad data; ${f.problems.slice(0, 5).join('; ')})`
  );
}

/**
 * Fetches good pieces of a segment: `want` nodes at once, another whenever one fails, orders for
 * every piece asked of the satellite once the first ones run out; stops at `need` good pieces.
 * Nodes whose bytes do not match the uploader's root are reported to the satellite.
 */
async function fetchPieces(
  plan: DownloadPlan,
  seg: SegmentInfo,
  need: number,
  pieceSize: number,
  want: number,
  signal: AbortSignal,
  slotOf: (n: number, waiting: AbortSignal) => Uint8Array | Promise<Uint8Array>
): Promise<Fetched> {
  // One order per piece number below n, whatever the satellite listed (review 21 L1: a number
  // twice had two streams writing one slot; one past n has no place to go).
  const total = seg.scheme?.total ?? 0;
  const listed = new Set<number>();
  const usable = (p: PieceDownload): boolean => {
    const n = p.order?.pieceNumber ?? 0;
    if (!p.order || !(n < total) || listed.has(n)) return false;
    listed.add(n);
    return true;
  };
  const queue = seg.pieces.filter(usable).sort((a, b) => (a.order?.pieceNumber ?? 0) - (b.order?.pieceNumber ?? 0));
  // Each answer's GET limits name that answer's key for the bandwidth orders (PROTOCOL.md, Egress).
  const keyOf = new Map<PieceDownload, PrivateKey>();
  const keysOf = (info: SegmentInfo): void => {
    if (!info.orderPrivateKey?.length) return;
    let key: PrivateKey;
    try {
      key = privateKeyFromRaw(info.orderPrivateKey);
    } catch (err) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `the satellite's order key does not decode: ${(err as Error).message}`);
    }
    for (const p of info.pieces) keyOf.set(p, key);
  };
  keysOf(seg);
  const out: Fetched = { good: new Map(), problems: [], bad: new Set(), asked: 0 };
  const streams = new Set<Stream>();
  let enough = false;
  let widened = false;
  /** Pieces asked for (or waiting for their place) and not yet in or failed. */
  let inFlight = 0;
  // Ends the waits for a place in the buffers when enough pieces are in (or the read ends).
  const enoughReached = new AbortController();
  const waiting = AbortSignal.any([signal, enoughReached.signal]);
  const onAbort = (): void => {
    for (const s of streams) s.abort(new Error('download aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });

  // Orders for every piece of the segment, asked once when the first ones are not enough.
  const widen = async (): Promise<void> => {
    if (widened) return;
    widened = true;
    try {
      const page = (await plan.ctx.metainfo({ getObject: { bucket: plan.bucket, key: plan.key, firstSegment: seg.index, segmentLimit: 1, allPieces: true } })).getObject!;
      const again = page.segments.find((s) => s.index === seg.index);
      if (again) keysOf(again);
      for (const p of again?.pieces ?? []) if (usable(p)) queue.push(p);
    } catch (err) {
      out.problems.push(`no further orders: ${(err as Error).message}`);
      if (err instanceof ClientError && err.code === ClientErrorCode.SatelliteUnreachable) out.satelliteUnreachable = true;
    }
  };

  const fetchPiece = async (p: PieceDownload): Promise<void> => {
    const o = p.order!;
    let stream: Stream | undefined;
    let slot: Uint8Array;
    inFlight++;
    try {
      slot = await slotOf(o.pieceNumber, waiting);
    } catch (err) {
      inFlight--;
      // Enough pieces came in while this one waited for its place: it is not asked for at all.
      if (enough || signal.aborted) return;
      throw err;
    }
    out.asked++;
    try {
      stream = await dialForOrder(plan.ctx, o, PROTOCOL_DOWNLOAD, signal);
      if (enough) return stream.abort(new Error('enough pieces'));
      streams.add(stream);
      const hasher = new PieceHasher();
      let n = 0;
      try {
        for await (const chunk of downloadPiece(stream, { limit: o.order!.limit, signature: o.order!.signature, orderKey: keyOf.get(p) }, {}, { idleTimeoutMs: plan.ctx.pieceTimeoutMs })) {
          if (n + chunk.length > pieceSize) throw new ProtocolError('PIECE_TOO_LARGE', `node sent more than ${pieceSize} bytes`);
          slot.set(chunk, n);
          hasher.update(chunk);
          n += chunk.length;
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'PIECE_TOO_LARGE') out.bad.add(o.nodeId);
        throw err;
      }
      if (n !== pieceSize || !equalHashes(hasher.digest().root, p.root)) {
        out.bad.add(o.nodeId);
        throw new ProtocolError('PIECE_CORRUPT', 'piece does not match the root its uploader signed');
      }
      if (!enough) out.good.set(o.pieceNumber, slot);
      if (out.good.size >= need && !enough) {
        enough = true;
        enoughReached.abort(new Error('enough pieces'));
        for (const s of streams) if (s !== stream) s.abort(new Error('enough pieces'));
      }
    } catch (err) {
      stream?.abort(err as Error);
      if (!enough && !signal.aborted) out.problems.push(describeFailure(o.nodeId, err));
    } finally {
      if (stream) streams.delete(stream);
      inFlight--;
    }
    // Another node is asked only when those in and those still coming are fewer than needed: a
    // failed one is replaced, and a piece that came in starts none while others are on their way
    // (before, with no orders left in the first answer, it asked the satellite for all of them).
    if (!enough && !signal.aborted && out.good.size + inFlight < need) {
      if (queue.length === 0) await widen();
      const following = queue.shift();
      if (following) await fetchPiece(following);
    }
  };
  try {
    if (queue.length === 0) await widen();
    await Promise.all(queue.splice(0, want).map(fetchPiece));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (out.bad.size > 0) report(plan, seg.index, [...out.bad], 'pieces that do not match their roots');
  signal.throwIfAborted();
  return out;
}

/** Tells the satellite which nodes sent bad data (best effort: a download never waits on it). */
function report(plan: DownloadPlan, segment: number, nodeIds: string[], reason: string): void {
  plan.ctx.metainfo({ reportPieces: { bucket: plan.bucket, key: plan.key, segment, nodeIds, reason } }).catch(() => undefined);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
