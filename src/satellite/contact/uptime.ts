// Uptime checks: every known node that has not exited is dialled back at its announced addresses,
// and each outcome is counted in its uptime window (the online score).
import type { Libp2p } from '@libp2p/interface';
import type { Logger } from 'pino';
import type { NodeDB, NodeRecord } from '../overlay/index.js';
import { dialBack } from './dial.js';

/** Nodes dialled at once. */
const UPTIME_CONCURRENCY = 8;

export interface UptimeDeps {
  libp2p: Libp2p;
  registry: NodeDB;
  now: () => number;
  log: Logger;
  dialTimeoutMs: number;
}

export interface UptimeResult {
  checked: number;
  reached: number;
}

/** One round of uptime checks; stops dialling new nodes once `signal` aborts. */
export async function checkUptime(d: UptimeDeps, signal: AbortSignal): Promise<UptimeResult> {
  let checked = 0;
  let reached = 0;
  const nodes: NodeRecord[] = [];
  for await (const rec of d.registry.list()) if (rec.flags.exited === null) nodes.push(rec);
  // In parallel: a round of one-at-a-time dials to stalled nodes outlasted the interval, and
  // nodes looked offline for want of a check (found by the chaos run).
  const worker = async (): Promise<void> => {
    for (let rec = nodes.shift(); rec && !signal.aborted; rec = nodes.shift()) {
      const result = await dialBack(d.libp2p, rec.id, rec.addresses, d.dialTimeoutMs);
      await d.registry.recordCheck(rec.id, result.reachable, d.now());
      checked++;
      if (result.reachable) reached++;
    }
  };
  await Promise.all(Array.from({ length: UPTIME_CONCURRENCY }, worker));
  await d.registry.pruneWindows(d.now());
  d.log.info({ checked, reached }, 'uptime checks done');
  return { checked, reached };
}
