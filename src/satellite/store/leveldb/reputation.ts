// The LevelDB ReputationDB (LevelReputationDB): each node's audit reputation by node id.
import type { Level } from 'level';
import type { AuditReputation, ReputationDB } from '../../reputation/index.js';
import type { PerNodeRecords } from './nodes.js';

export class LevelReputationDB implements ReputationDB, PerNodeRecords {
  private readonly audits;

  constructor(db: Level<string, unknown>) {
    this.audits = db.sublevel<string, AuditReputation>('reputation', { valueEncoding: 'json' });
  }

  async get(nodeId: string): Promise<AuditReputation | undefined> {
    return this.audits.get(nodeId);
  }

  async put(nodeId: string, reputation: AuditReputation): Promise<void> {
    await this.audits.put(nodeId, reputation);
  }

  entries(): AsyncIterable<[string, AuditReputation]> {
    return this.audits.iterator();
  }

  /** Deletes the node's reputation (in NodeRegistry.forget's batch). */
  forgetOps(nodeId: string): Promise<unknown[]> {
    return Promise.resolve([{ type: 'del', sublevel: this.audits, key: nodeId }]);
  }
}
