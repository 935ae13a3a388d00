// Object format v2: a wrapped per-object content key, and segments sealed in blocks bound to their
// place in the object, so a satellite that truncates, reorders, repeats or splices segments, or
// lies about their sizes and offsets, is caught (OBJECT_TAMPERED) before any plaintext comes out.
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_SIZE,
  ENCRYPTED_KEY_BYTES,
  ENCRYPTION_NAME,
  ENCRYPTION_NAME_V2,
  SEALED_BLOCK_SIZE,
  createObjectKey,
  openObjectKey,
  openSegment,
  plainSizeOf,
  sealSegment,
  sealedSizeOf,
  type SegmentPosition
} from '../../src/client/crypto.js';
import { ClientError } from '../../src/client/errors.js';
import { SegmentSealer, type Source } from '../../src/client/segments.js';

const SECRET = new Uint8Array(randomBytes(32));
const B = BLOCK_SIZE;

/** What the satellite keeps of an object: the key blob, and per segment its index, size and sealed bytes. */
interface Stored {
  encryptedKey: Uint8Array;
  segments: { index: number; plainSize: number; sealed: Uint8Array }[];
}

/** Deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bytesOf(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, n >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = (r() * 2 ** 32) >>> 0;
  for (let i = words.length * 4; i < n; i++) out[i] = (r() * 256) >>> 0;
  return out;
}

/** Random chunk sizes from 1 to `max` (some empty chunks too). */
function* randomChunks(bytes: Uint8Array, seed: number, max: number): Generator<Uint8Array> {
  const r = rng(seed);
  for (let off = 0; off < bytes.length; ) {
    if (r() < 0.02) yield new Uint8Array(0);
    const n = 1 + Math.floor(r() * max);
    yield bytes.subarray(off, off + n);
    off += n;
  }
}

/** The bytes cut into chunks of the given sizes in turn (0: an empty chunk, which takes no bytes). */
function* chunksOf(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  if (!sizes.some((n) => n > 0)) {
    yield bytes;
    return;
  }
  for (let off = 0, i = 0; off < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(off, off + n);
    off += n;
  }
}

async function upload(bucket: string, key: string, source: Source, segmentSize: number): Promise<Stored> {
  const { contentKey, version, encryptedKey } = createObjectKey(SECRET, bucket, key);
  const sealer = new SegmentSealer(source, segmentSize, contentKey, version);
  const into = new Uint8Array(sealer.maxSealedSize);
  const segments: Stored['segments'] = [];
  for (let seg = await sealer.next(into); seg; seg = await sealer.next(into)) {
    expect(seg.last).toBe(seg.plainSize < segmentSize || seg.last);
    segments.push({ index: seg.index, plainSize: seg.plainSize, sealed: into.slice(0, seg.sealedSize) });
  }
  expect(segments.at(-1)!.plainSize === segmentSize || segments.length === 1 || segments.at(-1)!.plainSize > 0).toBe(true);
  return { encryptedKey, segments };
}

/** What a downloader does with the satellite's answer: offsets from the sizes, last = the list's last. */
function download(bucket: string, key: string, stored: Stored, slice?: number): Uint8Array {
  const { contentKey, version } = openObjectKey(SECRET, bucket, key, stored.encryptedKey);
  const out: Uint8Array[] = [];
  let plainOffset = 0;
  stored.segments.forEach((s, i) => {
    const pos = { index: s.index, plainOffset, plainSize: s.plainSize, last: i === stored.segments.length - 1 };
    const slices = openSegment(contentKey, version, pos, s.sealed, slice);
    expect(Math.max(0, ...slices.slice(0, 1000).map((x) => x.length))).toBeLessThanOrEqual(slice ?? 1024 * 1024);
    for (const x of slices) out.push(x);
    plainOffset += s.plainSize;
  });
  return Buffer.concat(out);
}

function expectTampered(fn: () => unknown, where?: RegExp): void {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe('OBJECT_TAMPERED');
    expect((err as Error).message).toMatch(/segment -?\d+.*truncated, reordered, spliced or altered/);
    if (where) expect((err as Error).message).toMatch(where);
    return;
  }
  expect.fail(`no OBJECT_TAMPERED: ${Array.isArray(result) ? `${result.length} slices returned` : String(result)}`);
}

describe('sizes', () => {
  it('sealedSizeOf and plainSizeOf are inverse, 16 bytes per block, one block at least', () => {
    expect(sealedSizeOf(0)).toBe(16);
    expect(sealedSizeOf(1)).toBe(17);
    expect(sealedSizeOf(B)).toBe(B + 16);
    expect(sealedSizeOf(B + 1)).toBe(B + 33);
    expect(sealedSizeOf(64 * 1024 * 1024)).toBe(64 * 1024 * 1024 + 16 * 1024);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        expect(plainSizeOf(sealedSizeOf(n))).toBe(n);
      })
    );
    for (const bad of [0, 15, SEALED_BLOCK_SIZE + 1, SEALED_BLOCK_SIZE + 16, -1, 1.5]) expect(() => plainSizeOf(bad)).toThrow(RangeError);
  });

  it('names the formats apart', () => {
    expect(ENCRYPTION_NAME_V2).toBe('aes-256-gcm/blocks-64k/v2');
    expect(ENCRYPTION_NAME_V2).not.toBe(ENCRYPTION_NAME);
  });
});

describe('the object key', () => {
  it('wraps a fresh content key and version per upload, and opens with the same secret, bucket and key', () => {
    const a = createObjectKey(SECRET, 'photos', 'cat.jpg');
    const b = createObjectKey(SECRET, 'photos', 'cat.jpg');
    expect(a.encryptedKey.length).toBe(ENCRYPTED_KEY_BYTES);
    expect(ENCRYPTED_KEY_BYTES).toBe(77);
    expect(a.encryptedKey[0]).toBe(2);
    expect(Buffer.from(a.encryptedKey.subarray(1, 17)).equals(Buffer.from(a.version))).toBe(true);
    expect(Buffer.from(a.contentKey).equals(Buffer.from(b.contentKey))).toBe(false);
    expect(Buffer.from(a.version).equals(Buffer.from(b.version))).toBe(false);
    const opened = openObjectKey(SECRET, 'photos', 'cat.jpg', a.encryptedKey);
    expect(Buffer.from(opened.contentKey).equals(Buffer.from(a.contentKey))).toBe(true);
    expect(Buffer.from(opened.version).equals(Buffer.from(a.version))).toBe(true);
  });

  it('a wrong secret, another object or an altered blob: DECRYPTION_FAILED', () => {
    const { encryptedKey } = createObjectKey(SECRET, 'photos', 'cat.jpg');
    const fails = (secret: Uint8Array, bucket: string, key: string, blob: Uint8Array, message: RegExp): void => {
      expect(() => openObjectKey(secret, bucket, key, blob)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED', message: expect.stringMatching(message) as string }) as Error);
    };
    fails(new Uint8Array(randomBytes(32)), 'photos', 'cat.jpg', encryptedKey, /wrong secret/);
    fails(SECRET, 'photos', 'dog.jpg', encryptedKey, /wrong secret|altered/);
    fails(SECRET, 'photo', 'scat.jpg', encryptedKey, /wrong secret|altered/);
    fails(SECRET, 'photos\0cat.jpg', '', encryptedKey, /wrong secret|altered/);
    for (let i = 1; i < ENCRYPTED_KEY_BYTES; i++) {
      const bent = encryptedKey.slice();
      bent[i]! ^= 1 << (i % 8);
      fails(SECRET, 'photos', 'cat.jpg', bent, /altered/);
    }
    fails(SECRET, 'photos', 'cat.jpg', encryptedKey.subarray(0, 76), /altered/);
    fails(SECRET, 'photos', 'cat.jpg', Buffer.concat([encryptedKey, new Uint8Array(1)]), /altered/);
    fails(SECRET, 'photos', 'cat.jpg', new Uint8Array(0), /no encrypted key/);
    const newer = encryptedKey.slice();
    newer[0] = 3;
    fails(SECRET, 'photos', 'cat.jpg', newer, /unknown object key format 3/);
  });
});

describe('round trips', () => {
  const edges = [0, 1, B - 1, B, B + 1, 2 * B, 3 * B + 17];
  const segmentSizes = [B, 2 * B, B + 1, B - 1, 5000, Math.floor(2.5 * B)];

  it('edge sizes, one buffer and many small chunks, segment sizes multiple of BLOCK_SIZE and not', async () => {
    let seed = 1;
    for (const size of edges) {
      for (const segmentSize of segmentSizes) {
        const bytes = bytesOf(size, seed++);
        for (const source of [bytes, randomChunks(bytes, seed++, 3000)]) {
          const stored = await upload('b', `k${size}`, source, segmentSize);
          expect(stored.segments.length).toBe(Math.max(1, Math.ceil(size / segmentSize)));
          expect(Buffer.from(download('b', `k${size}`, stored)).equals(Buffer.from(bytes))).toBe(true);
          expect(Buffer.from(download('b', `k${size}`, stored, size < 100 ? 1 : 777)).equals(Buffer.from(bytes))).toBe(true);
        }
      }
    }
  });

  it('random sizes, chunkings, segment sizes and slice sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 * B }),
        fc.constantFrom(B, 2 * B, 3 * B, B + 1, 3 * B - 5, 10_000, 100_000),
        // Chunk sizes, used in turn (0: an empty chunk); all from fast-check, so a failure shrinks.
        fc.array(fc.oneof(fc.integer({ min: 1, max: 3 * B }), fc.constant(0)), { minLength: 1, maxLength: 8 }),
        fc.integer(),
        fc.constantFrom(undefined, 1000, B, 2 * B + 3, 1024 * 1024),
        async (size, segmentSize, chunkSizes, seed, slice) => {
          // The content: a PRNG seeded by fast-check (sizes up to 384 KiB are too many bytes to draw one by one).
          const bytes = bytesOf(size, seed);
          const stored = await upload('bucket', 'key', chunksOf(bytes, chunkSizes), segmentSize);
          const back = download('bucket', 'key', stored, slice);
          expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
        }
      ),
      { numRuns: 40 }
    );
  });

  it('the sealed bytes are the format written down: nonce u32 segment || u64 block, associated data per block', () => {
    const contentKey = new Uint8Array(randomBytes(32));
    const version = new Uint8Array(randomBytes(16));
    const plain = bytesOf(2 * B + 10, 99);
    const pos = { index: 7, plainOffset: 2 ** 33 + 5, last: true };
    const sealed = sealSegment(contentKey, version, pos, plain);
    const expected: Buffer[] = [];
    for (let b = 0; b < 3; b++) {
      const nonce = Buffer.alloc(12);
      nonce.writeUInt32BE(7, 0);
      nonce.writeBigUInt64BE(BigInt(b), 4);
      const ad = Buffer.alloc(50);
      ad.write('stowage/block/v2\0', 0, 'latin1');
      ad.set(version, 17);
      ad.writeUInt32BE(7, 33);
      ad.writeBigUInt64BE(BigInt(2 ** 33 + 5), 37);
      ad.writeUInt32BE(b, 45);
      ad[49] = (b === 2 ? 1 : 0) | 2;
      const c = createCipheriv('aes-256-gcm', contentKey, nonce);
      c.setAAD(ad);
      expected.push(c.update(plain.subarray(b * B, (b + 1) * B)), c.final(), c.getAuthTag());
    }
    expect(Buffer.from(sealed).equals(Buffer.concat(expected))).toBe(true);
  });
});

describe('tampering: OBJECT_TAMPERED, and no bytes', () => {
  // 4 segments of 2.5 blocks (not a multiple of BLOCK_SIZE), the last one shorter.
  const segmentSize = Math.floor(2.5 * B);
  const size = 3 * segmentSize + B + 100;
  const bytes = bytesOf(size, 4242);
  const stored = upload('b', 'k', bytes, segmentSize);
  const keyOf = async (): Promise<{ contentKey: Uint8Array; version: Uint8Array; s: Stored }> => {
    const s = await stored;
    return { ...openObjectKey(SECRET, 'b', 'k', s.encryptedKey), s };
  };
  const posOf = (s: Stored, i: number): SegmentPosition => ({ index: i, plainOffset: i * segmentSize, plainSize: s.segments[i]!.plainSize, last: i === s.segments.length - 1 });

  it('the untouched object reads back', async () => {
    const s = await stored;
    expect(s.segments.map((x) => x.plainSize)).toEqual([segmentSize, segmentSize, segmentSize, B + 100]);
    expect(Buffer.from(download('b', 'k', s)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('dropping the last segment (or the last ones): the new last lacks its flag', async () => {
    const { contentKey, version, s } = await keyOf();
    for (let keep = 1; keep < s.segments.length; keep++) {
      const i = keep - 1;
      // The last-segment flag is on every block of the last segment, so block 0 already fails.
      expectTampered(() => openSegment(contentKey, version, { ...posOf(s, i), last: true }, s.segments[i]!.sealed), new RegExp(`segment ${i}, block 0 of 3`));
      expectTampered(() => download('b', 'k', { ...s, segments: s.segments.slice(0, keep) }));
    }
    // And the last segment claimed not to be last (segments appended after it).
    expectTampered(() => openSegment(contentKey, version, { ...posOf(s, 3), last: false }, s.segments[3]!.sealed));
  });

  it('truncating a segment to fewer blocks, or fewer bytes of its last block', async () => {
    const { contentKey, version, s } = await keyOf();
    for (const i of [0, 3]) {
      const seg = s.segments[i]!;
      for (const plainSize of [0, 1, B - 1, B, B + 1, seg.plainSize - 1].filter((n) => n < seg.plainSize)) {
        const cut = seg.sealed.subarray(0, sealedSizeOf(plainSize));
        expectTampered(() => openSegment(contentKey, version, { ...posOf(s, i), plainSize }, cut));
      }
    }
    // The satellite shortens the last segment's size: the object reads short, and is caught.
    const shorter = s.segments.map((x, i) => (i === 3 ? { ...x, plainSize: B, sealed: x.sealed.subarray(0, sealedSizeOf(B)) } : x));
    expectTampered(() => download('b', 'k', { ...s, segments: shorter }), /segment 3, block 0/);
  });

  it('swapping, repeating or renumbering segments', async () => {
    const { contentKey, version, s } = await keyOf();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (i === j) continue;
        // Segment j's bytes where segment i belongs (same sizes, so only the binding catches it).
        expectTampered(() => openSegment(contentKey, version, posOf(s, i), s.segments[j]!.sealed), /block 0/);
        // Segment j's bytes renumbered as i, at j's offset; and at i's offset under j's number.
        expectTampered(() => openSegment(contentKey, version, { ...posOf(s, j), index: i }, s.segments[j]!.sealed));
        expectTampered(() => openSegment(contentKey, version, { ...posOf(s, i), index: j }, s.segments[j]!.sealed));
      }
    }
    const swapped = [s.segments[1]!, s.segments[0]!, s.segments[2]!, s.segments[3]!].map((x, i) => ({ ...x, index: i }));
    expectTampered(() => download('b', 'k', { ...s, segments: swapped }), /segment 0/);
    const repeated = [s.segments[0]!, s.segments[1]!, s.segments[1]!, s.segments[2]!, s.segments[3]!];
    expectTampered(() => download('b', 'k', { ...s, segments: repeated }), /segment 1/);
    const repeatedRenumbered = repeated.map((x, i) => ({ ...x, index: i }));
    expectTampered(() => download('b', 'k', { ...s, segments: repeatedRenumbered }), /segment 2/);
  });

  it('splicing segments of another upload of the same key', async () => {
    const a = await keyOf();
    const other = await upload('b', 'k', bytes, segmentSize);
    const b = openObjectKey(SECRET, 'b', 'k', other.encryptedKey);
    for (let i = 0; i < 4; i++) {
      // Same plaintext, same place, but another version: its key, its version, or both.
      expectTampered(() => openSegment(b.contentKey, b.version, posOf(a.s, i), a.s.segments[i]!.sealed));
      expectTampered(() => openSegment(a.contentKey, b.version, posOf(a.s, i), a.s.segments[i]!.sealed));
      expectTampered(() => openSegment(b.contentKey, a.version, posOf(a.s, i), a.s.segments[i]!.sealed));
    }
    const spliced = { encryptedKey: a.s.encryptedKey, segments: [a.s.segments[0]!, other.segments[1]!, a.s.segments[2]!, a.s.segments[3]!] };
    expectTampered(() => download('b', 'k', spliced), /segment 1/);
    const splicedOtherKey = { encryptedKey: other.encryptedKey, segments: [other.segments[0]!, other.segments[1]!, a.s.segments[2]!, other.segments[3]!] };
    expectTampered(() => download('b', 'k', splicedOtherKey), /segment 2/);
    // The key blob of one object does not open as another's.
    expect(() => openObjectKey(SECRET, 'b', 'k2', a.s.encryptedKey)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }) as Error);
  });

  it('a wrong plainOffset (sizes of earlier segments lied about)', async () => {
    const { contentKey, version, s } = await keyOf();
    for (let i = 0; i < 4; i++) {
      for (const delta of [1, -1, B, -B, 2 ** 32, segmentSize]) {
        const plainOffset = i * segmentSize + delta;
        if (plainOffset < 0) continue;
        expectTampered(() => openSegment(contentKey, version, { ...posOf(s, i), plainOffset }, s.segments[i]!.sealed), /block 0/);
      }
    }
    const lied = s.segments.map((x, i) => (i === 0 ? { ...x, plainSize: x.plainSize - 1, sealed: x.sealed.subarray(0, x.sealed.length - 1) } : x));
    expectTampered(() => download('b', 'k', { ...s, segments: lied }), /segment 0/);
  });

  it('a flipped byte in any block (ciphertext or tag)', async () => {
    const { contentKey, version, s } = await keyOf();
    const r = rng(7);
    for (let i = 0; i < 4; i++) {
      const seg = s.segments[i]!;
      const blocks = Math.ceil(seg.plainSize / B);
      for (let b = 0; b < blocks; b++) {
        const start = b * SEALED_BLOCK_SIZE;
        const end = Math.min(seg.sealed.length, start + SEALED_BLOCK_SIZE);
        for (const at of [start, end - 1, end - 16, start + Math.floor(r() * (end - start))]) {
          const bent = seg.sealed.slice();
          bent[at]! ^= 1 << Math.floor(r() * 8);
          expectTampered(() => openSegment(contentKey, version, posOf(s, i), bent), new RegExp(`segment ${i}, block ${b} of ${blocks}`));
        }
      }
    }
  });

  it('a sealed buffer of the wrong length', async () => {
    const { contentKey, version, s } = await keyOf();
    for (let i = 0; i < 4; i++) {
      const seg = s.segments[i]!.sealed;
      for (const bent of [seg.subarray(0, seg.length - 1), Buffer.concat([seg, new Uint8Array(1)]), Buffer.concat([seg, new Uint8Array(16)]), new Uint8Array(0)]) {
        expectTampered(() => openSegment(contentKey, version, posOf(s, i), bent), /sealed bytes where/);
      }
    }
  });

  it('an empty object: only the one empty, last segment opens', async () => {
    const e = await upload('b', 'empty', new Uint8Array(0), segmentSize);
    expect(e.segments.map((x) => [x.plainSize, x.sealed.length])).toEqual([[0, 16]]);
    const { contentKey, version } = openObjectKey(SECRET, 'b', 'empty', e.encryptedKey);
    expect(openSegment(contentKey, version, { index: 0, plainOffset: 0, plainSize: 0, last: true }, e.segments[0]!.sealed)).toEqual([]);
    expectTampered(() => openSegment(contentKey, version, { index: 0, plainOffset: 0, plainSize: 0, last: false }, e.segments[0]!.sealed));
    expectTampered(() => openSegment(contentKey, version, { index: 1, plainOffset: 0, plainSize: 0, last: true }, e.segments[0]!.sealed));
    // Nor does a non-empty object read as empty.
    const { s, ...k } = await keyOf();
    expectTampered(() => openSegment(k.contentKey, k.version, { index: 0, plainOffset: 0, plainSize: 0, last: true }, s.segments[0]!.sealed.subarray(0, 16)));
    // Positions that are not numbers a satellite could honestly send.
    for (const bad of [{ index: -1 }, { index: 2 ** 32 }, { plainOffset: -1 }, { plainOffset: 0.5 }, { plainSize: -16 }]) {
      expectTampered(() => openSegment(k.contentKey, k.version, { ...posOf(s, 0), ...bad }, s.segments[0]!.sealed));
    }
  });
});

describe('throughput', () => {
  it('seals and opens a 64 MiB segment', async () => {
    const size = 64 * 1024 * 1024;
    const plain = new Uint8Array(randomBytes(size));
    const { contentKey, version } = createObjectKey(SECRET, 'b', 'big');
    const sealer = new SegmentSealer(plain, size, contentKey, version);
    const into = new Uint8Array(sealer.maxSealedSize);
    into.fill(0); // touch the pages first, as a reused upload buffer would be
    const t0 = performance.now();
    const seg = (await sealer.next(into))!;
    const t1 = performance.now();
    const slices = openSegment(contentKey, version, seg, into.subarray(0, seg.sealedSize));
    const t2 = performance.now();
    expect(seg.last).toBe(true);
    expect(Buffer.concat(slices).equals(Buffer.from(plain))).toBe(true);
    // For scale: one AES-256-GCM call over the whole 64 MiB on this machine.
    const t3 = performance.now();
    const one = createCipheriv('aes-256-gcm', contentKey, Buffer.alloc(12));
    one.update(plain);
    one.final();
    const t4 = performance.now();
    const mibs = (ms: number): string => ((64 / ms) * 1000).toFixed(0);
    console.log(
      `64 MiB segment: seal ${(t1 - t0).toFixed(0)} ms (${mibs(t1 - t0)} MiB/s), open ${(t2 - t1).toFixed(0)} ms (${mibs(t2 - t1)} MiB/s), ` +
        `seal+open ${(t2 - t0).toFixed(0)} ms (${mibs(t2 - t0)} MiB/s of segment); one-shot AES-256-GCM of 64 MiB: ${(t4 - t3).toFixed(0)} ms (${mibs(t4 - t3)} MiB/s)`
    );
  });
});
