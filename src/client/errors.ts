import { StowageError } from '../common/index.js';

/** Errors of the client library; codes from the satellite and the nodes pass through unchanged. */
export class ClientError extends StowageError {}

export const ClientErrorCode = {
  AccessInvalid: 'ACCESS_INVALID',
  SatelliteUnreachable: 'SATELLITE_UNREACHABLE',
  NotEnoughPieces: 'NOT_ENOUGH_PIECES',
  UploadFailed: 'UPLOAD_FAILED',
  Decrypt: 'DECRYPTION_FAILED',
  /** A sealed object does not authenticate at the place claimed for it (format v2). */
  Tampered: 'OBJECT_TAMPERED',
  /** The object was replaced by a new version while it was being read. */
  ObjectChanged: 'OBJECT_CHANGED',
  RangeInvalid: 'RANGE_INVALID',
  /** A segment larger than the reader's `maxSegmentBytes` (what one download may hold). */
  SegmentTooLarge: 'SEGMENT_TOO_LARGE',
  /** The satellite's redundancy scheme expands data more than the client's `maxExpansion`. */
  RedundancyRefused: 'REDUNDANCY_REFUSED',
  /** A source gave more or fewer bytes than the size it was uploaded with (sizeHint). */
  SourceSizeMismatch: 'SOURCE_SIZE_MISMATCH',
  Aborted: 'ABORTED'
} as const;
