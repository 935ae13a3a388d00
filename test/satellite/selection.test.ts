import { describe, expect, it } from 'vitest';
import { seededRandom } from '../fixtures/random.js';
import { NotEnoughNodesError, selectNodes, subnetOf, subnetOfIp, type NodeRecord, type SelectionOptions } from '../../src/satellite/index.js';

const NOW = 1_000_000_000;

/** A record as the satellite keeps it: its subnet is the one of the address it was reached at (here, the first). */
function node(i: number, over: Partial<NodeRecord> = {}): NodeRecord {
  const rec = rawNode(i, over);
  const ip = rec.addresses[0]!.split('/')[2]!;
  return { reachedAddress: rec.addresses[0]!, subnet: subnetOfIp(ip), ...rec };
}

function rawNode(i: number, over: Partial<NodeRecord>): NodeRecord {
  return {
    id: `node-${i}`,
    addresses: [`/ip4/10.${Math.floor(i / 256)}.${i % 256}.7/tcp/28967`],
    capacity: 1e12,
    freeSpace: 1e9,
    version: '0.1.0',
    wallet: '',
    email: '',
    firstContact: 0,
    lastContact: NOW,
    reachable: true,
    lastReached: NOW - 1000,
    vetted: true,
    flags: { disqualified: null, suspended: null, exited: null },
    ...over
  };
}

const base: SelectionOptions = { count: 4, pieceSize: 1e6, now: NOW, onlineWithinMs: 3_600_000, distinctSubnets: true, newNodeShare: 0.25, random: seededRandom(1) };

describe('node selection', () => {
  it('picks distinct eligible nodes at random', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => node(i));
    const a = selectNodes(nodes, { ...base, random: seededRandom(1) }).map((n) => n.id);
    const b = selectNodes(nodes, { ...base, random: seededRandom(2) }).map((n) => n.id);
    expect(new Set(a).size).toBe(4);
    expect(a).not.toEqual(b);
  });

  it('skips offline, full, disqualified, suspended, exited and excluded nodes', () => {
    const bad = [
      node(1, { lastReached: NOW - 7_200_000 }),
      node(2, { lastReached: null }),
      node(3, { freeSpace: 999_999 }),
      node(4, { flags: { disqualified: 1, suspended: null, exited: null } }),
      node(5, { flags: { disqualified: null, suspended: 1, exited: null } }),
      node(6, { flags: { disqualified: null, suspended: null, exited: 1 } }),
      node(7)
    ];
    const good = [node(10), node(11), node(12)];
    for (let seed = 0; seed < 20; seed++) {
      const chosen = selectNodes([...bad, ...good], { ...base, count: 3, exclude: new Set(['node-7']), random: seededRandom(seed) });
      expect(chosen.map((n) => n.id).sort()).toEqual(['node-10', 'node-11', 'node-12']);
    }
  });

  it('takes at most one node per /24 and per /64, unless told otherwise', () => {
    const same24 = Array.from({ length: 6 }, (_, i) => node(i, { addresses: [`/ip4/192.168.5.${i + 1}/tcp/1`] }));
    const v6 = [
      node(20, { addresses: ['/ip6/2001:db8:1:2::1/tcp/1'] }),
      node(21, { addresses: ['/ip6/2001:db8:1:2:ffff::9/tcp/1'] }),
      node(22, { addresses: ['/ip6/2001:db8:1:3::1/tcp/1'] })
    ];
    expect(subnetOf(v6[0]!)).toBe(subnetOf(v6[1]!));
    expect(subnetOf(v6[0]!)).not.toBe(subnetOf(v6[2]!));
    expect(() => selectNodes([...same24, ...v6], { ...base, count: 4 })).toThrow(NotEnoughNodesError);
    expect(selectNodes([...same24, ...v6], { ...base, count: 3 })).toHaveLength(3);
    expect(selectNodes(same24, { ...base, count: 6, distinctSubnets: false })).toHaveLength(6);
  });

  it('counts the subnet the node was reached in, not the addresses it announced', () => {
    // Sybils announcing their own DNS names and a bogus first /ip4, all reached on one host.
    const sybils = Array.from({ length: 5 }, (_, i) =>
      node(30 + i, { addresses: [`/ip4/10.${i}.0.1/tcp/1`, `/dns4/sybil-${i}.example/tcp/1`], reachedAddress: '/ip4/203.0.113.9/tcp/1', subnet: subnetOfIp('203.0.113.9') })
    );
    expect(new Set(sybils.map(subnetOf)).size).toBe(1);
    expect(selectNodes(sybils, { ...base, count: 2, minimum: 1 })).toHaveLength(1);
    // An IPv4-mapped IPv6 address counts as its IPv4 /24; a record never reached is a subnet of its own.
    expect(subnetOfIp('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(subnetOfIp('::ffff:cb00:714d')).toBe('203.0.113.0/24');
    expect(subnetOf({ id: 'n', subnet: null })).toBe('node:n');
  });

  it('gives new nodes their share and fills from either pool', () => {
    const vetted = Array.from({ length: 10 }, (_, i) => node(i));
    const fresh = Array.from({ length: 10 }, (_, i) => node(100 + i, { vetted: false }));
    const chosen = selectNodes([...vetted, ...fresh], { ...base, count: 8, newNodeShare: 0.25 });
    expect(chosen.filter((n) => !n.vetted)).toHaveLength(2);
    // A network of new nodes only still gets its segments placed.
    expect(selectNodes(fresh, { ...base, count: 8 })).toHaveLength(8);
  });

  it('says how many were needed and found when there are too few', () => {
    const err = (() => {
      try {
        selectNodes([node(1), node(2)], { ...base, count: 5 });
      } catch (e) {
        return e as NotEnoughNodesError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(NotEnoughNodesError);
    expect(err).toMatchObject({ code: 'SATELLITE_NOT_ENOUGH_NODES', needed: 5, found: 2 });
    expect(err?.message).toBe('5 storage nodes are needed and only 2 are eligible');
  });

  it('takes fewer than asked down to the minimum, and no fewer', () => {
    const nodes = Array.from({ length: 5 }, (_, i) => node(i));
    expect(selectNodes(nodes, { ...base, count: 8, minimum: 5 })).toHaveLength(5);
    expect(selectNodes(Array.from({ length: 12 }, (_, i) => node(i)), { ...base, count: 8, minimum: 5 })).toHaveLength(8);
    expect(() => selectNodes(nodes.slice(0, 4), { ...base, count: 8, minimum: 5 })).toThrow('5 storage nodes are needed and only 4 are eligible');
  });
});
