// One memory budget for the bytes a process holds in its FramedStreams' receive buffers (a storage
// node gives one to every inbound stream). Bytes are charged as they arrive and given back as
// messages are read or the stream is released. Two limits:
// - `unverifiedLimit`: bytes of streams whose peer has not shown anything yet (no verified order):
//   a stream whose next bytes would pass it is refused at once (its bytes are dropped, the stream
//   reset), so hostile peers can never hold more than this, however many streams they open;
// - `limit`: all bytes; a verified stream that passes it is paused (backpressure: the muxer stops
//   granting its sender window) until room is made.
// A budget may have a parent (one caller's share of the process's budget): bytes charged to it
// are charged to the parent too, and it refuses or pauses when either is full.

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
    readonly unverifiedLimit: number = limit,
    /** The budget this one is a share of. */
    readonly parent?: BufferBudget
  ) {
    if (!(limit > 0) || !(unverifiedLimit > 0)) throw new RangeError('buffer budget limits must be positive');
  }

  /** Charges `bytes` of an unverified stream; false (nothing charged) when that would pass a limit. */
  tryTakeUnverified(bytes: number): boolean {
    if (this.unverifiedBytes + bytes > this.unverifiedLimit || this.usedBytes + bytes > this.limit || (this.parent && !this.parent.tryTakeUnverified(bytes))) {
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
    const parentOver = this.parent?.takeVerified(bytes) ?? false;
    return this.usedBytes > this.limit || parentOver;
  }

  /** A stream was verified: its unverified bytes count as verified from now on. */
  promote(bytes: number): void {
    this.unverifiedBytes -= bytes;
    this.parent?.promote(bytes);
  }

  /** Gives back bytes read or dropped. */
  give(bytes: number, unverified: boolean): void {
    if (bytes <= 0) return;
    this.usedBytes -= bytes;
    if (unverified) this.unverifiedBytes -= bytes;
    this.parent?.give(bytes, unverified);
    if (this.usedBytes < this.limit && this.waiters.size > 0) {
      const waiters = [...this.waiters];
      this.waiters.clear();
      for (const w of waiters) w();
    }
  }

  /** True while verified streams may take more. */
  hasRoom(): boolean {
    return this.usedBytes < this.limit && (this.parent?.hasRoom() ?? true);
  }

  /** Calls `wake` once when room is made (here or in the parent); returns a function that cancels it. */
  onRoom(wake: () => void): () => void {
    let woken = false;
    const once = (): void => {
      if (woken) return;
      woken = true;
      cancel();
      wake();
    };
    this.waiters.add(once);
    const cancelParent = this.parent?.onRoom(once);
    const cancel = (): void => {
      this.waiters.delete(once);
      cancelParent?.();
    };
    return cancel;
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

/** A share of a budget held by one stream: `release()` once, after the stream's own release(). */
export interface BudgetShare {
  readonly budget: BufferBudget;
  release(): void;
}

/**
 * Shares of budgets by key (a satellite's callers by IP and IPv6 /48): a key's budget is made on
 * first use, as a child of the given parent, and dropped when its last stream lets go, so an
 * attacker cycling through addresses leaves nothing behind.
 */
export class BudgetShares {
  private readonly shares = new Map<string, { budget: BufferBudget; users: number }>();

  acquire(key: string, limit: number, parent: BufferBudget): BudgetShare {
    let entry = this.shares.get(key);
    if (!entry) {
      entry = { budget: new BufferBudget(limit, limit, parent), users: 0 };
      this.shares.set(key, entry);
    }
    entry.users++;
    const e = entry;
    let released = false;
    return {
      budget: e.budget,
      release: () => {
        if (released) return;
        released = true;
        if (--e.users === 0 && this.shares.get(key) === e) this.shares.delete(key);
      }
    };
  }

  /** Keys with a share now. */
  get size(): number {
    return this.shares.size;
  }
}
