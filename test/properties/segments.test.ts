// The client's segment sealer (src/client/segments.ts) and its ranged reads (src/client/download.ts),
// against models in plain arithmetic:
// - SegmentSealer, for any segment size and any chunking of any source kind, gives segment i as
//   index i at i * segmentSize, min(segmentSize, rest) bytes, last only for the last one, and the
//   sealed bytes of the format as written down (AES-256-GCM per 64 KiB block, nonce and associated
//   data computed here by hand), into a reused buffer full of old bytes;
// - downloadObject with { offset, length }, against a satellite (a fake ClientContext) that pages
//   the object's segments from the one holding the offset, gives exactly those bytes and fetches
//   exactly the segments the range touches.
import { createCipheriv } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Libp2p } from '@libp2p/interface';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { BLOCK_SIZE, ENCRYPTION_NAME_V2, createObjectKey, sealedSizeOf } from '../../src/client/crypto.js';
import { downloadObject, type DownloadPlan } from '../../src/client/download.js';
import { SegmentSealer, type SealedSegment, type Source } from '../../src/client/segments.js';
import type { GetObjectRequest, MetainfoRequest, MetainfoResponse, ObjectInfo, SegmentInfo } from '../../src/protocol/index.js';

const B = BLOCK_SIZE;

/** Content of any size from a fast-check seed (hundreds of KiB are too many bytes to draw one by one). */
function contentOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 24;
  }
  return out;
}

/** The bytes in chunks of the given sizes in turn (0: an empty chunk), as the source kind asked for. */
function sourceOf(bytes: Uint8Array, sizes: readonly number[], kind: 'bytes' | 'iterable' | 'async' | 'readable'): Source {
  const chunks: Uint8Array[] = [];
  if (sizes.some((n) => n > 0)) {
    for (let off = 0, i = 0; off < bytes.length; i++) {
      const n = sizes[i % sizes.length]!;
      chunks.push(bytes.subarray(off, off + n));
      off += n;
    }
  } else {
    chunks.push(bytes);
  }
  if (kind === 'bytes') return bytes;
  if (kind === 'iterable') return chunks;
  if (kind === 'readable') return Readable.from(chunks.map((c) => Buffer.from(c)));
  return (async function* () {
    for (const c of chunks) yield c;
  })();
}

/** The sealed segment as the format says, computed block by block here. */
function modelSealed(contentKey: Uint8Array, version: Uint8Array, pos: { index: number; plainOffset: number; last: boolean }, plain: Uint8Array): Buffer {
  const blocks = Math.max(1, Math.ceil(plain.length / B));
  const out: Buffer[] = [];
  for (let b = 0; b < blocks; b++) {
    const nonce = Buffer.alloc(12);
    nonce.writeUInt32BE(pos.index, 0);
    nonce.writeBigUInt64BE(BigInt(b), 4);
    const ad = Buffer.alloc(50);
    ad.write('stowage/block/v2\0', 0, 'latin1');
    ad.set(version, 17);
    ad.writeUInt32BE(pos.index, 33);
    ad.writeBigUInt64BE(BigInt(pos.plainOffset), 37);
    ad.writeUInt32BE(b, 45);
    ad[49] = (b === blocks - 1 ? 1 : 0) | (pos.last ? 2 : 0);
    const c = createCipheriv('aes-256-gcm', contentKey, nonce);
    c.setAAD(ad);
    out.push(c.update(plain.subarray(b * B, (b + 1) * B)), c.final(), c.getAuthTag());
  }
  return Buffer.concat(out);
}

/** Segment sizes, a few chosen on block edges; objects up to about 5 blocks and 40 segments. */
const layout = fc
  .oneof(fc.constantFrom(B, 2 * B, B + 1, B - 1, 3 * B - 5, 1, 17), fc.integer({ min: 1, max: 3 * B }))
  .chain((segmentSize) => fc.tuple(fc.constant(segmentSize), fc.integer({ min: 0, max: Math.min(5 * B + 3, 40 * segmentSize) })));

/** The model of the sealer's segments: index, offset, size, last. */
function modelSegments(size: number, segmentSize: number): Omit<SealedSegment, 'sealedSize'>[] {
  const count = Math.max(1, Math.ceil(size / segmentSize));
  return Array.from({ length: count }, (_, i) => ({
    index: i,
    plainOffset: i * segmentSize,
    plainSize: Math.min(segmentSize, size - i * segmentSize),
    last: i === count - 1
  }));
}

async function sealAll(source: Source, segmentSize: number, contentKey: Uint8Array, version: Uint8Array, garbage = 0): Promise<{ seg: SealedSegment; sealed: Uint8Array }[]> {
  const sealer = new SegmentSealer(source, segmentSize, contentKey, version);
  // One buffer for every segment, full of old bytes, as an upload reuses its buffers.
  const into = new Uint8Array(sealer.maxSealedSize).fill(garbage);
  const out = [];
  for (let seg = await sealer.next(into); seg; seg = await sealer.next(into)) {
    out.push({ seg, sealed: into.slice(0, seg.sealedSize) });
    if (out.length > 100) throw new Error('the sealer does not stop');
  }
  return out;
}

const chunkSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 3 * B }), fc.integer({ min: 1, max: 50 }), fc.constant(0)), { minLength: 1, maxLength: 8 });

it('the sealer cuts any source, however chunked, into the segments of the model, sealed as the format says', async () => {
  await fc.assert(
    fc.asyncProperty(
      layout,
      fc.integer(),
      chunkSizes,
      fc.constantFrom('bytes', 'iterable', 'async', 'readable'),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.integer({ min: 0, max: 255 }),
      async ([segmentSize, size], seed, sizes, kind, contentKey, version, garbage) => {
        const bytes = contentOf(size, seed);
        const got = await sealAll(sourceOf(bytes, sizes, kind), segmentSize, contentKey, version, garbage);
        const expected = modelSegments(size, segmentSize);
        expect(got.map((g) => g.seg)).toEqual(expected.map((e) => ({ ...e, sealedSize: sealedSizeOf(e.plainSize) })));
        for (const [i, e] of expected.entries()) {
          const want = modelSealed(contentKey, version, e, bytes.subarray(e.plainOffset, e.plainOffset + e.plainSize));
          expect(Buffer.from(got[i]!.sealed).equals(want), `segment ${i} sealed bytes`).toBe(true);
        }
      }
    ),
    { numRuns: 100 }
  );
});

/** Reads an object of `segments` inline segments through downloadObject, from a satellite that pages them. */
async function ranged(
  object: { size: number; segments: { seg: SealedSegment; sealed: Uint8Array }[]; encryptedKey: Uint8Array; secret: Uint8Array },
  pageSize: number,
  range: { offset?: number; length?: number },
  seen: { fetched: Set<number>; requests: Partial<GetObjectRequest>[] } = { fetched: new Set(), requests: [] }
): Promise<{ bytes: Uint8Array; fetched: number[]; requests: Partial<GetObjectRequest>[] }> {
  const { fetched, requests } = seen;
  const info: ObjectInfo = {
    bucket: 'b',
    key: 'k',
    size: BigInt(object.size),
    created: 1n,
    committed: 2n,
    segmentCount: object.segments.length,
    metadata: new Uint8Array(0),
    encryption: ENCRYPTION_NAME_V2,
    expires: 0n,
    encryptedKey: object.encryptedKey as Uint8Array<ArrayBuffer>
  };
  const segmentInfo = ({ seg, sealed }: { seg: SealedSegment; sealed: Uint8Array }): SegmentInfo => ({
    index: seg.index,
    plainSize: BigInt(seg.plainSize),
    pieceSize: 0n,
    // Read by the client only for a segment it fetches: that is how the test sees which ones it did.
    get inline() {
      fetched.add(seg.index);
      return sealed as Uint8Array<ArrayBuffer>;
    },
    pieces: [],
    plainOffset: BigInt(seg.plainOffset)
  });
  const metainfo = (req: Partial<MetainfoRequest>): Promise<MetainfoResponse> => {
    const g = req.getObject!;
    requests.push(g);
    if (g.statOnly) return Promise.resolve({ getObject: { object: info, segments: [] } });
    // The satellite's answer: from firstSegment, or (when 0) from the segment holding byte `offset`.
    const offset = Number(g.offset ?? 0n);
    const first = g.firstSegment ? g.firstSegment : object.segments.findIndex(({ seg }) => seg.plainOffset <= offset && offset < seg.plainOffset + Math.max(1, seg.plainSize));
    expect(first).toBeGreaterThanOrEqual(0);
    const page = object.segments.slice(first, first + pageSize);
    const end = first + page.length;
    return Promise.resolve({ getObject: { object: info, segments: page.map(segmentInfo), more: end < object.segments.length, nextSegment: end } });
  };
  const plan: DownloadPlan = {
    ctx: { libp2p: {} as Libp2p, secret: object.secret, pieceTimeoutMs: 1000, metainfo },
    bucket: 'b',
    key: 'k',
    margin: 1,
    maxExpansion: 4,
    codec: () => {
      throw new Error('inline segments need no decoding');
    }
  };
  const out: Uint8Array[] = [];
  for await (const chunk of downloadObject(plan, range)) out.push(chunk.slice());
  return { bytes: Buffer.concat(out), fetched: [...fetched].sort((a, b) => a - b), requests };
}

it('a ranged read gives exactly the bytes of the range and fetches exactly the segments it touches', async () => {
  const secret = new Uint8Array(32).fill(9);
  await fc.assert(
    fc.asyncProperty(
      layout.chain(([segmentSize, size]) =>
        fc.tuple(
          fc.constant(segmentSize),
          fc.constant(size),
          // offset in [0, size], length in [0, size - offset]; either may be left out.
          fc.integer({ min: 0, max: size }).chain((offset) => fc.tuple(fc.constant(offset), fc.option(fc.integer({ min: 0, max: size - offset }), { nil: undefined }))),
          fc.boolean()
        )
      ),
      fc.integer(),
      fc.integer({ min: 1, max: 5 }),
      async ([segmentSize, size, [offset, length], omitOffset], seed, pageSize) => {
        const bytes = contentOf(size, seed);
        const { contentKey, version, encryptedKey } = createObjectKey(secret, 'b', 'k');
        const segments = await sealAll(bytes, segmentSize, contentKey, version);
        const range = omitOffset && offset === 0 ? { length } : { offset, length };
        const got = await ranged({ size, segments, encryptedKey, secret }, pageSize, range);
        const end = length === undefined ? size : offset + length;
        expect(Buffer.from(got.bytes).equals(Buffer.from(bytes.subarray(offset, end)))).toBe(true);
        // The segments the range touches: those with a byte in [offset, end); for an empty
        // object, its one empty segment (read to check it is the last); for an empty range of a
        // non-empty object, none.
        const touched = size === 0 ? [0] : end === offset ? [] : modelSegments(size, segmentSize).filter((s) => s.plainOffset < end && s.plainOffset + s.plainSize > offset).map((s) => s.index);
        expect(got.fetched).toEqual(touched);
        // The first page was asked for at the byte the range starts at (the last byte for a read at the end).
        const pages = got.requests.filter((r) => !r.statOnly);
        if (touched.length > 0) expect(pages[0]).toMatchObject({ firstSegment: 0, offset: BigInt(Math.min(offset, Math.max(0, size - 1))) });
        else expect(pages).toEqual([]);
        // And no page beyond the one holding the last segment touched.
        expect(pages.length).toBe(touched.length === 0 ? 0 : Math.ceil((touched.at(-1)! - touched[0]! + 1) / pageSize));
      }
    ),
    { numRuns: 200 }
  );
});

it('a range outside the object is RANGE_INVALID, before any segment is fetched', async () => {
  const secret = new Uint8Array(32).fill(9);
  await fc.assert(
    fc.asyncProperty(
      layout,
      fc.oneof(
        fc.record({ offset: fc.integer({ min: -5, max: -1 }) }),
        fc.record({ offset: fc.nat(), length: fc.integer({ min: -5, max: -1 }) }),
        fc.record({ offset: fc.double({ min: 0.1, max: 10, noNaN: true }).filter((x) => !Number.isInteger(x)) }),
        fc.tuple(fc.nat(), fc.integer({ min: 1, max: 10 })).map(([offset, over]) => ({ offset, over }))
      ),
      async ([segmentSize, size], bad) => {
        const { contentKey, version, encryptedKey } = createObjectKey(secret, 'b', 'k');
        const segments = await sealAll(new Uint8Array(size), segmentSize, contentKey, version);
        // `over`: a range reaching `over` bytes past the end.
        const range = 'over' in bad ? { offset: bad.offset % (size + 1), length: size - (bad.offset % (size + 1)) + bad.over } : bad;
        const seen = { fetched: new Set<number>(), requests: [] as Partial<GetObjectRequest>[] };
        const err = await ranged({ size, segments, encryptedKey, secret }, 2, range, seen).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'RANGE_INVALID' });
        expect(seen.fetched.size).toBe(0);
        expect(seen.requests).toEqual([{ bucket: 'b', key: 'k', statOnly: true }]);
      }
    ),
    { numRuns: 60 }
  );
});
