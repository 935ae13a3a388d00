// Uptime checks: every known node that has not exited is pinged (over an open connection, or a
// dial-back to its announced addresses), and each outcome is counted in its uptime window (the
// online score).
import type { Libp2p } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import type { Logger } from 'pino';
import { pingOver } from '../../protocol/index.js';
import { subnetOfIp, type NodeDB, type NodeRecord } from '../overlay/index.js';
import { dialBack, type DialBackResult } from './dial.js';
import type { NodeReaches } from './endpoint.js';

/** The multiaddr code of /p2p (stripped before comparing with announced addresses). */
const CODE_P2P = 421;

/**
 * Nodes checked at once unless configured (uptimeConcurrency). A round dials every node that has
 * not exited, dead ones included (each costs at most two dial timeouts): with 8 at a time, rounds
 * on a loaded 2-core machine took 5-19 s against an 8 s online window in the chaos runs, and the
 * satellite thought live nodes down. Nodes never reached are not in the registry (a check-in
 * whose dial-back fails is not stored), so fake records cannot fill a round.
 */
export const UPTIME_CONCURRENCY = 32;

/**
 * One node's uptime check: a ping over a connection the satellite itself dialled to an address
 * the node announced, when there is one still open (a node that answers there is up: audits and
 * repair use that connection too), or else a dial-back on a fresh connection to such an address. Fresh connections for every
 * node every round cost a Noise handshake each and made rounds outlast the online window.
 */
async function checkNode(libp2p: Libp2p, rec: NodeRecord, timeoutMs: number): Promise<DialBackResult> {
  let open;
  try {
    // Only a connection the satellite dialled, to an address the node announced: a connection
    // the node opened itself proves nothing about those addresses (a node must not keep its own
    // connection open to look reachable, nor claim subnets it is not in).
    // The dial-back dials the IP a DNS name resolved to: that address counts too.
    const announced = new Set(rec.addresses);
    if (rec.reachedAddress) announced.add(rec.reachedAddress);
    open = libp2p
      .getConnections(peerIdFromString(rec.id))
      .find((c) => c.status === 'open' && c.direction === 'outbound' && announced.has(c.remoteAddr.decapsulateCode(CODE_P2P).toString()));
  } catch {
    open = undefined;
  }
  if (open) {
    try {
      await pingOver(open, AbortSignal.timeout(timeoutMs));
      const address = open.remoteAddr.decapsulateCode(CODE_P2P);
      const ip = address.getComponents().find((p) => p.name === 'ip4' || p.name === 'ip6')?.value;
      return { reachable: true, message: 'reached over an open connection', ...(ip ? { reached: { address: address.toString(), ip, subnet: subnetOfIp(ip) } } : {}) };
    } catch {
      // The connection may be stale (a node killed without closing it): dial afresh.
    }
  }
  return dialBack(libp2p, rec.id, rec.addresses, timeoutMs);
}

/** `rec`'s check, or the dial-back or check in flight for it. */
async function checkOnce(d: UptimeDeps, rec: NodeRecord): Promise<DialBackResult> {
  const pending = d.inFlight?.get(rec.id);
  if (pending) return pending.result;
  const result = checkNode(d.libp2p, rec, d.dialTimeoutMs);
  d.inFlight?.set(rec.id, { addresses: rec.addresses, result });
  try {
    return await result;
  } finally {
    if (d.inFlight?.get(rec.id)?.result === result) d.inFlight.delete(rec.id);
  }
}

export interface UptimeDeps {
  libp2p: Libp2p;
  registry: NodeDB;
  now: () => number;
  log: Logger;
  dialTimeoutMs: number;
  /** Nodes checked at once (default UPTIME_CONCURRENCY). */
  concurrency?: number;
  /**
   * The dial-backs of check-ins in flight per node (DialBackSlots.byNode): a node being dialled
   * back is given that answer instead of a second ping at once (concurrent dials of a peer share
   * one connection, and a second ping on it is refused), and a check-in meanwhile joins the check.
   */
  inFlight?: NodeReaches;
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
      const result = await checkOnce(d, rec);
      await d.registry.recordCheck(rec.id, result.reachable, d.now(), result.reached);
      checked++;
      if (result.reachable) reached++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, d.concurrency ?? UPTIME_CONCURRENCY) }, worker));
  await d.registry.pruneWindows(d.now());
  d.log.info({ checked, reached }, 'uptime checks done');
  return { checked, reached };
}
