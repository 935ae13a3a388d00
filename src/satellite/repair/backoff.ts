// Per-node backoff of repair transfers: after a failed download from or upload to a node, the
// repairer passes the node over for `backoffMs`, doubling with each further failure up to
// `maxBackoffMs`; a success forgets it. In memory only (a restart forgets it too); the time comes
// from the injected clock. Passing over is a preference, never a refusal: the repairer still uses a
// backed-off node when the others are too few (see sources.ts and the repairer's target choice).

interface Failures {
  /** Failures since the node's last successful transfer. */
  count: number;
  /** When the last one happened. */
  last: number;
  /** Until when the node is passed over. */
  until: number;
}

export class NodeBackoff {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly now: () => number,
    private readonly baseMs: number,
    private readonly maxMs: number
  ) {}

  /** Records a failed transfer to or from `nodeId`; returns how long it is passed over now. */
  failed(nodeId: string): number {
    if (this.baseMs <= 0) return 0;
    const now = this.now();
    const count = (this.failures.get(nodeId)?.count ?? 0) + 1;
    // 2^(count-1) without overflowing: past 2^30 the cap has long been reached.
    const delay = Math.min(Math.max(this.baseMs, this.maxMs), this.baseMs * 2 ** Math.min(count - 1, 30));
    this.failures.set(nodeId, { count, last: now, until: now + delay });
    return delay;
  }

  /** Records a successful transfer: the node's failures are forgotten. */
  succeeded(nodeId: string): void {
    this.failures.delete(nodeId);
  }

  /** Whether the node is passed over now. */
  isBackedOff(nodeId: string): boolean {
    const f = this.failures.get(nodeId);
    return f !== undefined && this.now() < f.until;
  }

  /** Until when the node is passed over (0 when it is not). */
  backedOffUntil(nodeId: string): number {
    const f = this.failures.get(nodeId);
    return f !== undefined && this.now() < f.until ? f.until : 0;
  }

  /** Whether a transfer with the node failed since its last success (its backoff may have passed). */
  hasFailed(nodeId: string): boolean {
    return this.failures.has(nodeId);
  }

  /**
   * Forgets nodes whose backoff ended more than `maxBackoffMs` ago (a node gone for good would
   * otherwise stay in the map for ever); the next failure of such a node starts again at `backoffMs`.
   */
  prune(): void {
    const now = this.now();
    const keep = Math.max(this.baseMs, this.maxMs);
    for (const [id, f] of this.failures) if (f.until + keep < now) this.failures.delete(id);
  }

  /** How many nodes have failures on record. */
  get size(): number {
    return this.failures.size;
  }
}
