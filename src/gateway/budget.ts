// A weighted semaphore over the memory transfers take (one for uploads, one for downloads): each
// upload through the gateway holds one sealed segment while it runs (the client library's
// pipeline), or its body when that is smaller, and a few parity column ranges (up to 4 MiB); a
// download is charged three segments (downloadFootprint). Transfers wait in order for room in
// the budget, so a burst of large ones queues (their bytes wait in TCP) instead of growing the
// process past what the machine has; one larger than the whole budget runs alone.

/** The parity column ranges an upload keeps computed (src/client/parity.ts, without a worker pool). */
const PARITY_RANGES_BYTES = 4 * 1024 * 1024;

/** Bytes an upload of `length` bytes (undefined: unknown) holds with segments of `segmentSize`. */
export function uploadFootprint(segmentSize: number, length: number | undefined): number {
  const segment = Math.max(1, Math.min(segmentSize, length ?? segmentSize));
  return segment + Math.min(PARITY_RANGES_BYTES, 2 * segment);
}

/**
 * Bytes a download holds with segments of at most `maxSegment` bytes of an object of `size`: one
 * segment's data pieces (the next segment's take their places as the reader passes them) and the
 * margin's pieces, about 1.5 segments, whatever the range (a segment is fetched whole); charged as
 * three, which covers the garbage of plaintext blocks awaiting collection. Not covered: a segment
 * that does not open holds n / k + 2 segments while its other subsets are tried (up to 6 at the
 * client's default maxExpansion; README, left out of issue 23).
 */
export function downloadFootprint(maxSegment: number, size: number): number {
  return 3 * Math.max(1, Math.min(maxSegment, size));
}

export class MemoryBudget {
  private used = 0;
  private readonly waiting: { bytes: number; resolve: () => void }[] = [];

  constructor(readonly total: number) {}

  /** Waits for `bytes` of room; the function returned gives it back (once). */
  async acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
    // An abort before the call would never reach the listener below.
    signal?.throwIfAborted();
    const want = Math.min(bytes, this.total);
    if (this.waiting.length > 0 || this.used + want > this.total) {
      await new Promise<void>((resolve, reject) => {
        const entry = { bytes: want, resolve };
        this.waiting.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const i = this.waiting.indexOf(entry);
            if (i >= 0) {
              this.waiting.splice(i, 1);
              reject(signal.reason as Error);
              this.wake();
            }
          },
          { once: true }
        );
      });
    } else {
      this.used += want;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= want;
      this.wake();
    };
  }

  /** Bytes held now and uploads waiting (metrics, tests). */
  get state(): { used: number; waiting: number } {
    return { used: this.used, waiting: this.waiting.length };
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.bytes <= this.total) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.resolve();
    }
  }
}

/**
 * A MemoryBudget with a line per access in front of it: an access holds or waits for at most
 * `share` of the budget through its own line first, then waits in the budget's order like any
 * other. So one tenant's slow transfers (a GET read a byte a second holds its memory until it
 * ends) queue behind each other, never in front of another tenant's, and take at most that share
 * (hostile review 20, H4). A transfer larger than the share still runs, alone in its line.
 */
export class SharedMemoryBudget {
  private readonly budget: MemoryBudget;
  private readonly lines = new Map<string, { line: MemoryBudget; users: number }>();

  constructor(
    readonly total: number,
    /** The fraction of `total` one access may hold or wait for at once, in (0, 1]. */
    readonly share: number
  ) {
    this.budget = new MemoryBudget(total);
  }

  /** Waits for `bytes` for `access`, in its line, then in the budget's; the function returned gives both back (once). */
  async acquire(access: string, bytes: number, signal?: AbortSignal): Promise<() => void> {
    let entry = this.lines.get(access);
    if (!entry) {
      entry = { line: new MemoryBudget(Math.max(1, Math.floor(this.total * this.share))), users: 0 };
      this.lines.set(access, entry);
    }
    const held = entry;
    held.users++;
    const leave = (): void => {
      if (--held.users === 0 && this.lines.get(access) === held) this.lines.delete(access);
    };
    let releaseLine: () => void;
    try {
      releaseLine = await held.line.acquire(bytes, signal);
    } catch (err) {
      leave();
      throw err;
    }
    let releaseBudget: () => void;
    try {
      releaseBudget = await this.budget.acquire(bytes, signal);
    } catch (err) {
      releaseLine();
      leave();
      throw err;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseBudget();
      releaseLine();
      leave();
    };
  }

  /** Bytes held now and transfers waiting, in the budget's order or in an access's line (metrics, tests). */
  get state(): { used: number; waiting: number } {
    let waiting = this.budget.state.waiting;
    for (const { line } of this.lines.values()) waiting += line.state.waiting;
    return { used: this.budget.state.used, waiting };
  }

  /** Accesses with a transfer held or waiting (tests). */
  get accesses(): number {
    return this.lines.size;
  }
}
