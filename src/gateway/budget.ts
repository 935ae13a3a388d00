// A weighted semaphore over the memory uploads take: each upload through the gateway holds two
// sealed segments and their parity while it runs (the client library's pipeline), about 3x its
// segment size, or 3x its body when that is smaller. Uploads wait in order for room in the
// budget, so a burst of large uploads queues (their bodies wait in TCP) instead of growing the
// process past what the machine has; one larger than the whole budget runs alone.

/** Bytes an upload of `length` bytes (undefined: unknown) holds with segments of `segmentSize`. */
export function uploadFootprint(segmentSize: number, length: number | undefined): number {
  return 3 * Math.max(1, Math.min(segmentSize, length ?? segmentSize));
}

export class MemoryBudget {
  private used = 0;
  private readonly waiting: { bytes: number; resolve: () => void }[] = [];

  constructor(readonly total: number) {}

  /** Waits for `bytes` of room; the function returned gives it back (once). */
  async acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
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
