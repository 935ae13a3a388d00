// LeaseKeeper: how one satellite process among several over one database holds its chores' leases.
// A scheduled round asks hold(name) (take or renew); while held, the keeper renews every lease
// each sixth of its time to live, so a round longer than the TTL keeps its lease, and gives them
// all up on stop. Fencing: a round runs under its lease's signal, aborted when the lease is lost
// or its last renewal is older than 5/6 of the TTL (so it stops before another process can take
// it). A process that dies keeps its leases until they expire: another takes each chore at its
// next scheduled round after that (takeover within leaseTtlMs + the chore's interval).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChoreLease } from './chore.js';
import type { LeaseStore } from './store/index.js';

export class LeaseKeeper implements ChoreLease {
  /** This process among the satellite's: host, pid and a random tag (a restarted process is another holder). */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly held = new Set<string>();
  /** Per held lease: until when (this process's clock) its last renewal vouches for it, and the signal its rounds run under. */
  private readonly valid = new Map<string, { until: number; controller: AbortController }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly ttlMs: number,
    private readonly log?: Logger
  ) {}

  async hold(name: string): Promise<boolean> {
    if (this.stopped) return false;
    const asked = Date.now();
    const ok = await this.store.acquire(name, this.holder, this.ttlMs);
    this.note(name, ok, asked);
    return ok;
  }

  signal(name: string): AbortSignal {
    return this.valid.get(name)?.controller.signal ?? AbortSignal.abort(new Error(`the ${name} lease is not held here`));
  }

  /** The leases this process holds now. */
  get holding(): string[] {
    return [...this.held].sort();
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      this.fence();
      void this.renew();
    }, Math.max(50, Math.floor(this.ttlMs / 6)));
    this.timer.unref();
  }

  /** Stops renewing and gives every held lease up, so another process takes the chores at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const name of [...this.held]) this.drop(name, 'this satellite process is stopping');
    await Promise.allSettled([...this.valid.keys(), ...this.released].map((name) => this.store.release(name, this.holder)));
    this.released.clear();
  }

  /** Leases given up on stop (released in the store after their rounds were told to stop). */
  private readonly released = new Set<string>();

  /**
   * A lease whose last renewal is older than the TTL less a margin may have expired in the
   * database (a renewal stuck behind a busy pool or a slow network): its rounds stop now, before
   * another process can take it.
   */
  private fence(): void {
    const now = Date.now();
    for (const [name, v] of this.valid) if (now >= v.until - this.ttlMs / 6) this.drop(name, 'not renewed in time');
  }

  private drop(name: string, why: string): void {
    const v = this.valid.get(name);
    this.valid.delete(name);
    if (this.held.delete(name)) {
      this.released.add(name);
      v?.controller.abort(new Error(`the ${name} lease was given up: ${why}`));
      if (!this.stopped) this.log?.warn({ lease: name, holder: this.holder, why }, 'chore lease given up: its rounds stop here');
    }
  }

  private async renew(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      for (const name of [...this.held]) await this.renewOne(name);
    } finally {
      this.renewing = false;
    }
  }

  private renewing = false;

  private async renewOne(name: string): Promise<void> {
    const asked = Date.now();
    try {
      this.note(name, await this.store.acquire(name, this.holder, this.ttlMs), asked);
    } catch (err) {
      // The database unreachable: fence() stops the rounds before the lease can have run out.
      this.log?.warn({ err, lease: name }, 'lease not renewed');
    }
  }

  /** Records the answer to a take or renewal asked at `asked` (this process's clock). */
  private note(name: string, ok: boolean, asked: number): void {
    if (!ok) {
      if (this.held.has(name)) this.drop(name, 'held by another satellite process');
      return;
    }
    if (this.stopped) return;
    this.released.delete(name);
    const v = this.valid.get(name);
    if (v) v.until = asked + this.ttlMs;
    else this.valid.set(name, { until: asked + this.ttlMs, controller: new AbortController() });
    if (!this.held.has(name)) {
      this.held.add(name);
      this.log?.info({ lease: name, holder: this.holder }, 'chore lease taken: its rounds run here');
    }
  }
}
