// Reads any source (bytes, a Node Readable, an AsyncIterable) segment by segment and encrypts it
// straight into a caller's buffer as it arrives: the plaintext never sits in a buffer of its own,
// so an upload holds only the sealed segments it is coding or sending.
import type { Readable } from 'node:stream';
import { ENCRYPTION_OVERHEAD, SegmentCipher } from './crypto.js';

export type Source = Uint8Array | Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Cipher output is produced this many bytes at a time, so its own buffers stay small. */
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

export interface SealedSegment {
  index: number;
  plainSize: number;
  /** nonce + ciphertext + tag, at the start of the buffer given to next(). */
  sealedSize: number;
  /** The source ended inside this segment (a full segment may still be the last one). */
  last: boolean;
}

export class SegmentSealer {
  private readonly chunks: AsyncGenerator<Uint8Array>;
  private leftover: Uint8Array | undefined;
  private ended = false;
  private index = 0;

  constructor(
    source: Source,
    private readonly segmentSize: number,
    private readonly keyOf: (index: number) => Uint8Array
  ) {
    this.chunks = chunksOf(source);
  }

  /** Bytes next() may write: a full segment and its nonce and tag. */
  get maxSealedSize(): number {
    return this.segmentSize + ENCRYPTION_OVERHEAD;
  }

  /**
   * Encrypts the next segment into `into`; null once the source is exhausted (an empty source
   * still gives one empty segment, index 0).
   */
  async next(into: Uint8Array, signal?: AbortSignal): Promise<SealedSegment | null> {
    let fill = 0;
    let cipher: SegmentCipher | undefined;
    while (fill < this.segmentSize) {
      signal?.throwIfAborted();
      let chunk = this.leftover;
      this.leftover = undefined;
      if (!chunk) {
        if (this.ended) break;
        const r = await this.chunks.next();
        if (r.done) {
          this.ended = true;
          break;
        }
        chunk = r.value;
      }
      if (chunk.length === 0) continue;
      cipher ??= new SegmentCipher(this.keyOf(this.index), into);
      const n = Math.min(chunk.length, this.segmentSize - fill, SLICE);
      cipher.update(chunk.subarray(0, n));
      if (n < chunk.length) this.leftover = chunk.subarray(n);
      fill += n;
    }
    if (fill === 0 && this.index > 0) return null;
    cipher ??= new SegmentCipher(this.keyOf(this.index), into);
    const sealedSize = cipher.final();
    // A full segment is the last only if nothing follows; finding out may wait for the source.
    if (!this.ended && !this.leftover) {
      const r = await this.chunks.next();
      if (r.done) this.ended = true;
      else this.leftover = r.value;
    }
    return { index: this.index++, plainSize: fill, sealedSize, last: this.ended && !this.leftover };
  }
}
