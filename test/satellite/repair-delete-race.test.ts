// Repair racing a delete, against a real satellite (on the test's clock) and five real nodes: a
// one-segment object is queued for repair (one of its four nodes gone: 3 healthy, at the repair
// threshold), then its owner deletes it while the segment waits in the queue, while the repairer
// downloads its pieces, or after the repairer rebuilt a piece and before it commits. In each case
// the repair does not bring the segment back (no segment in the metadata, nothing for the checker
// to find), its queue entry is dropped in that same run (outcome `gone`, not a failure), no node is
// blamed, and no piece is left counted: the metadata counts nothing on any node, no repair piece
// is in flight, and the piece a repair stored before it found out is garbage the next GC trashes.
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { PieceAction } from '../../src/protocol/index.js';
import type { OrderIssuer, RepairResult, Satellite } from '../../src/satellite/index.js';
import { connectClient, startNodes, startSatellite, stopAll } from './fixtures.js';

const ONLINE_WITHIN_MS = 4000;

interface Race {
  satellite: Satellite;
  /** The satellite's clock: stands still unless the test moves it (a slow machine never ages a node out). */
  clock: { t: number };
  nodes: StorageNode[];
  client: Stowage;
  /** The queued segment's key. */
  key: string;
  pieceSize: number;
  /** The node that went away (it held piece 0). */
  victim: StorageNode;
  /** The three nodes still holding a piece. */
  holders: StorageNode[];
  /** The one node holding nothing of the segment: the only place a repair can put a piece. */
  spare: StorageNode;
}

let running: { client?: Stowage; nodes?: StorageNode[]; satellite?: Satellite } | undefined;

afterEach(async () => {
  const r = running;
  running = undefined;
  if (r) await stopAll(r);
});

/** Uploads `x` (one segment, a piece on 4 of 5 nodes), takes piece 0's node away, and queues the segment. */
async function queuedSegment(): Promise<Race> {
  const clock = { t: Date.now() };
  const satellite = await startSatellite({ onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: 2, repair: 3, success: 4, total: 4 } }, { now: () => clock.t });
  running = { satellite };
  // No GC skew: a piece is garbage as soon as a filter made after it lacks it.
  const { nodes } = await startNodes(satellite, 5, () => ({ gcSkewMs: 0 }));
  running.nodes = nodes;
  const client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  running.client = client;
  await client.createBucket('race');
  await client.upload('race', 'x', new Uint8Array(randomBytes(100 * 1024)));
  const segments: { key: string; pieces: { nodeId: string; number: number }[]; pieceSize: number }[] = [];
  for await (const { key, segment } of satellite.metadata.remoteSegments()) segments.push({ key, pieces: segment.pieces, pieceSize: segment.pieceSize });
  expect(segments.map((s) => s.pieces.map((p) => p.number))).toEqual([[0, 1, 2, 3]]);
  const [{ key, pieces, pieceSize }] = segments as [(typeof segments)[number]];
  const byId = new Map(nodes.map((n) => [n.peerId, n]));
  const victim = byId.get(pieces[0]!.nodeId)!;
  const holders = pieces.slice(1).map((p) => byId.get(p.nodeId)!);
  const spare = nodes.find((n) => !pieces.some((p) => p.nodeId === n.peerId))!;
  expect(spare.store.usedSpace(satellite.id)).toBe(0);

  // The victim goes; its last contact ages out of the online window, the others are reached again.
  await victim.stop();
  clock.t += ONLINE_WITHIN_MS + 100;
  expect(await satellite.checkUptime()).toEqual({ checked: 5, reached: 4 });
  expect(await satellite.checkRepair()).toEqual({ segments: 1, queued: 1, lost: 0, histogram: { 3: 1 } });
  expect((await satellite.repair.queued()).map((q) => [q.segmentKey, q.healthy])).toEqual([[key, 3]]);
  return { satellite, clock, nodes, client, key, pieceSize, victim, holders, spare };
}

/** Deletes the object and waits until the satellite's deletes to the nodes are done. */
async function deleteObject(r: Race): Promise<void> {
  await r.client.delete('race', 'x');
  await Promise.allSettled([...r.satellite.metainfo.pendingDeletes]);
}

/** The order issuer the repairer signs with (shared with the rest of the satellite). */
function issuerOf(satellite: Satellite): OrderIssuer {
  return (satellite.repair as unknown as { d: { issuer: OrderIssuer } }).d.issuer;
}

/** Runs `onOrders` the first time the repairer asks for orders of `action`, before they are issued. */
function onFirstOrders(satellite: Satellite, action: PieceAction, onOrders: () => Promise<void>): { fired: () => number } {
  const issuer = issuerOf(satellite);
  const issue = issuer.issue.bind(issuer);
  let fired = 0;
  issuer.issue = async (a, ...rest) => {
    if (a === action && fired++ === 0) await onOrders();
    return issue(a, ...rest);
  };
  return { fired: () => fired };
}

/** What must hold after the race, whichever moment the delete came at. */
async function nothingLeft(r: Race, results: RepairResult[]): Promise<void> {
  // Gone in this run, not failed, and off the queue; the segment was not written back.
  expect(results).toEqual([{ segmentKey: r.key, outcome: 'gone', before: 0, after: 0, bytes: 0 }]);
  expect(await r.satellite.repair.queueLength()).toBe(0);
  expect(await r.satellite.repair.queued()).toEqual([]);
  expect(await r.satellite.repair.lost()).toEqual([]);
  expect(await r.satellite.metadata.segmentByKey(r.key)).toBeUndefined();
  // No segment for the checker to find, none for audits or payouts to count.
  expect(await r.satellite.checkRepair()).toEqual({ segments: 0, queued: 0, lost: 0, histogram: {} });
  // No piece counted on any node, none in flight.
  expect(await r.satellite.gc.usedByNode()).toEqual(new Map());
  expect(r.satellite.repair.inFlightPieces()).toEqual([]);
  expect(r.satellite.repair.segmentsInFlight()).toBe(0);
  // No node blamed for the pieces the delete removed.
  for (const n of r.nodes) expect([n.peerId, (await r.satellite.reputation.get(n.peerId)).failures]).toEqual([n.peerId, 0]);
  // The delete reached the holders: they hold nothing of the satellite's.
  expect(r.holders.map((n) => n.store.usedSpace(r.satellite.id))).toEqual([0, 0, 0]);
  const metrics = await (await fetch(`${r.satellite.adminUrl}/metrics`)).text();
  expect(metrics).toMatch(/^stowage_satellite_repairs_total\{outcome="gone"\} 1$/m);
  expect(metrics).not.toMatch(/stowage_satellite_repairs_total\{outcome="(failed|repaired)"\}/);
  expect(metrics).toMatch(/^stowage_satellite_repair_queue 0$/m);
}

it('drops the queue entry of a segment deleted while it waited in the queue, and repairs nothing', async () => {
  const r = await queuedSegment();
  await deleteObject(r);
  // The delete leaves the entry; the repairer finds the segment gone.
  expect(await r.satellite.repair.queueLength()).toBe(1);
  const results = await r.satellite.runRepair();
  await nothingLeft(r, results);
  expect(r.spare.store.usedSpace(r.satellite.id)).toBe(0);
}, 60_000);

it('drops the queue entry of a segment deleted while the repairer was about to download its pieces', async () => {
  const r = await queuedSegment();
  const hook = onFirstOrders(r.satellite, PieceAction.REPAIR_GET, () => deleteObject(r));
  const results = await r.satellite.runRepair();
  expect(hook.fired()).toBe(1);
  await nothingLeft(r, results);
  expect(r.spare.store.usedSpace(r.satellite.id)).toBe(0);
}, 60_000);

it('does not write back a segment deleted after its repair rebuilt a piece, and the stored piece is garbage', async () => {
  const r = await queuedSegment();
  const hook = onFirstOrders(r.satellite, PieceAction.REPAIR_PUT, () => deleteObject(r));
  const results = await r.satellite.runRepair();
  expect(hook.fired()).toBe(1);
  await nothingLeft(r, results);
  // The rebuilt piece reached the spare before the repair found the segment gone: on the node,
  // counted nowhere by the satellite, and trashed by the next GC (the spare's filter is empty).
  expect(r.spare.store.usedSpace(r.satellite.id)).toBe(r.pieceSize);
  // The filter is made after the piece was stored, on either clock (and within the nodes' skew allowance).
  r.clock.t = Math.max(r.clock.t, Date.now()) + 1000;
  const gc = await r.satellite.gc.run();
  expect(gc.find((g) => g.nodeId === r.spare.peerId)).toMatchObject({ trashed: 1 });
  expect(r.spare.store.usedSpace(r.satellite.id)).toBe(0);
  expect(r.spare.store.trashSpace()).toBe(r.pieceSize);
}, 60_000);
