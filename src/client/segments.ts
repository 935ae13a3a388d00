// Cuts any source (bytes, a Node Readable, an AsyncIterable) into segments of a fixed size, holding
// one segment at a time, and tells whether each is the last.
import type { Readable } from 'node:stream';

export type Source = Uint8Array | Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

async function* chunksOf(source: Source): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  }
}

/**
 * Segments of `size` bytes (the last may be shorter; an empty source gives one empty segment).
 * Two buffers take turns: a segment's bytes are valid until the consumer asks for the next one.
 */
export async function* segmentsOf(source: Source, size: number): AsyncGenerator<{ data: Uint8Array; last: boolean }> {
  let spare: Uint8Array | undefined;
  const fresh = (): Uint8Array => {
    const b = spare ?? new Uint8Array(size);
    spare = undefined;
    return b;
  };
  let current = fresh();
  let fill = 0;
  let pending: Uint8Array | undefined;
  for await (const chunk of chunksOf(source)) {
    let off = 0;
    while (off < chunk.length) {
      if (pending) {
        // A full segment waits until we know more data follows it.
        yield { data: pending, last: false };
        spare = pending;
        pending = undefined;
      }
      const n = Math.min(size - fill, chunk.length - off);
      current.set(chunk.subarray(off, off + n), fill);
      fill += n;
      off += n;
      if (fill === size) {
        pending = current;
        current = fresh();
        fill = 0;
      }
    }
  }
  if (pending && fill === 0) {
    yield { data: pending, last: true };
    return;
  }
  if (pending) yield { data: pending, last: false };
  yield { data: current.subarray(0, fill), last: true };
}
