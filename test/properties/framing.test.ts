// Framing (src/protocol/framing.ts): length-prefixed messages written as frames, cut into pieces at
// arbitrary byte points, each piece sent on its own over a real libp2p stream (@libp2p/utils'
// streamPair: the AbstractStream the muxers build on, in memory, so every piece arrives as its own
// 'message' event), must be read back by FramedStream intact and in order: with any high-water
// mark (small ones make the reader pause and resume the stream all the time) and any pauses of the
// reader between reads. A stream cut short ends cleanly only at a frame boundary; a frame above
// the reader's limit is refused, and the frames before it still arrive.
import type { Stream } from '@libp2p/interface';
import { streamPair } from '@libp2p/utils';
import fc from 'fast-check';
import { Uint8ArrayList } from 'uint8arraylist';
import { expect, it } from 'vitest';
import { FramedStream, UploadRequest, encodeFrame, encodeVarint, type MessageCodec } from '../../src/protocol/index.js';

/** Messages that are bare bytes: any length (0 too), any content. */
interface Raw {
  bytes: Uint8Array;
}
const raw: MessageCodec<Raw> = {
  encode: (m) => m.bytes ?? new Uint8Array(0),
  decode: (b) => ({ bytes: b.slice() })
};

/** LEB128 decoded by hand: the model of the length prefix. */
function decodeVarint(b: Uint8Array): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < b.length; i++) {
    value += (b[i]! & 0x7f) * 2 ** (7 * i);
    if (b[i]! < 0x80) return { value, length: i + 1 };
  }
  throw new Error('unterminated varint');
}

/** Small messages, and now and then one long enough for a 2- or 3-byte length prefix. */
const message = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 128, max: 20_000 }), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([n, pattern]) => Uint8Array.from({ length: n }, (_, i) => pattern[i % pattern.length]! ^ (i >>> 7))) }
);

/** The frames of `messages` back to back, and cut points into them (ascending, distinct, inside). */
const framesAndCuts = fc.array(message, { maxLength: 12 }).chain((messages) => {
  const wire = Buffer.concat(messages.map((m) => encodeFrame(raw, { bytes: m }).subarray()));
  const cuts = wire.length < 2 ? fc.constant([]) : fc.uniqueArray(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 40 }).map((c) => c.sort((a, b) => a - b));
  return fc.tuple(fc.constant(messages), fc.constant(new Uint8Array(wire)), cuts);
});

function pieces(wire: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  return [0, ...cuts].map((at, i) => wire.subarray(at, cuts[i] ?? wire.length));
}

/** Sends the pieces one by one on a fresh stream pair, then closes the writing side. */
async function sendPieces(parts: Uint8Array[]): Promise<Stream> {
  const [out, inbound] = await streamPair({ delay: 0 });
  void (async () => {
    for (const p of parts) {
      if (p.length === 0) continue;
      if (!out.send(p)) await new Promise((r) => out.addEventListener('drain', r, { once: true }));
    }
    await out.close();
  })();
  return inbound;
}

/** Reads to the end; `waits` says after which reads the reader yields to the event loop first. */
async function readAll(framed: FramedStream, waits: readonly boolean[]): Promise<Uint8Array[]> {
  const got: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    if (waits[i % Math.max(1, waits.length)]) await new Promise((r) => setTimeout(r, 0));
    const m = await framed.read(raw);
    if (m === undefined) return got;
    got.push(m.bytes);
  }
}

it('encodeVarint is LEB128: decodes to the number, 7 bits a byte, continuation bits on all but the last', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 21 }), fc.maxSafeInteger().map(Math.abs)), (n) => {
      const b = encodeVarint(n);
      expect(decodeVarint(b)).toEqual({ value: n, length: b.length });
      expect(b.length).toBe(Math.max(1, Math.ceil(n.toString(2).length / 7)));
      b.forEach((x, i) => expect(x >= 0x80).toBe(i < b.length - 1));
    }),
    { numRuns: 300 }
  );
});

it('encodeFrame is the varint length, then the encoded message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 1000 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.boolean(), (chunk, size, done) => {
      const frame = encodeFrame(UploadRequest, { chunk, size, done }).subarray();
      const body = UploadRequest.encode({ chunk, size, done });
      const { value, length } = decodeVarint(frame);
      expect(value).toBe(body.length);
      expect(Buffer.from(frame.subarray(length)).equals(Buffer.from(body))).toBe(true);
      expect(UploadRequest.decode(frame.subarray(length))).toMatchObject({ chunk, size, done });
    }),
    { numRuns: 200 }
  );
});

/**
 * A stream whose resume() throws once called many times over with no byte arriving in between: a
 * reader that spins on pause and resume fails the test instead of hanging the process.
 */
function spinGuard(stream: Stream): { resumes: () => number } {
  let idle = 0;
  let total = 0;
  const resume = stream.resume.bind(stream);
  stream.addEventListener('message', () => (idle = 0));
  stream.resume = () => {
    total++;
    if (++idle > 1000) throw new Error('resumed 1000 times without a byte arriving');
    resume();
  };
  return { resumes: () => total };
}

it('frames cut at arbitrary points arrive intact and in order, whatever the reader pauses; high-water marks from one frame up', async () => {
  let resumed = 0;
  await fc.assert(
    fc.asyncProperty(framesAndCuts, fc.nat(600), fc.array(fc.boolean(), { maxLength: 5 }), async ([messages, wire, cuts], above, waits) => {
      // The high-water mark is at least the largest frame (see the next test for smaller ones).
      const largest = Math.max(0, ...messages.map((m) => encodeVarint(m.length).length + m.length));
      const inbound = await sendPieces(pieces(wire, cuts));
      const guard = spinGuard(inbound);
      const framed = new FramedStream(inbound, { idleTimeoutMs: 5_000, highWaterMark: largest + above });
      const got = await readAll(framed, waits);
      resumed += guard.resumes();
      expect(got.map((m) => Buffer.from(m).toString('hex'))).toEqual(messages.map((m) => Buffer.from(m).toString('hex')));
      expect(framed.buffered).toBe(0);
    }),
    { numRuns: 120 }
  );
  // The runs did make the reader pause and resume the stream.
  expect(resumed).toBeGreaterThan(0);
});

it('a frame larger than the high-water mark is still read (the option allows it)', async () => {
  // A 12-byte frame arrives in two pieces, 5 ms apart; the reader's high-water mark is 4 bytes.
  // Found by the property above with small marks: the read resumed and re-paused the stream in
  // a synchronous loop while the rest of the frame was on its way (and ran out of memory).
  const [out, inbound] = await streamPair({ delay: 0 });
  const guard = spinGuard(inbound);
  const framed = new FramedStream(inbound, { idleTimeoutMs: 5_000, highWaterMark: 4 });
  const frame = encodeFrame(raw, { bytes: new Uint8Array(11).fill(7) }).subarray();
  out.send(frame.subarray(0, 6));
  setTimeout(() => {
    out.send(frame.subarray(6));
    void out.close();
  }, 5);
  const read = await framed.read(raw).catch((err: unknown) => err);
  expect(guard.resumes(), 'stream.resume() calls while the frame was on its way').toBeLessThan(100);
  expect(read).toEqual({ bytes: new Uint8Array(11).fill(7) });
});

it('protobuf messages cut at arbitrary points arrive as they were sent', async () => {
  const request = fc.record({ chunk: fc.uint8Array({ maxLength: 200 }), size: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), done: fc.boolean() });
  await fc.assert(
    fc.asyncProperty(
      fc.array(request, { minLength: 1, maxLength: 8 }).chain((msgs) => {
        const wire = new Uint8ArrayList(...msgs.map((m) => encodeFrame(UploadRequest, m))).subarray();
        return fc.tuple(fc.constant(msgs), fc.constant(wire), fc.uniqueArray(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 20 }).map((c) => c.sort((a, b) => a - b)));
      }),
      async ([msgs, wire, cuts]) => {
        const framed = new FramedStream(await sendPieces(pieces(wire, cuts)), { idleTimeoutMs: 5_000 });
        const got: UploadRequest[] = [];
        for (let m = await framed.read(UploadRequest); m; m = await framed.read(UploadRequest)) got.push(m);
        expect(got).toEqual(msgs);
      }
    ),
    { numRuns: 40 }
  );
});

it('a stream cut short: the whole frames before the cut, then a clean end only at a frame boundary', async () => {
  await fc.assert(
    fc.asyncProperty(framesAndCuts, fc.nat(), async ([messages, wire, cuts], at) => {
      const cut = at % (wire.length + 1);
      // Frame boundaries, and how many whole frames end at or before the cut.
      const ends: number[] = [];
      let off = 0;
      for (const m of messages) ends.push((off += encodeVarint(m.length).length + m.length));
      const whole = ends.filter((e) => e <= cut).length;
      const framed = new FramedStream(await sendPieces(pieces(wire.subarray(0, cut), cuts.filter((c) => c < cut))), { idleTimeoutMs: 5_000 });
      for (let i = 0; i < whole; i++) expect(Buffer.from((await framed.read(raw))!.bytes).equals(Buffer.from(messages[i]!))).toBe(true);
      if (cut === 0 || ends.includes(cut)) expect(await framed.read(raw)).toBeUndefined();
      else await expect(framed.read(raw)).rejects.toMatchObject({ code: 'PROTOCOL_STREAM_CLOSED', message: 'stream ended in the middle of a message' });
    }),
    { numRuns: 80 }
  );
});

it('a frame above the limit is refused from its length prefix; the frames before it arrive', async () => {
  await fc.assert(
    fc.asyncProperty(framesAndCuts, fc.integer({ min: 0, max: 400 }), async ([messages, wire, cuts], limit) => {
      const first = messages.findIndex((m) => m.length > limit);
      const framed = new FramedStream(await sendPieces(pieces(wire, cuts)), { idleTimeoutMs: 5_000, maxMessageBytes: limit });
      const upTo = first < 0 ? messages.length : first;
      for (let i = 0; i < upTo; i++) expect(Buffer.from((await framed.read(raw))!.bytes).equals(Buffer.from(messages[i]!))).toBe(true);
      if (first < 0) expect(await framed.read(raw)).toBeUndefined();
      else await expect(framed.read(raw)).rejects.toMatchObject({ code: 'PROTOCOL_OVERSIZED', message: `message of ${messages[first]!.length} bytes exceeds the limit of ${limit}` });
    }),
    { numRuns: 80 }
  );
});
