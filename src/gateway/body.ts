// A request's payload as the gateway stores it: the raw body, or the payload of an aws-chunked
// body, checked on the way through against everything the client declared: the signed SHA-256
// (x-amz-content-sha256), Content-MD5, an x-amz-checksum-* header or trailer, and the length.
// Every check fails the stream before it ends, so an upload fed from it is never committed.
import { createHash, type Hash } from 'node:crypto';
import { CHECKSUM_HEADERS, STREAMING_MODES, decodeAwsChunked, newChecksum, type ChecksumHeader, type ChunkedResult } from './chunked.js';
import { S3Error } from './errors.js';
import { UNSIGNED_PAYLOAD, type VerifiedSignature } from './sigv4.js';

/** What the payload turned out to be, once read through. */
export interface PayloadSummary {
  /** Payload bytes. */
  size: number;
  /** Hex MD5 of the payload (S3's ETag of a single upload). */
  md5: string;
  /** The x-amz-checksum-* the client sent (header or trailer), verified. */
  checksum?: { header: ChecksumHeader; value: string };
}

export interface Payload {
  /** Declared payload length, when the request said it. */
  length: number | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Filled in when `body` has been read to its end without an error. */
  summary: PayloadSummary | undefined;
}

type Headers = Readonly<Record<string, string | undefined>>;

/** The largest single PUT S3 accepts (5 GiB); bigger objects go multipart. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** The request's payload, checked as it is read. `maxBytes` bounds it (EntityTooLarge beyond). */
export function requestPayload(body: AsyncIterable<Uint8Array>, headers: Headers, auth: VerifiedSignature, maxBytes = MAX_PUT_BYTES): Payload {
  const declared = auth.payloadHash;
  const streaming = (STREAMING_MODES as readonly string[]).includes(declared);
  const contentLength = headers['content-length'] !== undefined ? parseLength(headers['content-length'], 'Content-Length') : undefined;
  const length = streaming ? parseLength(headers['x-amz-decoded-content-length'], 'x-amz-decoded-content-length') : contentLength;
  if (length !== undefined && length > maxBytes) throw new S3Error('EntityTooLarge', 400, `your proposed upload of ${length} bytes exceeds the maximum allowed size of ${maxBytes} bytes`);
  if (!streaming && declared !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(declared)) {
    throw new S3Error('InvalidArgument', 400, `x-amz-content-sha256 '${declared.slice(0, 80)}' is not a SHA-256, UNSIGNED-PAYLOAD or a streaming mode`);
  }
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(contentMd5)) throw new S3Error('InvalidDigest', 400, 'the Content-MD5 you specified is not valid');
  // An x-amz-checksum-* header (a trailer is checked by the chunked decoder).
  const headerChecksums = CHECKSUM_HEADERS.filter((h) => headers[h] !== undefined);
  if (headerChecksums.length > 1) throw new S3Error('InvalidRequest', 400, 'expecting a single x-amz-checksum- header; multiple checksum types are not allowed');
  const headerChecksum = headerChecksums[0];
  const payload: Payload = { length, body: undefined as never, summary: undefined };
  const chunkedResult: ChunkedResult = {};
  const source: AsyncIterable<Uint8Array> = streaming
    ? decodeAwsChunked(body, { mode: declared, signature: auth, decodedLength: length!, trailer: headers['x-amz-trailer'] }, chunkedResult)
    : body;
  payload.body = (async function* (): AsyncGenerator<Uint8Array> {
    const md5 = createHash('md5');
    const sha: Hash | undefined = /^[0-9a-f]{64}$/.test(declared) ? createHash('sha256') : undefined;
    const checksum = headerChecksum ? newChecksum(headerChecksum) : undefined;
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) throw new S3Error('EntityTooLarge', 400, `your proposed upload exceeds the maximum allowed size of ${maxBytes} bytes`);
      if (!streaming && length !== undefined && size > length) throw new S3Error('InvalidRequest', 400, `the body is longer than its Content-Length of ${length}`);
      md5.update(chunk);
      sha?.update(chunk);
      checksum?.update(chunk);
      yield chunk;
    }
    if (length !== undefined && size !== length) throw new S3Error('IncompleteBody', 400, `you did not provide the number of bytes specified by the Content-Length HTTP header (${size} of ${length})`);
    const md5Bytes = md5.digest();
    if (sha && sha.digest('hex') !== declared) throw new S3Error('XAmzContentSHA256Mismatch', 400, "the provided 'x-amz-content-sha256' header does not match what was computed");
    if (contentMd5 !== undefined && md5Bytes.toString('base64') !== contentMd5) throw new S3Error('BadDigest', 400, 'the Content-MD5 you specified did not match what we received');
    let verified: PayloadSummary['checksum'] = chunkedResult.checksum;
    if (checksum && headerChecksum) {
      const value = checksum.digest();
      if (value !== headers[headerChecksum]) throw new S3Error('BadDigest', 400, `the ${headerChecksum.slice('x-amz-checksum-'.length).toUpperCase()} you specified did not match the calculated checksum`);
      verified = { header: headerChecksum, value };
    }
    payload.summary = { size, md5: md5Bytes.toString('hex'), ...(verified ? { checksum: verified } : {}) };
  })();
  return payload;
}

function parseLength(text: string | undefined, name: string): number {
  if (text === undefined) throw new S3Error('MissingContentLength', 411, `you must provide the ${name} HTTP header`);
  if (!/^\d{1,16}$/.test(text.trim())) throw new S3Error('InvalidArgument', 400, `${name} '${text.slice(0, 40)}' is not a byte count`);
  return Number(text.trim());
}

/** Reads a small body whole (XML requests): at most `max` bytes, else MaxMessageLengthExceeded. */
export async function readSmallBody(payload: Payload, max: number): Promise<Buffer> {
  if (payload.length !== undefined && payload.length > max) throw new S3Error('MaxMessageLengthExceeded', 400, `your request was too big (${payload.length} > ${max} bytes)`);
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of payload.body) {
    n += chunk.length;
    if (n > max) throw new S3Error('MaxMessageLengthExceeded', 400, `your request was too big (more than ${max} bytes)`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** The chunks of `source` as they are, each shown to `see` on the way (counting, hashing). */
export async function* tap(source: AsyncIterable<Uint8Array>, see: (chunk: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    see(chunk);
    yield chunk;
  }
}
