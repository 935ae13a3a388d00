// Node selection for a segment: `count` distinct nodes, reachable recently, not disqualified,
// suspended or exited, with room for a piece, at most one per /24 (IPv4) or /64 (IPv6) unless the
// subnet rule is off (one-host networks), random among the eligible, new (unvetted) nodes getting
// a configured share.
import { multiaddr } from '@multiformats/multiaddr';
import { StowageError } from '../../common/index.js';
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

/** The subnet a node is counted in: /24 of its IPv4 address, /64 of its IPv6 one, else the host. */
export function subnetOf(rec: Pick<NodeRecord, 'addresses' | 'id'>): string {
  for (const a of rec.addresses) {
    try {
      const parts = multiaddr(a).getComponents();
      const ip4 = parts.find((p) => p.name === 'ip4')?.value;
      if (ip4) return `${ip4.split('.').slice(0, 3).join('.')}.0/24`;
      const ip6 = parts.find((p) => p.name === 'ip6')?.value;
      if (ip6) return `${expandIPv6(ip6).slice(0, 4).join(':')}::/64`;
      const dns = parts.find((p) => p.name.startsWith('dns'))?.value;
      if (dns) return `dns:${dns}`;
    } catch {
      // an address that does not parse does not place the node anywhere
    }
  }
  return `node:${rec.id}`;
}

function expandIPv6(ip: string): string[] {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? Array<string>(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0').toLowerCase());
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
