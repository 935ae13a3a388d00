// aws-chunked bodies: the AWS documentation's own signed example (its seed, chunk and final
// signatures) decodes, split any way on the wire; unsigned bodies with each trailer checksum as the
// SDK writes them decode; a changed byte, a wrong signature or checksum, a body cut short or too
// long are refused with S3's codes.
import { createHash, createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CHECKSUM_HEADERS,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  crc32c,
  decodeAwsChunked,
  newChecksum,
  verifySigV4,
  type ChecksumHeader,
  type VerifiedSignature
} from '../../src/gateway/index.js';

/** `bytes` in pieces of seeded random sizes (1 byte to 9 KiB), as a socket might deliver them. */
async function* pieces(bytes: Buffer, seed: number): AsyncGenerator<Buffer> {
  let s = seed;
  for (let at = 0; at < bytes.length; ) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (s % 9216);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

async function decode(body: Buffer, options: Parameters<typeof decodeAwsChunked>[1], seed = 1): Promise<{ data: Buffer; checksum?: string }> {
  const out: Buffer[] = [];
  const gen = decodeAwsChunked(pieces(body, seed), options);
  for (;;) {
    const next = await gen.next();
    if (next.done === true) return { data: Buffer.concat(out), ...(next.value.checksum ? { checksum: next.value.checksum.value } : {}) };
    out.push(Buffer.from(next.value));
  }
}

// The example of docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html: 66,560 bytes of
// 'a' in chunks of 64 KiB, signed with the documentation's key on 2013-05-24.
const DOC = {
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  seed: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  chunks: [
    { size: 65536, sig: 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648' },
    { size: 1024, sig: '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497' },
    { size: 0, sig: 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9' }
  ]
};
const docBody = (chunks = DOC.chunks, fill = 'a'): Buffer =>
  Buffer.concat(chunks.map((c) => Buffer.concat([Buffer.from(`${c.size.toString(16)};chunk-signature=${c.sig}\r\n`), Buffer.alloc(c.size, fill), Buffer.from('\r\n')])));

async function docSignature(): Promise<VerifiedSignature> {
  const headers = {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
    'x-amz-content-sha256': STREAMING_SIGNED,
    authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${DOC.seed}`
  };
  return await verifySigV4({ method: 'PUT', path: '/examplebucket/chunkObject.txt', query: '', headers }, (id) => (id === 'AKIAIOSFODNN7EXAMPLE' ? DOC.secret : undefined), Date.UTC(2013, 4, 24), { region: 'us-east-1' });
}

describe('signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  it("decode the AWS documentation's example, split any way on the wire", async () => {
    const signature = await docSignature();
    expect(signature.signature).toBe(DOC.seed);
    expect(docBody().length).toBe(66824);
    for (const seed of [1, 2, 3, 99]) {
      const { data } = await decode(docBody(), { mode: STREAMING_SIGNED, signature, decodedLength: 66560 }, seed);
      expect([seed, data.length, data.equals(Buffer.alloc(66560, 'a'))]).toEqual([seed, 66560, true]);
    }
  });

  it('refuse a changed byte, a changed or missing chunk signature, a body cut short, too long, or with bytes after it', async () => {
    const signature = await docSignature();
    const opts = { mode: STREAMING_SIGNED, signature, decodedLength: 66560 };
    const changed = docBody();
    changed[100] = 'b'.charCodeAt(0);
    await expect(decode(changed, opts)).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch', status: 403 });
    const wrongSig = docBody([DOC.chunks[0]!, { ...DOC.chunks[1]!, sig: DOC.chunks[0]!.sig }, DOC.chunks[2]!]);
    await expect(decode(wrongSig, opts)).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
    // Chunks in another order: each signature chains from the one before.
    await expect(decode(docBody([DOC.chunks[1]!, DOC.chunks[0]!, DOC.chunks[2]!]), opts)).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
    const unsigned = Buffer.from(docBody().toString('latin1').replace(`;chunk-signature=${DOC.chunks[0]!.sig}`, ''), 'latin1');
    await expect(decode(unsigned, opts)).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    await expect(decode(docBody().subarray(0, 50_000), opts)).rejects.toMatchObject({ s3Code: 'IncompleteBody' });
    await expect(decode(docBody(), { ...opts, decodedLength: 66559 })).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    await expect(decode(docBody(), { ...opts, decodedLength: 70000 })).rejects.toMatchObject({ s3Code: 'IncompleteBody' });
    await expect(decode(Buffer.concat([docBody(), Buffer.from('x')]), opts)).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    await expect(decode(Buffer.from('zz;chunk-signature=00\r\n'), opts)).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    // A header line that never ends is cut at 4 KiB, not held.
    await expect(decode(Buffer.alloc(100_000, '1'), opts)).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
  });
});

/** An unsigned body as the SDK writes it: chunks, `0`, the checksum trailer, an empty line. */
function unsignedBody(data: Buffer, chunk: number, header: ChecksumHeader, value?: string): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunk) {
    const piece = data.subarray(at, at + chunk);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  const sum = newChecksum(header);
  sum.update(data);
  parts.push(Buffer.from(`0\r\n${header}:${value ?? sum.digest()}\r\n\r\n`));
  return Buffer.concat(parts);
}

describe('unsigned aws-chunked bodies with a trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', () => {
  const signature = { signingKey: Buffer.alloc(32), signature: '', scope: '', amzDate: '' } as unknown as VerifiedSignature;

  it('checks CRC32, CRC32C, SHA-1 and SHA-256 trailers (CRC32C known answer: "123456789" is e3069283)', async () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
    const data = createHash('sha512').update('seed').digest();
    const big = Buffer.concat(Array.from({ length: 3000 }, () => data));
    const u32 = (n: number): string => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b.toString('base64');
    };
    // Each computed another way: zlib, the one-shot CRC32C, node:crypto.
    const independently: Record<ChecksumHeader, string> = {
      'x-amz-checksum-crc32': u32(crc32(big)),
      'x-amz-checksum-crc32c': u32(crc32c(big)),
      'x-amz-checksum-sha1': createHash('sha1').update(big).digest('base64'),
      'x-amz-checksum-sha256': createHash('sha256').update(big).digest('base64')
    };
    for (const header of CHECKSUM_HEADERS) {
      const { data: out, checksum } = await decode(unsignedBody(big, 65536, header), { mode: STREAMING_UNSIGNED_TRAILER, signature, decodedLength: big.length, trailer: header }, 7);
      expect([header, out.equals(big)]).toEqual([header, true]);
      expect([header, checksum]).toEqual([header, independently[header]]);
      await expect(decode(unsignedBody(big, 65536, header, 'AAAAAA=='), { mode: STREAMING_UNSIGNED_TRAILER, signature, decodedLength: big.length, trailer: header })).rejects.toMatchObject({ s3Code: 'BadDigest', status: 400 });
    }
    // The trailer announced but missing; a trailer S3 does not know.
    const body = unsignedBody(big, 65536, 'x-amz-checksum-crc32');
    await expect(decode(body, { mode: STREAMING_UNSIGNED_TRAILER, signature, decodedLength: big.length, trailer: 'x-amz-checksum-sha256' })).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
    await expect(decode(body, { mode: STREAMING_UNSIGNED_TRAILER, signature, decodedLength: big.length, trailer: 'x-amz-checksum-md5' })).rejects.toMatchObject({ s3Code: 'InvalidRequest' });
  });
});

describe('signed aws-chunked bodies with a signed trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', () => {
  it('check every chunk and the trailer signature, which covers the checksum', async () => {
    const signature = await docSignature();
    const key = signature.signingKey;
    const sign = (previous: string, data: Buffer): string =>
      createHmac('sha256', key).update(`AWS4-HMAC-SHA256-PAYLOAD\n${signature.amzDate}\n${signature.scope}\n${previous}\n${createHash('sha256').digest('hex')}\n${createHash('sha256').update(data).digest('hex')}`).digest('hex');
    const data = Buffer.alloc(10_000, 'z');
    const s1 = sign(signature.signature, data);
    const s2 = sign(s1, Buffer.alloc(0));
    const sum = newChecksum('x-amz-checksum-crc32c');
    sum.update(data);
    const trailer = (value: string): string => `x-amz-checksum-crc32c:${value}\n`;
    const trailerSig = (value: string): string =>
      createHmac('sha256', key).update(`AWS4-HMAC-SHA256-TRAILER\n${signature.amzDate}\n${signature.scope}\n${s2}\n${createHash('sha256').update(trailer(value)).digest('hex')}`).digest('hex');
    const body = (value: string, sigOf: string): Buffer =>
      Buffer.concat([Buffer.from(`2710;chunk-signature=${s1}\r\n`), data, Buffer.from(`\r\n0;chunk-signature=${s2}\r\nx-amz-checksum-crc32c:${value}\r\nx-amz-trailer-signature:${trailerSig(sigOf)}\r\n\r\n`)]);
    const opts = { mode: STREAMING_SIGNED_TRAILER, signature, decodedLength: 10_000, trailer: 'x-amz-checksum-crc32c' };
    expect((await decode(body(sum.digest(), sum.digest()), opts)).data.equals(data)).toBe(true);
    // A checksum changed after signing: the trailer's signature no longer holds.
    await expect(decode(body('AAAAAA==', sum.digest()), opts)).rejects.toMatchObject({ s3Code: 'SignatureDoesNotMatch' });
    // Signed as it is but wrong: the checksum is checked too.
    await expect(decode(body('AAAAAA==', 'AAAAAA=='), opts)).rejects.toMatchObject({ s3Code: 'BadDigest' });
  });
});
