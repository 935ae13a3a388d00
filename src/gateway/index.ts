/**
 * The S3-compatible gateway (issue 22), under way: so far the AWS Signature V4 checks (header and
 * presigned) and the aws-chunked body decoder (signed chunks, signed and unsigned trailers with
 * CRC32/CRC32C/SHA-1/SHA-256), as plain functions tested in test/gateway.
 */
export { S3Error } from './errors.js';
export {
  CHECKSUM_HEADERS,
  MAX_CHUNK_BYTES,
  STREAMING_MODES,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  crc32c,
  decodeAwsChunked,
  newChecksum,
  type Checksum,
  type ChecksumHeader,
  type ChunkedOptions,
  type ChunkedResult
} from './chunked.js';
export {
  MAX_CLOCK_SKEW_MS,
  MAX_PRESIGN_EXPIRES_S,
  SIGV4_ALGORITHM,
  UNSIGNED_PAYLOAD,
  canonicalQuery,
  canonicalRequest,
  queryParams,
  signingKey,
  stringToSign,
  uriEncode,
  verifySigV4,
  type SecretLookup,
  type SigV4Request,
  type VerifiedSignature
} from './sigv4.js';
