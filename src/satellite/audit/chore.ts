// The audit chore's round: one audit round, each outcome counted, a summary logged.
import type { Logger } from 'pino';
import type { AuditRecord } from './db.js';
import type { AuditService } from './service.js';

export async function auditRound(audits: AuditService, log: Logger, count: (outcome: AuditRecord['outcome']) => void): Promise<AuditRecord[]> {
  const records = await audits.runRound();
  for (const r of records) count(r.outcome);
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  log.info(counts, 'audit round done');
  return records;
}
