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
