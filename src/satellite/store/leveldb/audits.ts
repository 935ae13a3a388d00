// The LevelDB AuditDB (LevelAuditDB): audit records keyed by node then time (so a node's audits
// in a time range are one range read), contained challenges, and pending suspect reports.
import type { Level } from 'level';
import { randomBytes } from 'node:crypto';
import type { AuditDB, AuditRecord, Containment, Suspect } from '../../audit/index.js';

const pad = (n: number): string => String(n).padStart(16, '0');

export class LevelAuditDB implements AuditDB {
  private readonly records;
  private readonly containment;
  private readonly pending;

  constructor(db: Level<string, unknown>) {
    this.records = db.sublevel<string, AuditRecord>('audits', { valueEncoding: 'json' });
    // Keyed by node id and challenged piece (a node may have several contained challenges);
    // entries written before that were keyed by node id alone and are read the same way.
    this.containment = db.sublevel<string, Containment>('containment', { valueEncoding: 'json' });
    // At most one pending suspect per node: keyed by node id, the newest report wins.
    this.pending = db.sublevel<string, Suspect>('audit-suspects', { valueEncoding: 'json' });
  }

  async addRecord(record: AuditRecord): Promise<void> {
    // The random tail keeps two audits of one node at the same time apart.
    await this.records.put(`${record.nodeId}!${pad(record.time)}!${randomBytes(4).toString('hex')}`, record);
  }

  async countSuccesses(nodeId: string, start: number, end: number): Promise<number> {
    let n = 0;
    for await (const r of this.records.values({ gte: `${nodeId}!${pad(start)}`, lt: `${nodeId}!${pad(end)}` })) if (r.outcome === 'success') n++;
    return n;
  }

  async newestRecords(limit: number, nodeId?: string): Promise<AuditRecord[]> {
    if (nodeId) {
      const out: AuditRecord[] = [];
      for await (const r of this.records.values({ gte: `${nodeId}!`, lt: `${nodeId}"`, reverse: true, limit })) out.push(r);
      return out.reverse();
    }
    // Keyed by node first: a walk over all, trimmed as it goes.
    let out: AuditRecord[] = [];
    const byTime = (a: AuditRecord, b: AuditRecord): number => a.time - b.time;
    for await (const r of this.records.values()) {
      out.push(r);
      if (out.length >= 2 * limit) out = out.sort(byTime).slice(-limit);
    }
    return out.sort(byTime).slice(-limit);
  }

  containments(): AsyncIterable<[string, Containment]> {
    return this.containment.iterator();
  }

  async putContainment(key: string, containment: Containment): Promise<void> {
    await this.containment.put(key, containment);
  }

  async deleteContainment(key: string): Promise<void> {
    await this.containment.del(key);
  }

  async suspect(nodeId: string): Promise<Suspect | undefined> {
    return this.pending.get(nodeId);
  }

  async putSuspect(nodeId: string, suspect: Suspect): Promise<void> {
    await this.pending.put(nodeId, suspect);
  }

  async deleteSuspect(nodeId: string): Promise<void> {
    await this.pending.del(nodeId);
  }

  suspects(): AsyncIterable<[string, Suspect]> {
    return this.pending.iterator();
  }

  /**
   * Deletes the node's contained challenges and suspect report (in NodeRegistry.forget's batch);
   * its audit records stay, as history.
   */
  async forgetOps(nodeId: string): Promise<unknown[]> {
    const ops: unknown[] = [{ type: 'del', sublevel: this.pending, key: nodeId }, { type: 'del', sublevel: this.containment, key: nodeId }];
    for await (const key of this.containment.keys({ gt: `${nodeId}!`, lt: `${nodeId}"` })) ops.push({ type: 'del', sublevel: this.containment, key });
    return ops;
  }
}
