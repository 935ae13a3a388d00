import { StowageError } from '../common/index.js';

/** Errors of the client library; codes from the satellite and the nodes pass through unchanged. */
export class ClientError extends StowageError {}

export const ClientErrorCode = {
  AccessInvalid: 'ACCESS_INVALID',
  SatelliteUnreachable: 'SATELLITE_UNREACHABLE',
  NotEnoughPieces: 'NOT_ENOUGH_PIECES',
  UploadFailed: 'UPLOAD_FAILED',
  Decrypt: 'DECRYPTION_FAILED',
  RangeInvalid: 'RANGE_INVALID',
  Aborted: 'ABORTED'
} as const;
