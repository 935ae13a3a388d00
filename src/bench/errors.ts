import { StowageError } from '../common/index.js';

export const BenchErrorCode = {
  /** The directory to measure cannot be used: not a directory, not writable. */
  DirUnusable: 'BENCH_DIR_UNUSABLE',
  /** Too little free space in the directory for the run's scratch files. */
  NoRoom: 'BENCH_NO_ROOM',
  /** Options that do not fit together (a slice count that does not divide the piece counts). */
  InvalidOptions: 'BENCH_INVALID_OPTIONS',
  /** Stopped by a signal before the end; what it had written is removed. */
  Interrupted: 'BENCH_INTERRUPTED'
} as const;

export type BenchErrorCode = (typeof BenchErrorCode)[keyof typeof BenchErrorCode];

export class BenchError extends StowageError {
  declare readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
