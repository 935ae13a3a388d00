// `aws-chunked` request bodies, as S3 clients send them (issue 22): each chunk `hex-size
// [;chunk-signature=SIG]\r\n DATA \r\n`, a last chunk of size 0, then, in the trailer modes,
// trailing headers (a checksum, and the trailer's signature when signed) and an empty line.
// Decoded as a stream: a signed chunk is released only once its signature (chained from the
// request's) is checked; an unsigned one at once, the checksum in the trailer checked at the end.
// Any fault throws an S3Error, so the caller aborts what it was writing.
// Reference: docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// sigv4-streaming-trailers.html.
import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from './errors.js';
import type { VerifiedSignature } from './sigv4.js';

export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const STREAMING_MODES = [STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER] as const;

/** Largest chunk accepted (a signed chunk is held until its signature is checked). */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Longest chunk header or trailer line. */
const MAX_LINE = 4096;
/** Most trailer lines. */
const MAX_TRAILERS = 16;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** The checksum algorithms a trailer (or header) may carry, by header name. */
export const CHECKSUM_HEADERS = ['x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256'] as const;
export type ChecksumHeader = (typeof CHECKSUM_HEADERS)[number];

/** A running checksum of one of S3's algorithms; `digest()` is its base64, as the header carries it. */
export interface Checksum {
  update(data: Uint8Array): void;
  digest(): string;
}

export function newChecksum(header: ChecksumHeader): Checksum {
  switch (header) {
    case 'x-amz-checksum-crc32': {
      let crc = 0;
      return { update: (d) => void (crc = crc32(d, crc)), digest: () => u32(crc) };
    }
    case 'x-amz-checksum-crc32c': {
      let crc = 0;
      return { update: (d) => void (crc = crc32c(d, crc)), digest: () => u32(crc) };
    }
    case 'x-amz-checksum-sha1':
    case 'x-amz-checksum-sha256': {
      const h: Hash = createHash(header === 'x-amz-checksum-sha1' ? 'sha1' : 'sha256');
      return { update: (d) => void h.update(d), digest: () => h.digest('base64') };
    }
  }
}

const u32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

/** CRC-32C (Castagnoli), which node:zlib lacks. */
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC32C_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Reads lines and exact byte counts from a stream of chunks, holding only what it must. */
class ByteReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly source: AsyncIterator<Uint8Array>;
  private done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.source.next();
    if (next.done === true) {
      this.done = true;
      return false;
    }
    // Appended only while a line is looked for (bounded by MAX_LINE); bytes() takes the buffer
    // empty and collects a signed chunk's pieces in a list, concatenated once (a 16 MiB chunk
    // arriving in 1 KiB pieces cost quadratic copying: review 17 M3).
    const value = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.buffer = this.buffer.length === 0 ? value : Buffer.concat([this.buffer, value]);
    return true;
  }

  /** One line without its CRLF; IncompleteBody when the stream ends first. */
  async line(): Promise<string> {
    for (;;) {
      const at = this.buffer.indexOf('\r\n');
      if (at >= 0) {
        if (at > MAX_LINE) break;
        const text = this.buffer.subarray(0, at).toString('latin1');
        this.buffer = this.buffer.subarray(at + 2);
        return text;
      }
      if (this.buffer.length > MAX_LINE) break;
      if (!(await this.more())) throw new S3Error('IncompleteBody', 400, 'the aws-chunked body ended inside a chunk header or trailer');
    }
    throw new S3Error('InvalidRequest', 400, `an aws-chunked header or trailer line is longer than ${MAX_LINE} bytes`);
  }

  /** Exactly `n` bytes, in pieces as they come (`whole`: in one piece). */
  async *bytes(n: number, whole: boolean): AsyncGenerator<Buffer> {
    if (whole) {
      const parts: Buffer[] = [];
      let have = 0;
      while (have < n) {
        if (this.buffer.length === 0 && !(await this.more())) throw new S3Error('IncompleteBody', 400, `the aws-chunked body ended ${n - have} bytes short of its chunk`);
        const take = Math.min(n - have, this.buffer.length);
        parts.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        have += take;
      }
      if (n > 0) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
      else yield Buffer.alloc(0);
      return;
    }
    let left = n;
    while (left > 0) {
      if (this.buffer.length === 0 || (whole && this.buffer.length < left)) {
        if (!(await this.more())) throw new S3Error('IncompleteBody', 400, `the aws-chunked body ended ${left} bytes short of its chunk`);
        continue;
      }
      const take = Math.min(left, this.buffer.length);
      const piece = this.buffer.subarray(0, take);
      this.buffer = this.buffer.subarray(take);
      left -= take;
      yield piece;
    }
  }

  /** Whether anything follows (bytes after the body's end are an error). */
  async atEnd(): Promise<boolean> {
    return this.buffer.length === 0 && !(await this.more());
  }
}

export interface ChunkedOptions {
  /** The request's x-amz-content-sha256: one of STREAMING_MODES. */
  mode: string;
  /** The verified request signature (the chunk signatures chain from it). */
  signature: VerifiedSignature;
  /** x-amz-decoded-content-length: the payload's length; the body must decode to exactly it. */
  decodedLength: number;
  /** x-amz-trailer: the trailing header announced (a checksum header), if any. */
  trailer?: string;
}

/** What the trailer said, once the body is read through. */
export interface ChunkedResult {
  /** The checksum header and its value the trailer carried (verified), if any. */
  checksum?: { header: ChecksumHeader; value: string };
}

/**
 * Decodes an aws-chunked body, yielding the payload. Throws S3Error: SignatureDoesNotMatch (a
 * chunk or the trailer), BadDigest (a trailer checksum), IncompleteBody, InvalidRequest
 * (malformed framing, a length other than declared, bytes after the end).
 */
export async function* decodeAwsChunked(body: AsyncIterable<Uint8Array>, options: ChunkedOptions, result: ChunkedResult = {}): AsyncGenerator<Buffer, ChunkedResult> {
  const signed = options.mode === STREAMING_SIGNED || options.mode === STREAMING_SIGNED_TRAILER;
  const trailing = options.mode === STREAMING_SIGNED_TRAILER || options.mode === STREAMING_UNSIGNED_TRAILER;
  if (!(STREAMING_MODES as readonly string[]).includes(options.mode)) throw new S3Error('InvalidRequest', 400, `x-amz-content-sha256 '${options.mode}' is not a streaming mode`);
  const announced = options.trailer?.toLowerCase();
  if (announced !== undefined && !(CHECKSUM_HEADERS as readonly string[]).includes(announced)) throw new S3Error('InvalidRequest', 400, `x-amz-trailer '${announced}' is not a checksum S3 knows`);
  if (announced !== undefined && !trailing) throw new S3Error('InvalidRequest', 400, `x-amz-trailer is set but ${options.mode} carries no trailer`);
  const checksum = announced === undefined ? undefined : newChecksum(announced as ChecksumHeader);
  const sig = options.signature;
  const chunkSignature = (previous: string, dataHash: string): string =>
    createHmac('sha256', sig.signingKey).update(`AWS4-HMAC-SHA256-PAYLOAD\n${sig.amzDate}\n${sig.scope}\n${previous}\n${EMPTY_SHA256}\n${dataHash}`).digest('hex');
  const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const reader = new ByteReader(body);
  let previous = sig.signature;
  let decoded = 0;
  for (;;) {
    const header = await reader.line();
    const m = /^([0-9a-fA-F]{1,8})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(header);
    if (!m) throw new S3Error('InvalidRequest', 400, `malformed aws-chunked chunk header '${header.slice(0, 100)}'`);
    const size = parseInt(m[1]!, 16);
    if (signed !== (m[2] !== undefined)) throw new S3Error('InvalidRequest', 400, signed ? 'a chunk of a signed aws-chunked body has no chunk-signature' : 'a chunk of an unsigned aws-chunked body carries a signature');
    if (size > MAX_CHUNK_BYTES) throw new S3Error('InvalidRequest', 400, `an aws-chunked chunk of ${size} bytes is larger than ${MAX_CHUNK_BYTES}`);
    decoded += size;
    if (decoded > options.decodedLength) throw new S3Error('InvalidRequest', 400, `the aws-chunked body holds more than its x-amz-decoded-content-length of ${options.decodedLength}`);
    if (signed) {
      // Held whole until its signature is checked: nothing unverified goes on.
      let data: Buffer = Buffer.alloc(0);
      for await (const piece of reader.bytes(size, true)) data = piece;
      const expected = chunkSignature(previous, createHash('sha256').update(data).digest('hex'));
      if (!same(expected, m[2]!)) throw new S3Error('SignatureDoesNotMatch', 403, `the signature of the aws-chunked chunk ending at byte ${decoded} does not match`);
      previous = m[2]!;
      checksum?.update(data);
      if (size > 0) yield data;
    } else {
      for await (const piece of reader.bytes(size, false)) {
        checksum?.update(piece);
        yield piece;
      }
    }
    if (size > 0 || !trailing) {
      // Every chunk's data ends with CRLF, the last one's too when no trailer follows.
      if ((await reader.line()) !== '') throw new S3Error('InvalidRequest', 400, 'an aws-chunked chunk is longer than its size says');
    }
    if (size === 0) break;
  }
  if (decoded !== options.decodedLength) throw new S3Error('IncompleteBody', 400, `the aws-chunked body decoded to ${decoded} bytes, x-amz-decoded-content-length says ${options.decodedLength}`);
  if (trailing) {
    const lines: [string, string][] = [];
    let trailerSignature: string | undefined;
    for (;;) {
      const line = await reader.line();
      if (line === '') break;
      if (lines.length >= MAX_TRAILERS) throw new S3Error('InvalidRequest', 400, `more than ${MAX_TRAILERS} trailer lines`);
      const colon = line.indexOf(':');
      if (colon <= 0) throw new S3Error('InvalidRequest', 400, `malformed trailer line '${line.slice(0, 100)}'`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') trailerSignature = value;
      else lines.push([name, value]);
    }
    if (options.mode === STREAMING_SIGNED_TRAILER) {
      if (trailerSignature === undefined) throw new S3Error('SignatureDoesNotMatch', 403, 'the signed aws-chunked body has no x-amz-trailer-signature');
      const canonical = lines.map(([n, v]) => `${n}:${v}\n`).join('');
      const expected = createHmac('sha256', sig.signingKey)
        .update(`AWS4-HMAC-SHA256-TRAILER\n${sig.amzDate}\n${sig.scope}\n${previous}\n${createHash('sha256').update(canonical).digest('hex')}`)
        .digest('hex');
      if (!same(expected, trailerSignature)) throw new S3Error('SignatureDoesNotMatch', 403, 'the signature of the aws-chunked trailer does not match');
    }
    if (announced !== undefined) {
      const given = lines.find(([n]) => n === announced)?.[1];
      if (given === undefined) throw new S3Error('InvalidRequest', 400, `the trailer has no ${announced}, which x-amz-trailer announced`);
      const computed = checksum!.digest();
      if (given !== computed) throw new S3Error('BadDigest', 400, `the ${announced.slice('x-amz-checksum-'.length).toUpperCase()} you specified did not match the calculated checksum`);
      result.checksum = { header: announced as ChecksumHeader, value: computed };
    }
  }
  if (!(await reader.atEnd())) throw new S3Error('InvalidRequest', 400, 'bytes follow the end of the aws-chunked body');
  return result;
}
