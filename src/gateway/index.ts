/**
 * The S3-compatible gateway (issue 22), under way: so far the AWS Signature V4 checks (header and
 * presigned) as plain functions, checked against @smithy/signature-v4 in test/gateway.
 */
export { S3Error } from './errors.js';
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
