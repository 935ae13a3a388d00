// One memory budget for the bytes a process holds in its FramedStreams' receive buffers (a storage
// node gives one to every inbound stream). Bytes are charged as they arrive and given back as
// messages are read or the stream is released. Two limits:
// - `unverifiedLimit`: bytes of streams whose peer has not shown anything yet (no verified order):
//   a stream whose next bytes would pass it is refused at once (its bytes are dropped, the stream
//   reset), so hostile peers can never hold more than this, however many streams they open;
// - `limit`: all bytes; a verified stream that passes it is paused (backpressure: the muxer stops
//   granting its sender window) until room is made.

export interface BufferBudgetStats {
  /** Bytes held now, of all streams. */
  used: number;
  /** Of those, bytes of unverified streams. */
  unverified: number;
  /** Most bytes held at once since the budget was made (or since resetPeak). */
  peak: number;
  /** Most unverified bytes held at once. */
  peakUnverified: number;
  /** Streams refused because their bytes would have passed `unverifiedLimit`. */
  refused: number;
  /** Times a verified stream was paused for want of room. */
  paused: number;
}

export class BufferBudget {
  private usedBytes = 0;
  private unverifiedBytes = 0;
  private peakBytes = 0;
  private peakUnverifiedBytes = 0;
  private refusedStreams = 0;
  private pausedStreams = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    /** Bytes all streams may hold together before verified ones are paused. */
    readonly limit: number,
    /** Bytes unverified streams may hold together before new bytes of theirs are refused. */
    readonly unverifiedLimit: number = limit
  ) {
    if (!(limit > 0) || !(unverifiedLimit > 0)) throw new RangeError('buffer budget limits must be positive');
  }

  /** Charges `bytes` of an unverified stream; false (nothing charged) when that would pass a limit. */
  tryTakeUnverified(bytes: number): boolean {
    if (this.unverifiedBytes + bytes > this.unverifiedLimit || this.usedBytes + bytes > this.limit) {
      this.refusedStreams++;
      return false;
    }
    this.unverifiedBytes += bytes;
    this.peakUnverifiedBytes = Math.max(this.peakUnverifiedBytes, this.unverifiedBytes);
    this.take(bytes);
    return true;
  }

  /** Charges `bytes` of a verified stream (they are in memory already); true when over the limit now. */
  takeVerified(bytes: number): boolean {
    this.take(bytes);
    return this.usedBytes > this.limit;
  }

  /** A stream was verified: its unverified bytes count as verified from now on. */
  promote(bytes: number): void {
    this.unverifiedBytes -= bytes;
  }

  /** Gives back bytes read or dropped. */
  give(bytes: number, unverified: boolean): void {
    if (bytes <= 0) return;
    this.usedBytes -= bytes;
    if (unverified) this.unverifiedBytes -= bytes;
    if (this.usedBytes < this.limit && this.waiters.size > 0) {
      const waiters = [...this.waiters];
      this.waiters.clear();
      for (const w of waiters) w();
    }
  }

  /** True while verified streams may take more. */
  hasRoom(): boolean {
    return this.usedBytes < this.limit;
  }

  /** Calls `wake` once when room is made; returns a function that cancels it. */
  onRoom(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  notePaused(): void {
    this.pausedStreams++;
  }

  stats(): BufferBudgetStats {
    return {
      used: this.usedBytes,
      unverified: this.unverifiedBytes,
      peak: this.peakBytes,
      peakUnverified: this.peakUnverifiedBytes,
      refused: this.refusedStreams,
      paused: this.pausedStreams
    };
  }

  /** Starts the peaks again from what is held now (tests measure one phase at a time). */
  resetPeak(): void {
    this.peakBytes = this.usedBytes;
    this.peakUnverifiedBytes = this.unverifiedBytes;
  }

  private take(bytes: number): void {
    this.usedBytes += bytes;
    this.peakBytes = Math.max(this.peakBytes, this.usedBytes);
  }
}
