// The registry as the satellite uses it: a NodeDB that passes every call to the store and keeps,
// beside it, the nodes uploads may be given to (not disqualified, suspended or exited, reached at
// least once) in memory. Node selection reads that list (candidates()) instead of walking the
// registry once per segment: it is loaded whole when older than `staleMs` (or never loaded), and
// a node written through this object since is read again by itself at the next selection (a
// check-in, an uptime check, a flag), so selection sees every change made here at once; the
// refresh catches what others wrote to the store (none today; a second satellite process over a
// shared database later).
import type { CheckInInfo, NodeDB, NodeRecord, Reached } from './db.js';

export interface NodeCacheOptions {
  /** A full reload after this long; 0 reloads on every call (no cache). */
  staleMs: number;
  now?: () => number;
}

/** Nodes that selection may consider: not disqualified, suspended or exited, and reached at least once. */
export function isCandidate(rec: NodeRecord): boolean {
  return rec.flags.disqualified === null && rec.flags.suspended === null && rec.flags.exited === null && rec.lastReached !== null;
}

/** Changed nodes read one by one at most; more than this and the whole list is read again. */
const MAX_POINT_READS = 256;

export class CachedNodeDB implements NodeDB {
  private candidatesById = new Map<string, NodeRecord>();
  private loadedAt: number | undefined;
  private readonly dirty = new Set<string>();
  private loading: Promise<void> | undefined;
  /** Full loads of the registry so far (the node-selection tests count them). */
  fullLoads = 0;

  constructor(
    readonly inner: NodeDB,
    private readonly options: NodeCacheOptions
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The nodes selection may consider now (the same objects as the store's records: do not change them). */
  async candidates(): Promise<NodeRecord[]> {
    const stale = this.loadedAt === undefined || this.now() - this.loadedAt >= this.options.staleMs || this.dirty.size > MAX_POINT_READS;
    if (stale) {
      // One load at a time; callers meanwhile wait for it.
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    } else if (this.dirty.size > 0) {
      const ids = [...this.dirty];
      this.dirty.clear();
      const recs = await Promise.all(ids.map((id) => this.inner.get(id)));
      ids.forEach((id, i) => this.put(id, recs[i]));
    }
    return [...this.candidatesById.values()];
  }

  private async load(): Promise<void> {
    const started = this.now();
    this.dirty.clear();
    const fresh = new Map<string, NodeRecord>();
    for await (const rec of this.inner.list()) if (isCandidate(rec)) fresh.set(rec.id, rec);
    this.candidatesById = fresh;
    this.loadedAt = started;
    this.fullLoads++;
  }

  private put(id: string, rec: NodeRecord | undefined): void {
    if (rec && isCandidate(rec)) this.candidatesById.set(id, rec);
    else this.candidatesById.delete(id);
  }

  /** Drops what is kept: the next selection loads the registry again. */
  invalidate(): void {
    this.loadedAt = undefined;
  }

  get(id: string): Promise<NodeRecord | undefined> {
    return this.inner.get(id);
  }

  list(): AsyncIterable<NodeRecord> {
    return this.inner.list();
  }

  async update(id: string, change: (rec: NodeRecord) => NodeRecord): Promise<void> {
    try {
      await this.inner.update(id, change);
    } finally {
      this.dirty.add(id);
    }
  }

  async checkIn(id: string, info: CheckInInfo, reachable: boolean, now: number, reached?: Reached): Promise<NodeRecord> {
    try {
      return await this.inner.checkIn(id, info, reachable, now, reached);
    } finally {
      this.dirty.add(id);
    }
  }

  async recordCheck(id: string, ok: boolean, now: number, reached?: Reached): Promise<void> {
    try {
      await this.inner.recordCheck(id, ok, now, reached);
    } finally {
      this.dirty.add(id);
    }
  }

  onlineScore(id: string, now: number): Promise<number> {
    return this.inner.onlineScore(id, now);
  }

  pruneWindows(now: number): Promise<number> {
    return this.inner.pruneWindows(now);
  }

  async forget(id: string, still: (rec: NodeRecord) => boolean): Promise<boolean> {
    try {
      return await this.inner.forget(id, still);
    } finally {
      this.dirty.add(id);
    }
  }
}
