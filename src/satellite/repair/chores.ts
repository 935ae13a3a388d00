// The repair chores' rounds: a checker walk and a repairer run, each reported to the gauges and
// counters it is given, and logged when it did something.
import type { Logger } from 'pino';
import type { CheckResult } from './checker.js';
import type { RepairResult } from './repairer.js';
import type { RepairService } from './service.js';

export interface RepairGauges {
  lost(segments: number): void;
  queue(segments: number): void;
  repaired(result: RepairResult): void;
}

export async function repairCheckRound(repair: RepairService, log: Logger, gauges: RepairGauges): Promise<CheckResult> {
  const r = await repair.check();
  gauges.lost(r.lost);
  gauges.queue(await repair.queueLength());
  if (r.queued + r.lost > 0) log.info({ segments: r.segments, queued: r.queued, lost: r.lost }, 'repair check done');
  return r;
}

export async function repairRunRound(repair: RepairService, log: Logger, gauges: RepairGauges): Promise<RepairResult[]> {
  const results = await repair.run();
  for (const r of results) gauges.repaired(r);
  gauges.queue(await repair.queueLength());
  if (results.length) log.info({ repaired: results.filter((r) => r.outcome === 'repaired').length, failed: results.filter((r) => r.outcome === 'failed').length }, 'repair run done');
  return results;
}
