/**
 * The S3-compatible gateway (issue 22): `S3Gateway.start(config)` serves S3 over HTTP(S) in front
 * of the client library; credentials.ts keeps the access key ids it hands out; sigv4.ts and
 * chunked.ts check signatures and aws-chunked bodies as plain functions.
 */
export { S3Gateway, GATEWAY_PATH, type GatewayOptions } from './server.js';
export { GATEWAY_DEFAULTS, type GatewayConfig } from './config.js';
export { loadGatewayConfig } from './load-config.js';
export { CredentialStore, CredentialError, type Credential } from './credentials.js';
export { S3Error, toS3Error } from './errors.js';
export { checkConditions, etagMatches, parseRange } from './conditions.js';
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
