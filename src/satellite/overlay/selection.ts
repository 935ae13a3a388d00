// Node selection for a segment: `count` distinct nodes, reachable recently, not disqualified,
// suspended or exited, with room for a piece, at most one per /24 (IPv4) or /64 (IPv6) of the IP
// the satellite reached it at unless the subnet rule is off (one-host networks), random among the
// eligible, new (unvetted) nodes getting a configured share. The satellite feeds it from a cache
// of the registry (cache.ts), not a registry scan per segment.
import { StowageError } from '../../common/index.js';
import { expandIPv6, mappedIPv4 } from '../../common/rate-limit.js';
import type { NodeRecord } from './db.js';

export class NotEnoughNodesError extends StowageError {
  constructor(
    readonly needed: number,
    readonly found: number
  ) {
    super('SATELLITE_NOT_ENOUGH_NODES', `${needed} storage nodes are needed and only ${found} are eligible`);
  }
}

export interface SelectionOptions {
  count: number;
  /** Fewer than `count` will do down to this many (default: `count`). */
  minimum?: number;
  /** Bytes each chosen node must have free. */
  pieceSize: number;
  now: number;
  /** A node counts as online if it was reached within this long. */
  onlineWithinMs: number;
  /** One node per /24 or /64. */
  distinctSubnets: boolean;
  /** Share of the selection given to unvetted nodes, 0..1. */
  newNodeShare: number;
  /** Nodes not to pick (already holding the segment, say). */
  exclude?: ReadonlySet<string>;
  /** Uniform [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * The subnet an IP is counted in: its /24 (IPv4; an IPv4-mapped IPv6 address counts as IPv4) or
 * its /64 (IPv6).
 */
export function subnetOfIp(ip: string): string {
  const v4 = ip.includes(':') ? (mappedIPv4(ip) ?? ip) : ip;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/**
 * The subnet a node is counted in: the one of the IP the satellite last reached it at (its
 * dial-back or an uptime check; see contact/dial.ts), never what the node announced (DNS names
 * or a bogus first address would make a subnet per Sybil). A node never reached since that was
 * recorded is a subnet of its own until the next uptime round or check-in.
 */
export function subnetOf(rec: Pick<NodeRecord, 'subnet' | 'id'>): string {
  return rec.subnet ?? `node:${rec.id}`;
}

export function isEligible(rec: NodeRecord, o: Pick<SelectionOptions, 'now' | 'onlineWithinMs' | 'pieceSize' | 'exclude'>): boolean {
  return (
    rec.flags.disqualified === null &&
    rec.flags.suspended === null &&
    rec.flags.exited === null &&
    rec.lastReached !== null &&
    o.now - rec.lastReached <= o.onlineWithinMs &&
    rec.freeSpace >= o.pieceSize &&
    !(o.exclude?.has(rec.id) ?? false)
  );
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export function selectNodes(candidates: readonly NodeRecord[], o: SelectionOptions): NodeRecord[] {
  const random = o.random ?? Math.random;
  const eligible = shuffle(candidates.filter((rec) => isEligible(rec, o)), random);
  const vetted = eligible.filter((rec) => rec.vetted);
  const fresh = eligible.filter((rec) => !rec.vetted);
  const chosen: NodeRecord[] = [];
  const subnets = new Set<string>();
  const take = (pool: NodeRecord[], limit: number): void => {
    for (const rec of pool) {
      if (chosen.length >= limit) return;
      if (chosen.includes(rec)) continue;
      const subnet = subnetOf(rec);
      if (o.distinctSubnets && subnets.has(subnet)) continue;
      subnets.add(subnet);
      chosen.push(rec);
    }
  };
  // New nodes get their share first, vetted nodes the rest, and either fills what the other lacks.
  take(fresh, Math.min(o.count, Math.round(o.count * o.newNodeShare)));
  take(vetted, o.count);
  take(fresh, o.count);
  if (chosen.length < (o.minimum ?? o.count)) throw new NotEnoughNodesError(o.minimum ?? o.count, chosen.length);
  return chosen;
}
