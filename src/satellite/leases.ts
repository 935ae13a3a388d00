// LeaseKeeper: how one satellite process among several over one database holds its chores' leases.
// A scheduled round asks hold(name) (take or renew); while held, the keeper renews every lease
// each third of its time to live, so a round longer than the TTL keeps its lease, and gives them
// all up on stop. A process that dies keeps its leases until they expire: another takes each chore
// at its next scheduled round after that (takeover within leaseTtlMs + the chore's interval).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChoreLease } from './chore.js';
import type { LeaseStore } from './store/index.js';

export class LeaseKeeper implements ChoreLease {
  /** This process among the satellite's: host, pid and a random tag (a restarted process is another holder). */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly ttlMs: number,
    private readonly log?: Logger
  ) {}

  async hold(name: string): Promise<boolean> {
    if (this.stopped) return false;
    const ok = await this.store.acquire(name, this.holder, this.ttlMs);
    this.note(name, ok);
    return ok;
  }

  /** The leases this process holds now. */
  get holding(): string[] {
    return [...this.held].sort();
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** Stops renewing and gives every held lease up, so another process takes the chores at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.held].map((name) => this.store.release(name, this.holder)));
    this.held.clear();
  }

  private async renew(): Promise<void> {
    for (const name of [...this.held]) {
      try {
        this.note(name, await this.store.acquire(name, this.holder, this.ttlMs));
      } catch (err) {
        // The database unreachable: the lease runs out on its own if this goes on.
        this.log?.warn({ err, lease: name }, 'lease not renewed');
      }
    }
  }

  private note(name: string, ok: boolean): void {
    if (ok && !this.held.has(name)) {
      this.held.add(name);
      this.log?.info({ lease: name, holder: this.holder }, 'chore lease taken: its rounds run here');
    } else if (!ok && this.held.delete(name)) {
      this.log?.warn({ lease: name, holder: this.holder }, 'chore lease lost to another satellite process');
    }
  }
}
