// The LevelDB NodeDB (NodeRegistry): the satellite's registry of storage nodes: what each node said at check-in,
// whether the satellite could reach it, flags, and uptime checks counted in time windows (online
// score = successful checks / checks over the windows of the scoring period, as Storj does with
// 12 h windows over 30 days).
import type { Level } from 'level';
import type { CheckInInfo } from '../../../protocol/index.js';
import { checkedInRecord, checkedRecord, onlineScoreOf, pruneBefore, scoredWindows, windowStart, type NodeDB, type NodeRecord, type Reached, type UptimeOptions } from '../../overlay/index.js';

interface Window {
  checks: number;
  successes: number;
}

const pad = (n: number): string => String(n).padStart(16, '0');

/** Another store's records of a node, deleted with the node (forget): the batch operations that delete them. */
export interface PerNodeRecords {
  forgetOps(nodeId: string): Promise<unknown[]>;
}

export class NodeRegistry implements NodeDB {
  private readonly nodes;
  private readonly windows;
  /**
   * The last write still running per node. Every write reads the node's record (and window) and
   * puts it back changed: two at once lost one of them. An uptime check written over a
   * disqualification it had read before lost the flag (the chaos run's zero-keeper was once
   * never disqualified), so one node's writes run one after the other.
   */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Level<string, unknown>,
    private readonly uptime: UptimeOptions,
    /** Stores of the same LevelDB whose records of a node go in forget()'s batch (reputation, audit state). */
    private readonly perNode: readonly PerNodeRecords[] = []
  ) {
    this.nodes = db.sublevel<string, NodeRecord>('nodes', { valueEncoding: 'json' });
    this.windows = db.sublevel<string, Window>('uptime', { valueEncoding: 'json' });
  }

  async get(id: string): Promise<NodeRecord | undefined> {
    return this.nodes.get(id);
  }

  async *list(): AsyncIterable<NodeRecord> {
    for await (const rec of this.nodes.values()) yield rec;
  }

  /** Runs one read-modify-write of a node's records after the ones before it. */
  private serialised<T>(id: string, write: () => Promise<T>): Promise<T> {
    const previous = this.writing.get(id) ?? Promise.resolve();
    const run = previous.then(write, write);
    const settled = run.catch(() => undefined);
    this.writing.set(id, settled);
    void settled.then(() => {
      if (this.writing.get(id) === settled) this.writing.delete(id);
    });
    return run;
  }

  /** Changes a node's record (flags, vetting); nothing happens for an unknown node. */
  update(id: string, change: (rec: NodeRecord) => NodeRecord): Promise<void> {
    return this.serialised(id, async () => {
      const rec = await this.nodes.get(id);
      if (rec) await this.nodes.put(id, change(rec));
    });
  }

  /** Records a check-in and its dial-back; the dial-back counts as an uptime check too. */
  checkIn(id: string, info: CheckInInfo, reachable: boolean, now: number, reached?: Reached): Promise<NodeRecord> {
    return this.serialised(id, () => this.checkInNow(id, info, reachable, now, reached));
  }

  private async checkInNow(id: string, info: CheckInInfo, reachable: boolean, now: number, reached?: Reached): Promise<NodeRecord> {
    const rec = checkedInRecord(id, info, reachable, now, await this.nodes.get(id), reached);
    await this.nodes.put(id, rec);
    await this.recordCheckNow(id, reachable, now);
    return rec;
  }

  /** Counts one uptime check in the window `now` falls in, and updates the node's reachability. */
  recordCheck(id: string, ok: boolean, now: number, reached?: Reached): Promise<void> {
    return this.serialised(id, () => this.recordCheckNow(id, ok, now, reached));
  }

  private async recordCheckNow(id: string, ok: boolean, now: number, reached?: Reached): Promise<void> {
    const key = `${id}!${pad(windowStart(now, this.uptime))}`;
    const w = (await this.windows.get(key)) ?? { checks: 0, successes: 0 };
    const rec = await this.nodes.get(id);
    const ops: unknown[] = [{ type: 'put', sublevel: this.windows, key, value: { checks: w.checks + 1, successes: w.successes + (ok ? 1 : 0) } }];
    if (rec) ops.push({ type: 'put', sublevel: this.nodes, key: id, value: checkedRecord(rec, ok, now, reached) });
    await this.db.batch(ops as never);
  }

  /** Share of successful checks over the scoring period; 1 for a node never checked. */
  async onlineScore(id: string, now: number): Promise<number> {
    let checks = 0;
    let successes = 0;
    const { from, to } = scoredWindows(now, this.uptime);
    for await (const w of this.windows.values({ gte: `${id}!${pad(from)}`, lte: `${id}!${pad(to)}` })) {
      checks += w.checks;
      successes += w.successes;
    }
    return onlineScoreOf(checks, successes);
  }

  /**
   * Deletes the node's record, its uptime windows and the other stores' records of it in one
   * batch, when `still` holds for the record as read just before; true when deleted.
   */
  forget(id: string, still: (rec: NodeRecord) => boolean): Promise<boolean> {
    return this.serialised(id, () => this.forgetNow(id, still));
  }

  private async forgetNow(id: string, still: (rec: NodeRecord) => boolean): Promise<boolean> {
    const rec = await this.nodes.get(id);
    if (!rec) return false;
    const ops: unknown[] = [{ type: 'del', sublevel: this.nodes, key: id }];
    for await (const key of this.windows.keys({ gt: `${id}!`, lt: `${id}"` })) ops.push({ type: 'del', sublevel: this.windows, key });
    for (const store of this.perNode) ops.push(...(await store.forgetOps(id)));
    // Read again at the last moment: a check-in or check that came in meanwhile keeps the node.
    const now = await this.nodes.get(id);
    if (!now || !still(now)) return false;
    await this.db.batch(ops as never);
    return true;
  }

  /** Drops windows that fell out of the scoring period; returns how many. */
  async pruneWindows(now: number): Promise<number> {
    const cutoff = pruneBefore(now, this.uptime);
    const old: string[] = [];
    for await (const key of this.windows.keys()) {
      const start = Number(key.slice(key.indexOf('!') + 1));
      if (start < cutoff) old.push(key);
    }
    if (old.length) await this.db.batch(old.map((key) => ({ type: 'del', sublevel: this.windows, key })) as never);
    return old.length;
  }
}
