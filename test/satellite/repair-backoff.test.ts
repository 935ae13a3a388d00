// The repairer's per-node backoff (30 s doubling to 10 min, forgotten on a success, driven by the
// injected clock) and its choice of sources: never a node known down, backed-off nodes last, the
// most recently reached first.
import { describe, expect, it } from 'vitest';
import { NodeBackoff } from '../../src/satellite/repair/backoff.js';
import { REPAIR_DEFAULTS } from '../../src/satellite/repair/config.js';
import { repairSources } from '../../src/satellite/repair/sources.js';
import type { SegmentRecord } from '../../src/satellite/metainfo/index.js';
import type { NodeRecord } from '../../src/satellite/overlay/index.js';

const ONLINE_WITHIN_MS = 4 * 3600_000;

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function node(id: string, lastReached: number | null, change: Partial<NodeRecord> = {}): NodeRecord {
  return {
    id,
    addresses: ['/ip4/127.0.0.1/tcp/1'],
    capacity: 1e9,
    freeSpace: 1e9,
    version: 'test',
    wallet: '',
    email: '',
    firstContact: 0,
    lastContact: lastReached ?? 0,
    reachable: true,
    lastReached,
    vetted: true,
    flags: { disqualified: null, suspended: null, exited: null },
    ...change
  };
}

function segment(nodeIds: string[]): SegmentRecord {
  return {
    index: 0,
    plainSize: 100,
    pieceSize: 64,
    rootPieceId: '00'.repeat(32),
    profile: { minimum: 2, repair: 3, success: 4, total: 6 },
    pieces: nodeIds.map((nodeId, number) => ({ number, nodeId, size: 64, root: '00' })),
    inline: null,
    createdAt: 0
  };
}

describe('NodeBackoff', () => {
  it('has defaults of 30 s doubling to a 10 min cap', () => {
    expect(REPAIR_DEFAULTS.backoffMs).toBe(30_000);
    expect(REPAIR_DEFAULTS.maxBackoffMs).toBe(600_000);
  });

  it('passes a node over for 30 s after a failure, doubling up to 10 min, and forgets it on a success', () => {
    const c = clock();
    const b = new NodeBackoff(c.now, 30_000, 600_000);
    expect(b.isBackedOff('n')).toBe(false);
    const delays = Array.from({ length: 8 }, () => b.failed('n'));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
    expect(b.isBackedOff('n')).toBe(true);
    expect(b.isBackedOff('other')).toBe(false);
    c.advance(599_999);
    expect(b.isBackedOff('n')).toBe(true);
    c.advance(1);
    expect(b.isBackedOff('n')).toBe(false);
    // Its backoff passed but the failures are remembered: the next one doubles from where it was.
    expect(b.hasFailed('n')).toBe(true);
    expect(b.failed('n')).toBe(600_000);
    b.succeeded('n');
    expect(b.isBackedOff('n')).toBe(false);
    expect(b.hasFailed('n')).toBe(false);
    expect(b.failed('n')).toBe(30_000);
  });

  it('ends a backoff when the clock passes it', () => {
    const c = clock();
    const b = new NodeBackoff(c.now, 30_000, 600_000);
    b.failed('n');
    expect(b.backedOffUntil('n')).toBe(c.now() + 30_000);
    c.advance(29_999);
    expect(b.isBackedOff('n')).toBe(true);
    c.advance(1);
    expect(b.isBackedOff('n')).toBe(false);
    expect(b.backedOffUntil('n')).toBe(0);
  });

  it('forgets nodes whose backoff ended long ago, and does nothing with a base of 0', () => {
    const c = clock();
    const b = new NodeBackoff(c.now, 30_000, 600_000);
    b.failed('gone');
    c.advance(30_000 + 600_000);
    b.prune();
    expect(b.size).toBe(1);
    c.advance(1);
    b.prune();
    expect(b.size).toBe(0);
    const off = new NodeBackoff(c.now, 0, 600_000);
    expect(off.failed('n')).toBe(0);
    expect(off.isBackedOff('n')).toBe(false);
  });
});

describe('repairSources', () => {
  const now = 10_000_000;

  it('puts nodes known down (unreachable, not reached lately) last and leaves out disqualified, exited and unknown ones', () => {
    const nodes = new Map<string, NodeRecord>(
      [
        node('up-old', now - 3000),
        node('up-new', now - 1000),
        node('unreachable', now - 10, { reachable: false }),
        node('stale', now - ONLINE_WITHIN_MS - 1),
        node('never', null),
        node('dq', now - 10, { flags: { disqualified: now - 5, suspended: null, exited: null } }),
        node('exited', now - 10, { flags: { disqualified: null, suspended: null, exited: now - 5 } }),
        node('suspended', now - 2000, { flags: { disqualified: null, suspended: now - 5, exited: null } })
      ].map((n) => [n.id, n])
    );
    const seg = segment(['up-old', 'unreachable', 'stale', 'never', 'dq', 'exited', 'unknown', 'up-new', 'suspended']);
    const b = new NodeBackoff(() => now, 30_000, 600_000);
    const r = repairSources(seg, { nodes, distrusted: new Set() }, now, ONLINE_WITHIN_MS, b);
    // A suspended node that is still reachable keeps its pieces healthy and may be a source.
    // Known down but neither disqualified nor exited: last resort, the most recently reached first.
    expect(r.sources.map((p) => p.nodeId).slice(0, 4)).toEqual(['up-new', 'suspended', 'up-old', 'unreachable']);
    expect(r.sources.map((p) => p.nodeId).slice(4).sort()).toEqual(['never', 'stale']);
    expect(r.down).toBe(3);
    expect(r.backedOff).toBe(0);
  });

  it('puts backed-off nodes last (soonest out of backoff first) and distrusted ones after trusted ones', () => {
    const c = clock(now);
    const nodes = new Map<string, NodeRecord>(['a', 'b', 'c', 'd', 'e'].map((id, i) => [id, node(id, now - 100 * (i + 1))]));
    const b = new NodeBackoff(c.now, 30_000, 600_000);
    // 'a', the most recently reached, failed twice (60 s); 'b' once (30 s).
    b.failed('a');
    b.failed('a');
    b.failed('b');
    const seg = segment(['a', 'b', 'c', 'd', 'e']);
    const view = { nodes, distrusted: new Set(['c']) };
    let r = repairSources(seg, view, c.now(), ONLINE_WITHIN_MS, b);
    expect(r.sources.map((p) => p.nodeId)).toEqual(['d', 'e', 'c', 'b', 'a']);
    expect(r.backedOff).toBe(2);
    // 'b''s backoff passes: it is back in its place by contact; 'a' is still backed off.
    c.advance(30_000);
    r = repairSources(seg, view, c.now(), ONLINE_WITHIN_MS, b);
    expect(r.sources.map((p) => p.nodeId)).toEqual(['b', 'd', 'e', 'c', 'a']);
    // A success forgets 'a''s failures at once.
    b.succeeded('a');
    r = repairSources(seg, view, c.now(), ONLINE_WITHIN_MS, b);
    expect(r.sources.map((p) => p.nodeId)).toEqual(['a', 'b', 'd', 'e', 'c']);
  });
});
