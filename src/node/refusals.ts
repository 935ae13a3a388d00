// Refusals are what any peer can cause at will (a stream past its caps, a forged or expired order,
// a request that never comes): logged one by one, a peer would write the node's log, and in Docker
// its disk, as fast as it opens streams. The first few of each window are logged as they happen;
// the rest are counted and summed up in one line when the window ends. Metrics count every one.
import type { Logger } from 'pino';

export interface RefusalLogOptions {
  /** Length of a window. */
  windowMs: number;
  /** Refusals logged one by one per window; the rest go into the window's summary line. */
  perWindow: number;
}

export const REFUSAL_LOG_DEFAULTS: RefusalLogOptions = { windowMs: 10_000, perWindow: 20 };

export class RefusalLog {
  private logged = 0;
  private readonly unlogged = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly options: RefusalLogOptions = REFUSAL_LOG_DEFAULTS
  ) {}

  /** One refusal: logged at info while the window has room, else counted under `msg` and its code. */
  note(fields: { code: string } & Record<string, unknown>, msg: string): void {
    this.timer ??= setTimeout(() => this.flush(), this.options.windowMs).unref();
    if (this.logged < this.options.perWindow) {
      this.logged++;
      this.log.info(fields, msg);
      return;
    }
    const kind = `${msg}: ${fields.code}`;
    this.unlogged.set(kind, (this.unlogged.get(kind) ?? 0) + 1);
  }

  /** Ends the window: one line for what was not logged, if anything. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.unlogged.size > 0) {
      let total = 0;
      for (const n of this.unlogged.values()) total += n;
      this.log.warn({ refused: total, byKind: Object.fromEntries(this.unlogged), windowMs: this.options.windowMs }, 'more refusals than are logged one by one: counted here');
    }
    this.logged = 0;
    this.unlogged.clear();
  }
}
