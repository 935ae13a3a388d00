// Repair sources chosen by contact and past results, against a real satellite and ten real nodes
// on loopback (real LevelDB): the repairer never dials a node the registry knows is down, passes
// over a node a repair download just failed with until its backoff (30 s) passes on the
// satellite's clock, and still uses backed-off nodes when they are the only way to reach k. A
// piece that fails its root check is dropped: its number is rebuilt onto another node.
// Every dial the satellite makes is counted (and, for chosen nodes, refused) by wrapping its
// libp2p.dial. Segments are degraded one piece at a time by moving the piece to a node id nobody
// has (and deleting it from its node, so the node can take a rebuilt piece again).
// Each test has a network of its own (issue 20): one stops a node, one moves the satellite's
// clock on, and each leaves nodes backed off, which the others must not meet.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { derivePieceId, type Satellite } from '../../src/satellite/index.js';
import type { SegmentRecord } from '../../src/satellite/metainfo/index.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

// Long enough that the test's clock moves never age a node out.
const ONLINE_WITHIN_MS = 3600_000;
const BACKOFF_MS = 30_000;
let skew = 0;
const now = (): number => Date.now() + skew;
const logs: { msg: string; node?: string }[] = [];
let satellite: Satellite;
let nodes: StorageNode[] = [];
const dataDirs = new Map<string, string>();
let client: Stowage | undefined;
const byId = new Map<string, StorageNode>();
/** Segment key of each object (one segment each). */
const segmentOf = new Map<string, string>();
const dials = new Map<string, number>();
const refused = new Set<string>();
let gone = 0;

beforeEach(async () => {
  skew = 0;
  gone = 0;
  logs.length = 0;
  for (const m of [dataDirs, byId, segmentOf, dials]) m.clear();
  refused.clear();
  satellite = await startSatellite(
    // k=2, repair at 3, 4 pieces per segment (success = total: every segment starts with 4).
    { onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: 2, repair: 3, success: 4, total: 4 } },
    {
      now,
      logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg: string; node?: string }) })
    }
  );
  // The satellite's clock runs ahead of the nodes' by up to a minute or so: orders must still pass.
  let configs;
  ({ nodes, configs } = await startNodes(satellite, 10, () => ({ clockSkewMs: 3600_000 })));
  for (const [i, n] of nodes.entries()) {
    byId.set(n.peerId, n);
    dataDirs.set(n.peerId, configs[i]!.dataDir);
  }
  client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  await client.createBucket('kept');
  await satellite.checkUptime();
  for (const name of ['down', 'backoff', 'needed', 'corrupt']) {
    const before = new Set<string>();
    for await (const { key } of satellite.metadata.remoteSegments()) before.add(key);
    await client.upload('kept', name, new Uint8Array(randomBytes(200 * 1024)));
    for await (const { key } of satellite.metadata.remoteSegments()) if (!before.has(key)) segmentOf.set(name, key);
  }
  const libp2p: Libp2p = satellite.libp2p;
  const dial = libp2p.dial.bind(libp2p);
  libp2p.dial = async (target, options) => {
    const peer = /\/p2p\/([^/]+)/.exec(String(target))?.[1] ?? String(target);
    dials.set(peer, (dials.get(peer) ?? 0) + 1);
    if (refused.has(peer)) throw new Error('dial refused by the test');
    return dial(target, options);
  };
}, 60_000);

afterEach(async () => {
  await stopAll({ client, nodes, satellite });
  client = undefined;
  nodes = [];
});

async function segment(name: string): Promise<SegmentRecord> {
  const seg = await satellite.metadata.segmentByKey(segmentOf.get(name)!);
  expect(seg).toBeDefined();
  return seg!;
}

/** The segment's holders, in piece order. */
async function holders(name: string): Promise<string[]> {
  return (await segment(name)).pieces.map((p) => p.nodeId);
}

/** Takes a piece of the segment away: deleted from its node, moved to a node nobody has. */
async function lose(name: string, nodeId: string): Promise<void> {
  const seg = await segment(name);
  const piece = seg.pieces.find((p) => p.nodeId === nodeId)!;
  await byId.get(nodeId)!.store.delete(derivePieceId(Buffer.from(seg.rootPieceId, 'hex'), nodeId, piece.number));
  await satellite.metadata.replacePieces(segmentOf.get(name)!, seg, [{ ...piece, nodeId: `gone-${gone++}` }]);
}

/** The registry reaches the nodes in this order: the last one is the most recently reached. */
async function reach(ids: string[]): Promise<void> {
  const t = now();
  for (const [i, id] of ids.entries()) await satellite.registry.recordCheck(id, true, t + i);
}

/** Checks and repairs; returns the one result (only `name`'s segment is queued) and the dials made. */
async function repair(name: string): Promise<{ outcome: string; after: number; dials: Map<string, number> }> {
  dials.clear();
  logs.length = 0;
  const check = await satellite.checkRepair();
  expect(check.queued).toBe(1);
  const results = await satellite.runRepair();
  expect(results.map((r) => r.segmentKey)).toEqual([segmentOf.get(name)]);
  return { outcome: results[0]!.outcome, after: results[0]!.after, dials: new Map(dials) };
}

function downloadFailures(nodeId: string): number {
  return logs.filter((l) => l.msg === 'repair download failed' && l.node === nodeId).length;
}

it('skips a node after a failed repair download until its backoff passes on the satellite\u2019s clock', async () => {
  const [failing, x1, x2, x3] = await holders('backoff');
  // The failing node is the most recently reached: first among the sources.
  await reach([x1!, x2!, x3!, failing!]);
  refused.add(failing!);
  await lose('backoff', x3!);
  let r = await repair('backoff');
  refused.delete(failing!);
  // It was tried, failed, and the repair went on from the next source.
  expect(r.outcome).toBe('repaired');
  expect(r.after).toBe(4);
  expect(r.dials.get(failing!) ?? 0).toBeGreaterThan(0);
  expect(downloadFailures(failing!)).toBe(1);

  // Still the most recently reached and answering again, but backed off: the others suffice.
  const next = (await holders('backoff')).filter((id) => id !== failing && id !== x1);
  await reach([x1!, ...next, failing!]);
  await lose('backoff', x1!);
  r = await repair('backoff');
  expect(r.outcome).toBe('repaired');
  expect(r.dials.get(failing!) ?? 0).toBe(0);
  expect(downloadFailures(failing!)).toBe(0);

  // Its 30 s pass on the satellite's clock: first in line again, and used.
  skew += BACKOFF_MS + 1000;
  const again = (await holders('backoff')).filter((id) => id !== failing && !id.startsWith('gone-'));
  await reach([...again, failing!]);
  await lose('backoff', again[0]!);
  r = await repair('backoff');
  expect(r.outcome).toBe('repaired');
  expect(r.dials.get(failing!) ?? 0).toBeGreaterThan(0);
  expect(downloadFailures(failing!)).toBe(0);
}, 60_000);

it('uses backed-off nodes when without them there are fewer than k sources', async () => {
  const [failing, y1, y2, y3] = await holders('needed');
  await reach([y1!, y2!, y3!, failing!]);
  refused.add(failing!);
  await lose('needed', y3!);
  let r = await repair('needed');
  refused.delete(failing!);
  expect(r.outcome).toBe('repaired');
  expect(r.dials.get(failing!) ?? 0).toBeGreaterThan(0);
  const triedOnce = r.dials.get(failing!)!;
  // Two pieces go: the backed-off node and one other are the only sources left (k = 2).
  await lose('needed', y1!);
  await lose('needed', y2!);
  const left = (await holders('needed')).filter((id) => !id.startsWith('gone-'));
  expect(left).toHaveLength(2);
  expect(left).toContain(failing);
  r = await repair('needed');
  expect(r.outcome).toBe('repaired');
  expect(r.after).toBe(4);
  expect(r.dials.get(failing!)).toBe(triedOnce);
  expect(downloadFailures(failing!)).toBe(0);
}, 60_000);

it('drops a piece that fails its root check when the repairer downloads it, and rebuilds its number elsewhere', async () => {
  const seg = await segment('corrupt');
  const [bad, o1, o2, o3] = seg.pieces.map((p) => p.nodeId);
  const badPiece = seg.pieces[0]!;
  // 32 bytes of the bad node's piece file change on disk (a piece of 100 KiB is a file).
  const key = Buffer.from(derivePieceId(Buffer.from(seg.rootPieceId, 'hex'), bad!, badPiece.number)).toString('hex');
  const fd = openSync(join(dataDirs.get(bad!)!, 'pieces', 'blobs', key.slice(0, 2), key), 'r+');
  writeSync(fd, Buffer.from(randomBytes(32)), 0, 32, 100);
  closeSync(fd);
  await reach([o1!, o2!, o3!, bad!]);
  await lose('corrupt', o3!);
  const r = await repair('corrupt');
  expect(r.outcome).toBe('repaired');
  expect(r.dials.get(bad!) ?? 0).toBeGreaterThan(0);
  expect(logs.filter((l) => l.msg === 'repair: piece failed its root check, dropped').map((l) => l.node)).toEqual([bad]);
  // The satellite saw the node serve wrong bytes: a failed audit, on its record and reputation.
  const failed = (await satellite.audits.list(bad)).filter((a) => a.outcome === 'failure');
  expect(failed.map((a) => [a.segmentKey, a.pieceNumber, a.reason])).toEqual([[segmentOf.get('corrupt'), badPiece.number, 'repair: the piece did not match its root']]);
  expect((await satellite.reputation.get(bad!)).failures).toBe(1);
  // The bad piece is gone from the segment; its number is on another node, with the client's root.
  const after = await segment('corrupt');
  expect(after.pieces.map((p) => p.nodeId)).not.toContain(bad);
  const rebuilt = after.pieces.find((p) => p.number === badPiece.number)!;
  expect(rebuilt.root).toBe(badPiece.root);
  expect(after.pieces.filter((p) => p.nodeId.startsWith('gone-'))).toEqual([]);
  expect(after.pieces).toHaveLength(4);
  expect(r.after).toBe(4);
}, 60_000);

it('never dials a source the registry knows is down, and repairs from the others', async () => {
  const seg = await segment('down');
  // The holder of the lowest piece number (the first source before sources were ordered) stops,
  // and the registry learns it: unreachable at its last check, though reached recently enough
  // that its piece still counts as healthy.
  const [down, lost] = seg.pieces.map((p) => p.nodeId);
  const stopped = byId.get(down!)!;
  await reach([down!]);
  await stopped.stop();
  await satellite.registry.recordCheck(down!, false, now());
  await lose('down', lost!);
  const r = await repair('down');
  expect(r.outcome).toBe('repaired');
  expect(r.after).toBe(4);
  expect(r.dials.get(down!) ?? 0).toBe(0);
  expect(downloadFailures(down!)).toBe(0);
  expect(logs.filter((l) => l.msg === 'repair upload failed' || l.msg === 'repair failed')).toEqual([]);
  // The rebuilt piece went to a live node, not the stopped one.
  const after = await segment('down');
  expect(after.pieces.filter((p) => p.nodeId.startsWith('gone-'))).toEqual([]);
  expect(after.pieces.map((p) => p.nodeId)).toContain(down);
}, 60_000);

