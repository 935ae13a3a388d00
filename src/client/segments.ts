// Reads any source (bytes, a Node Readable, an AsyncIterable) segment by segment and seals it
// straight into a caller's buffer as it arrives: the plaintext never sits in a buffer of its own,
// so an upload holds only the sealed segments it is coding or sending.
//
// Format v2 (SegmentSealer): each segment is sealed in blocks (see crypto.ts) whose associated data
// says whether the segment is the object's last, which is known only once the source has been
// peeked past the segment's end. So the plaintext is copied into `into` at its block's place (block
// b at b * SEALED_BLOCK_SIZE, leaving room for its tag) as it arrives, and the blocks are sealed in
// place once the segment's end and `last` are known.
import type { Readable } from 'node:stream';
import { BLOCK_SIZE, BlockSealer, CONTENT_KEY_BYTES, ENCRYPTION_OVERHEAD, SEALED_BLOCK_SIZE, SegmentCipher, TAG_BYTES, VERSION_BYTES, sealSegmentInPlace, sealedSizeOf } from './crypto.js';
import { ClientError, ClientErrorCode } from './errors.js';

export type Source = Uint8Array | Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** v1 cipher output is produced this many bytes at a time, so its own buffers stay small. */
const SLICE = 1024 * 1024;

async function* chunksOf(source: Source): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
}

/** The source's non-empty chunks, with chunks read ahead (unread, or prefetched) given first. */
class ChunkReader {
  private readonly chunks: AsyncGenerator<Uint8Array>;
  private readonly ahead: Uint8Array[] = [];
  private aheadBytes = 0;
  /** A read of the source still on its way (prefetch gave up waiting for it). */
  private waiting: Promise<IteratorResult<Uint8Array>> | undefined;
  private ended = false;

  constructor(source: Source) {
    this.chunks = chunksOf(source);
  }

  /** The next non-empty chunk, or null at the end of the source. */
  async read(signal?: AbortSignal): Promise<Uint8Array | null> {
    const first = this.ahead.shift();
    if (first) {
      this.aheadBytes -= first.length;
      return first;
    }
    while (!this.ended) {
      signal?.throwIfAborted();
      const r = await this.nextChunk(signal);
      if (r.done) this.ended = true;
      else if (r.value.length > 0) return r.value;
    }
    return null;
  }

  unread(chunk: Uint8Array): void {
    this.ahead.unshift(chunk);
    this.aheadBytes += chunk.length;
  }

  /** Whether the source has no bytes left; may wait for the source (empty chunks are skipped). */
  async atEnd(signal?: AbortSignal): Promise<boolean> {
    const chunk = await this.read(signal);
    if (!chunk) return true;
    this.unread(chunk);
    return false;
  }

  /**
   * Reads the source ahead until `bytes` are waiting (or it ended) and says so, or says false
   * once `ms` have passed; what it read stays to be read.
   */
  async prefetch(bytes: number, ms: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.aheadBytes < bytes && !this.ended) {
      signal?.throwIfAborted();
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), left)));
      const r = await Promise.race([this.peekChunk(), timedOut]).finally(() => clearTimeout(timer));
      if (r === 'late') return false;
      this.waiting = undefined;
      if (r.done) this.ended = true;
      else if (r.value.length > 0) {
        this.ahead.push(r.value);
        this.aheadBytes += r.value.length;
      }
    }
    return true;
  }

  private peekChunk(): Promise<IteratorResult<Uint8Array>> {
    if (!this.waiting) {
      this.waiting = this.chunks.next();
      // Left pending by an abort, it may fail with nobody waiting: not an unhandled rejection.
      this.waiting.catch(() => undefined);
    }
    return this.waiting;
  }

  /** The next chunk of the source; an abort of `signal` ends the wait (the read stays pending for later). */
  private async nextChunk(signal?: AbortSignal): Promise<IteratorResult<Uint8Array>> {
    const r = this.peekChunk();
    if (signal) {
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([r, aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort!);
      }
    }
    this.waiting = undefined;
    return r;
  }
}

export interface SealedSegment {
  index: number;
  plainSize: number;
  /** The sealed segment's length, at the start of the buffer given to next(). */
  sealedSize: number;
  /** The object's last segment (a full segment may still be the last one). */
  last: boolean;
  /** Where this segment's plaintext starts in the object. */
  plainOffset: number;
}

/**
 * Seals a source in format v2 (ENCRYPTION_NAME_V2) under an object's content key and version
 * (createObjectKey). One sealer per content key: it numbers the segments and seals each once,
 * which is what makes the deterministic block nonces safe.
 */
export class SegmentSealer {
  private readonly reader: ChunkReader;
  private index = 0;
  private plainOffset = 0;
  private finished = false;

  constructor(
    source: Source,
    private readonly segmentSize: number,
    private readonly contentKey: Uint8Array,
    private readonly version: Uint8Array
  ) {
    if (!Number.isSafeInteger(segmentSize) || segmentSize < 1) throw new RangeError(`segment size ${segmentSize} is not a positive byte count`);
    if (contentKey.length !== CONTENT_KEY_BYTES) throw new RangeError(`a content key has ${CONTENT_KEY_BYTES} bytes, not ${contentKey.length}`);
    if (version.length !== VERSION_BYTES) throw new RangeError(`a version id has ${VERSION_BYTES} bytes, not ${version.length}`);
    this.reader = new ChunkReader(source);
  }

  /**
   * Reads up to `bytes` of the source ahead, for at most `ms`: whether they (or the source's end)
   * came in time. An upload sends a segment as it is read only from a source that keeps up.
   */
  prefetch(bytes: number, ms: number, signal?: AbortSignal): Promise<boolean> {
    return this.reader.prefetch(bytes, ms, signal);
  }

  /** Bytes next() may write: a full segment sealed. */
  get maxSealedSize(): number {
    return sealedSizeOf(this.segmentSize);
  }

  /**
   * Seals the next segment into `into` (at least maxSealedSize bytes); null once the object's last
   * segment has been given (an empty source still gives one empty segment, index 0, last).
   */
  async next(into: Uint8Array, signal?: AbortSignal): Promise<SealedSegment | null> {
    if (this.finished) return null;
    if (into.length < this.maxSealedSize) throw new RangeError(`a buffer of ${into.length} bytes is smaller than a sealed segment (${this.maxSealedSize})`);
    let fill = 0;
    while (fill < this.segmentSize) {
      const chunk = await this.reader.read(signal);
      if (!chunk) break;
      const n = Math.min(chunk.length, this.segmentSize - fill);
      // Into the blocks' places, a copy per block boundary crossed.
      for (let off = 0; off < n; ) {
        const within = fill % BLOCK_SIZE;
        const take = Math.min(BLOCK_SIZE - within, n - off);
        into.set(chunk.subarray(off, off + take), ((fill - within) / BLOCK_SIZE) * SEALED_BLOCK_SIZE + within);
        off += take;
        fill += take;
      }
      if (n < chunk.length) this.reader.unread(chunk.subarray(n));
    }
    // A short segment ended the source; a full one is the last only if nothing follows.
    const last = fill < this.segmentSize || (await this.reader.atEnd(signal));
    signal?.throwIfAborted();
    const pos = { index: this.index, plainOffset: this.plainOffset, plainSize: fill, last };
    const sealedSize = sealSegmentInPlace(this.contentKey, this.version, pos, into);
    this.index++;
    this.plainOffset += fill;
    this.finished = last;
    return { ...pos, sealedSize };
  }

  /**
   * Begins the next segment live, for a source whose size is known: the segment holds `plainSize`
   * bytes and is the object's last when `last`, both known before its first byte, so its blocks are
   * sealed as the plaintext arrives and nothing holds the segment (format v4). The segment's sealed
   * bytes come out of the LiveSegment in order; a source shorter than it, or longer than its size
   * after the last segment, fails SOURCE_SIZE_MISMATCH.
   */
  beginLive(plainSize: number, last: boolean): LiveSegment {
    if (this.finished) throw new RangeError('the object\'s last segment was given already');
    if (!Number.isSafeInteger(plainSize) || plainSize < 0 || plainSize > this.segmentSize) throw new RangeError(`a live segment of ${plainSize} bytes (segments are at most ${this.segmentSize})`);
    const pos = { index: this.index, plainOffset: this.plainOffset, plainSize, last };
    this.index++;
    this.plainOffset += plainSize;
    this.finished = last;
    return new LiveSegment(this.reader, new BlockSealer(this.contentKey, this.version, pos), pos);
  }
}

/** A segment sealed block by block as its plaintext is read (SegmentSealer.beginLive). */
export class LiveSegment {
  readonly sealedSize: number;
  /** Sealed bytes given so far. */
  private given = 0;
  private block = 0;
  /** A sealed block that did not fit where it was asked for: its rest is given first. */
  private pending: { bytes: Uint8Array; at: number } | undefined;
  private readonly plain = new Uint8Array(BLOCK_SIZE);
  private readonly spill = new Uint8Array(SEALED_BLOCK_SIZE);

  constructor(
    private readonly reader: ChunkReader,
    private readonly sealer: BlockSealer,
    readonly pos: SealedSegmentPosition
  ) {
    this.sealedSize = sealedSizeOf(pos.plainSize);
  }

  get info(): SealedSegment {
    return { ...this.pos, sealedSize: this.sealedSize };
  }

  /**
   * Fills `into` with the segment's next sealed bytes; past the segment's end with zeros (the
   * padding of its last stripe). Reading past the last block of the object's last segment checks
   * that the source has nothing more.
   */
  async read(into: Uint8Array, signal?: AbortSignal): Promise<void> {
    let at = 0;
    while (at < into.length) {
      if (this.pending) {
        const { bytes } = this.pending;
        const n = Math.min(bytes.length - this.pending.at, into.length - at);
        into.set(bytes.subarray(this.pending.at, this.pending.at + n), at);
        this.pending.at += n;
        at += n;
        this.given += n;
        if (this.pending.at === bytes.length) this.pending = undefined;
        continue;
      }
      if (this.block >= this.sealer.blocks) {
        into.fill(0, at);
        return;
      }
      const n = this.sealer.blockSize(this.block);
      const plain = await this.readPlain(n, signal);
      this.block++;
      // Sealed straight into place when the block fits, through the spill buffer when not.
      if (into.length - at >= n + TAG_BYTES) {
        const wrote = this.sealer.seal(plain, into, at);
        at += wrote;
        this.given += wrote;
      } else {
        const wrote = this.sealer.seal(plain, this.spill, 0);
        this.pending = { bytes: this.spill.subarray(0, wrote), at: 0 };
      }
      if (this.block === this.sealer.blocks && this.pos.last && !(await this.reader.atEnd(signal))) {
        throw new ClientError(ClientErrorCode.SourceSizeMismatch, `the source has more bytes than its size (${this.pos.plainOffset + this.pos.plainSize})`);
      }
    }
  }

  /** The next n plaintext bytes: a view of the source's chunk when one holds them all, else copied. */
  private async readPlain(n: number, signal?: AbortSignal): Promise<Uint8Array> {
    let fill = 0;
    while (fill < n) {
      const chunk = await this.reader.read(signal);
      if (!chunk) {
        throw new ClientError(ClientErrorCode.SourceSizeMismatch, `the source ended at byte ${this.pos.plainOffset + this.block * BLOCK_SIZE + fill}, before its size`);
      }
      const take = Math.min(chunk.length, n - fill);
      if (take < chunk.length) this.reader.unread(chunk.subarray(take));
      if (fill === 0 && take === n) return chunk.subarray(0, n);
      this.plain.set(chunk.subarray(0, take), fill);
      fill += take;
    }
    return this.plain.subarray(0, n);
  }
}

type SealedSegmentPosition = Omit<SealedSegment, 'sealedSize'>;

/**
 * The format v1 sealer (ENCRYPTION_NAME): a key per segment, random nonce, one tag per segment.
 * Kept for tests and tools that need v1 objects; new uploads use SegmentSealer.
 * @deprecated v1 does not authenticate the object's segment list.
 */
export class SegmentSealerV1 {
  private readonly reader: ChunkReader;
  private index = 0;
  private plainOffset = 0;
  private finished = false;

  constructor(
    source: Source,
    private readonly segmentSize: number,
    private readonly keyOf: (index: number) => Uint8Array
  ) {
    this.reader = new ChunkReader(source);
  }

  /** Bytes next() may write: a full segment and its nonce and tag. */
  get maxSealedSize(): number {
    return this.segmentSize + ENCRYPTION_OVERHEAD;
  }

  async next(into: Uint8Array, signal?: AbortSignal): Promise<SealedSegment | null> {
    if (this.finished) return null;
    const cipher = new SegmentCipher(this.keyOf(this.index), into);
    let fill = 0;
    while (fill < this.segmentSize) {
      const chunk = await this.reader.read(signal);
      if (!chunk) break;
      const n = Math.min(chunk.length, this.segmentSize - fill, SLICE);
      cipher.update(chunk.subarray(0, n));
      if (n < chunk.length) this.reader.unread(chunk.subarray(n));
      fill += n;
    }
    const sealedSize = cipher.final();
    const last = fill < this.segmentSize || (await this.reader.atEnd(signal));
    const seg = { index: this.index++, plainSize: fill, sealedSize, last, plainOffset: this.plainOffset };
    this.plainOffset += fill;
    this.finished = last;
    return seg;
  }
}
