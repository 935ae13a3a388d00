import { StowageError } from '../common/index.js';

/**
 * An error the gateway answers as S3 does: `s3Code` is S3's error code (the XML body's `Code`),
 * `status` its HTTP status; `code` is Stowage's stable code (`GATEWAY_` and S3's code in capitals).
 */
export class S3Error extends StowageError {
  readonly s3Code: string;
  readonly status: number;

  constructor(s3Code: string, status: number, message: string, options?: { cause?: unknown }) {
    super(`GATEWAY_${s3Code.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`, message, options);
    this.s3Code = s3Code;
    this.status = status;
  }
}

/** Stowage's codes (the satellite's, the client library's) as S3 errors. */
const FROM_STOWAGE: Record<string, [string, number]> = {
  BUCKET_NOT_FOUND: ['NoSuchBucket', 404],
  OBJECT_NOT_FOUND: ['NoSuchKey', 404],
  BUCKET_EXISTS: ['BucketAlreadyOwnedByYou', 409],
  BUCKET_NOT_EMPTY: ['BucketNotEmpty', 409],
  BUCKET_NAME_INVALID: ['InvalidBucketName', 400],
  OBJECT_KEY_INVALID: ['KeyTooLongError', 400],
  OBJECT_METADATA_TOO_LARGE: ['MetadataTooLarge', 400],
  OBJECT_CHANGED: ['PreconditionFailed', 412],
  RANGE_INVALID: ['InvalidRange', 416],
  OBJECT_RANGE_INVALID: ['InvalidRange', 416],
  PROJECT_STORAGE_LIMIT: ['QuotaExceeded', 403],
  PROJECT_SEGMENT_LIMIT: ['QuotaExceeded', 403],
  PROJECT_BANDWIDTH_LIMIT: ['QuotaExceeded', 403],
  API_KEY_INVALID: ['AccessDenied', 403],
  API_KEY_NOT_FOUND: ['AccessDenied', 403],
  API_KEY_REVOKED: ['AccessDenied', 403],
  ACCESS_INVALID: ['AccessDenied', 403],
  RATE_LIMITED: ['SlowDown', 503],
  SATELLITE_UNREACHABLE: ['ServiceUnavailable', 503],
  NOT_ENOUGH_PIECES: ['ServiceUnavailable', 503],
  UPLOAD_FAILED: ['ServiceUnavailable', 503],
  // A body that ended before its Content-Length (or went past it), seen by a format v4 upload.
  SOURCE_SIZE_MISMATCH: ['IncompleteBody', 400],
  // An object sealed under another access's secret (same project): not this access's to read.
  DECRYPTION_FAILED: ['AccessDenied', 403],
  OBJECT_TAMPERED: ['InternalError', 500],
  // An object whose uploader chose segments larger than this gateway reads (downloadMaxSegment).
  SEGMENT_TOO_LARGE: ['InternalError', 500],
  NO_SUCH_UPLOAD: ['NoSuchUpload', 404],
  PART_NOT_FOUND: ['InvalidPart', 400],
  PART_ORDER_INVALID: ['InvalidPartOrder', 400],
  PART_NUMBER_INVALID: ['InvalidArgument', 400]
};

/** Any error as the S3Error the gateway answers with (unknown ones: InternalError, 500). */
export function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message ?? String(err);
  if (typeof code === 'string') {
    const mapped = FROM_STOWAGE[code];
    if (mapped) return new S3Error(mapped[0], mapped[1], message, { cause: err });
  }
  return new S3Error('InternalError', 500, `we encountered an internal error: ${message}`, { cause: err });
}
