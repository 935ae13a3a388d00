// A segment's parity shares, computed a column range at a time as the parity pieces' uploads ask
// for them. Reed-Solomon codes each byte column on its own, so parity bytes [a, b) need only bytes
// [a, b) of every data share: the data shares are slices of the sealed segment (in memory whole),
// the parity never is. The stream ahead computes a range's rows for all and a few ranges are kept
// for the streams that follow; a stream that falls behind them (a slow node) computes its own row
// of its range alone (encodeRows), so slow readers cost at most one more pass of the parity in all,
// never m passes (hostile review 19: all rows recomputed for each laggard was up to 80x).
import type { ParityCoder } from './upload.js';

/** Bytes of all parity rows of one column range: about this much per kept range. */
const RANGE_TARGET_BYTES = 1024 * 1024;
/** Column ranges kept computed (more exist only while every kept one is being computed or read). */
const KEPT_RANGES = 4;
/** Column range bounds, in bytes of each share. */
const MIN_RANGE = 16 * 1024;
const MAX_RANGE = 256 * 1024;
/**
 * With a worker pool (codecThreads > 0) a range is k x m x range bytes of multiply-adds: at least
 * the 32 MiB below which the pool runs a call on the calling thread (src/erasure/pool.ts), so the
 * second core does the coding (the kept ranges then take up to 4 x 32 MiB / k).
 */
const POOLED_RANGE_WORK = 32 * 1024 * 1024;
const MAX_POOLED_RANGE = 16 * 1024 * 1024;

interface Range {
  /** Which column range (index * rangeBytes), -1 when free. */
  index: number;
  /** One buffer per parity row, rangeBytes each. */
  rows: Uint8Array[];
  ready: Promise<void>;
  done: boolean;
  /** Streams waiting for this range to copy their row out. */
  users: number;
  lastUse: number;
}

export class ParityStripes {
  /** Bytes of each share per column range. */
  readonly rangeBytes: number;
  private readonly ranges: Range[] = [];
  private clock = 0;
  /** The highest range computed for all rows so far (-1: none). */
  private front = -1;
  /** Ranges computed for all rows so far: for tests and figures. */
  computed = 0;
  /** Single rows computed for streams behind the kept ranges: for tests and figures. */
  rowsComputed = 0;

  constructor(
    private readonly coder: ParityCoder,
    /** The k data shares, each `pieceSize` bytes. */
    private readonly data: readonly Uint8Array[],
    private readonly parityCount: number,
    private readonly pieceSize: number
  ) {
    const m = Math.max(1, parityCount);
    const k = Math.max(1, data.length);
    this.rangeBytes = coder.shared
      ? Math.min(MAX_POOLED_RANGE, Math.max(MIN_RANGE, Math.ceil(POOLED_RANGE_WORK / k / m / 4096) * 4096))
      : Math.min(MAX_RANGE, Math.max(MIN_RANGE, Math.floor(RANGE_TARGET_BYTES / m / 4096) * 4096));
  }

  /** Column ranges held now (computed or being computed). */
  get heldRanges(): number {
    return this.ranges.length;
  }

  /** Most bytes held for parity at once when no stream waits: the kept ranges. */
  get keptBytes(): number {
    return KEPT_RANGES * this.rangeBytes * this.parityCount;
  }

  /**
   * Parity share `p` (0 is share k), range by range. Each chunk yielded is valid until the next
   * one is asked for (the stream's own buffer, reused).
   */
  async *share(p: number): AsyncGenerator<Uint8Array> {
    if (!(p >= 0 && p < this.parityCount)) throw new RangeError(`parity share ${p} of ${this.parityCount}`);
    const own = new Uint8Array(Math.min(this.rangeBytes, this.pieceSize));
    for (let start = 0; start < this.pieceSize; start += this.rangeBytes) {
      const len = Math.min(this.rangeBytes, this.pieceSize - start);
      const index = start / this.rangeBytes;
      if (index <= this.front && !this.ranges.some((r) => r.index === index)) {
        // Behind every kept range: this stream's row alone, into its own buffer.
        this.rowsComputed++;
        await this.coder.encodeRows(
          this.data.map((d) => d.subarray(start, start + len)),
          [p],
          [own.subarray(0, len)]
        );
        yield own.subarray(0, len);
        continue;
      }
      const range = this.take(index);
      try {
        await range.ready;
        own.set(range.rows[p]!.subarray(0, len));
      } finally {
        range.users--;
      }
      yield own.subarray(0, len);
    }
  }

  private take(index: number): Range {
    let range = this.ranges.find((r) => r.index === index);
    if (!range) {
      range = this.ranges.length < KEPT_RANGES ? undefined : this.reusable();
      if (!range) {
        const alloc = (n: number): Uint8Array => (this.coder.shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
        range = { index: -1, rows: Array.from({ length: this.parityCount }, () => alloc(this.rangeBytes)), ready: Promise.resolve(), done: true, users: 0, lastUse: 0 };
        this.ranges.push(range);
      }
      this.compute(range, index);
    }
    range.users++;
    range.lastUse = ++this.clock;
    return range;
  }

  /** The least recently used computed range nobody waits on; ranges beyond KEPT_RANGES go once free. */
  private reusable(): Range | undefined {
    let best: Range | undefined;
    for (const r of this.ranges) if (r.done && r.users === 0 && (!best || r.lastUse < best.lastUse)) best = r;
    if (best) {
      // Extra ranges made while all were busy are dropped again as they come free.
      for (let i = this.ranges.length - 1; i >= KEPT_RANGES; i--) {
        const r = this.ranges[i]!;
        if (r !== best && r.done && r.users === 0) this.ranges.splice(i, 1);
      }
    }
    return best;
  }

  private compute(range: Range, index: number): void {
    const start = index * this.rangeBytes;
    const end = Math.min(this.pieceSize, start + this.rangeBytes);
    range.index = index;
    range.done = false;
    this.computed++;
    this.front = Math.max(this.front, index);
    const data = this.data.map((d) => d.subarray(start, end));
    const rows = range.rows.map((r) => r.subarray(0, end - start));
    range.ready = (async () => {
      try {
        await this.coder.encode(data, rows);
      } catch (err) {
        // Not kept: the next stream asking computes it again.
        range.index = -1;
        throw err;
      } finally {
        range.done = true;
      }
    })();
    range.ready.catch(() => undefined);
  }
}
