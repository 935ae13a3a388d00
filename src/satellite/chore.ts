// Chore: one periodic job of the satellite (uptime checks, audits, repair, GC, payouts, expiry).
// It runs its round every `intervalMs` (0: only when asked), never two rounds at once: a run-now
// while a round is in flight joins that round; stop() cancels the schedule, aborts the signal
// handed to the round and waits for it to end. Replaces the hand-rolled timers and `??=` guards.
import type { Logger } from 'pino';
import { StowageError } from '../common/index.js';

export interface ChoreOptions<T> {
  /** Names the chore in logs. */
  name: string;
  /** Time between scheduled rounds; 0 (or less) turns the schedule off, runNow() still works. */
  intervalMs: number;
  /** One round; `signal` aborts when the chore stops. */
  round: (signal: AbortSignal) => Promise<T>;
  /**
   * Where a scheduled round's failure is logged (a run-now caller gets the error instead). The
   * schedule goes on: before Chore, a failed scheduled round was an unhandled rejection that
   * ended the process.
   */
  log?: Logger;
  /**
   * With several satellite processes over one database: a scheduled round runs only in the
   * process holding this chore's lease (a run-now from the admin API runs where it is asked).
   */
  lease?: ChoreLease;
  /** The lease's name (default: the chore's): chores that must run in one process share one. */
  leaseName?: string;
}

/** Who runs a chore among several satellite processes (leases.ts: LeaseKeeper). */
export interface ChoreLease {
  /** Takes or renews the lease named `name`; true while this process holds it. */
  hold(name: string): Promise<boolean>;
  /**
   * Aborts when this process may no longer count on holding `name` (lost, not renewed in time, or
   * given up): a round under it stops, so it never runs beside the next holder's.
   */
  signal(name: string): AbortSignal;
}

export class Chore<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly options: ChoreOptions<T>) {}

  /** Starts the schedule (a chore with no interval only runs when asked). */
  start(): void {
    // Off unless a positive number: a config file's "5m" or a missing value must not become
    // setInterval(NaN), which runs every millisecond.
    if (!(this.options.intervalMs > 0) || this.timer || this.controller.signal.aborted) return;
    this.timer = setInterval(() => {
      this.runScheduled().catch((err: unknown) => this.options.log?.error({ err, round: this.options.name }, 'chore round failed'));
    }, this.options.intervalMs);
    // The schedule never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Runs a round now, or joins the round in flight. Refused once the chore is stopped. */
  runNow(): Promise<T> {
    return this.run(this.controller.signal);
  }

  private run(signal: AbortSignal): Promise<T> {
    if (this.controller.signal.aborted) return Promise.reject(new StowageError('SATELLITE_STOPPED', `the satellite is stopping: no ${this.options.name} round now`));
    this.running ??= this.options.round(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * A round as the schedule runs it: only while this process holds the chore's lease (when it has
   * one); undefined when another process holds it. A round in flight here is joined.
   */
  async runScheduled(): Promise<T | undefined> {
    if (this.running) return this.running;
    if (this.controller.signal.aborted) return undefined;
    const lease = this.options.lease;
    const name = this.options.leaseName ?? this.options.name;
    if (lease && !(await lease.hold(name))) return undefined;
    if (this.controller.signal.aborted) return undefined;
    // Under a lease, the round also stops when the lease may have passed to another process.
    return this.run(lease ? AbortSignal.any([this.controller.signal, lease.signal(name)]) : this.controller.signal);
  }

  /** Whether a round is in flight. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Cancels the schedule and aborts the round's signal at once (synchronously), then waits for
   * the round in flight, whatever its outcome.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.controller.abort(new Error(`the ${this.options.name} chore stopped`));
    await this.running?.catch(() => undefined);
  }
}
