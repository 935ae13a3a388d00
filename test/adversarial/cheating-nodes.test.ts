// Storage nodes that keep other bytes than they were sent (zeros, half the piece, one flipped
// byte) and sign receipts anyway, against a real satellite, real honest nodes and the client
// library on loopback (profile 2/3/4/6). Two kinds of liar:
// - `own-root`: signs a receipt over what it kept: the client refuses it (RECEIPT_MISMATCH), so
//   no upload commits such a piece;
// - `client-root`: repeats the client's root and size in its receipt: the piece commits (nothing
//   can tell at upload time), but every audit of it fails and downloads route around it.
// Either way every object downloads byte-identical and no audit of a cheater succeeds.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { AuditRecord, Satellite } from '../../src/satellite/index.js';
import { seededRandom } from '../fixtures/random.js';
import { collect } from '../node/fixtures/pieces.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { connectClient, startNodes, startSatellite } from '../satellite/fixtures.js';
import { makeCheater, type Keep, type ReceiptLie } from './cheaters.js';

const SEGMENT = 64 * 1024;
const KEEPS: Keep[] = ['zeros', 'truncated', 'flipped'];

interface Network {
  satellite: Satellite;
  nodes: StorageNode[];
  cheaters: Set<string>;
  client: Stowage;
  taken: () => number;
}

async function network(lie: ReceiptLie, honest: number, success = 4, keeps: Keep[] = KEEPS): Promise<Network> {
  const satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success, total: 6 }, downloadMargin: 1 });
  const { nodes } = await startNodes(satellite, keeps.length + honest);
  const counters = await Promise.all(keeps.map((keep, i) => makeCheater(nodes[i]!, { keep, receipt: lie })));
  const client = await connectClient(satellite, { segmentSize: SEGMENT, pieceTimeoutMs: 5000 });
  await client.createBucket('adv');
  return {
    satellite,
    nodes,
    cheaters: new Set(nodes.slice(0, keeps.length).map((n) => n.peerId)),
    client,
    taken: () => counters.reduce((n, c) => n + c.taken(), 0)
  };
}

async function stop(net: Network | undefined): Promise<void> {
  if (!net) return;
  await net.client.close();
  await Promise.all(net.nodes.map((n) => n.stop()));
  await net.satellite.stop();
}

/** Objects of seeded random sizes: inline, one segment, several, a partial last segment. */
function objects(seed: number): Map<string, Uint8Array> {
  const rand = seededRandom(seed);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < 5; i++) out.set(`obj-${seed}-${i}`, new Uint8Array(randomBytes(Math.floor(rand() * 4 * SEGMENT) + (i === 0 ? 0 : 5000))));
  out.set(`obj-${seed}-big`, new Uint8Array(randomBytes(3 * SEGMENT + Math.floor(rand() * SEGMENT))));
  return out;
}

async function committedPiecesOn(satellite: Satellite, ids: Set<string>): Promise<number> {
  let n = 0;
  for await (const { segment } of satellite.metadata.remoteSegments()) n += segment.pieces.filter((p) => ids.has(p.nodeId)).length;
  return n;
}

async function auditsOf(satellite: Satellite, ids: Set<string>): Promise<AuditRecord[]> {
  return (await satellite.audits.list(undefined, 10_000)).filter((r) => ids.has(r.nodeId));
}

afterAll(() => removeTempDirs());

describe('nodes that sign receipts over the bytes they kept', () => {
  let net: Network;
  const written = objects(11);
  beforeAll(async () => {
    net = await network('own-root', 5);
  });
  afterAll(() => stop(net));

  // One scenario (issue 20): the audit round needs the uploads before it, or it proves nothing.
  it('never get such a piece committed; every object downloads byte-identical; never audited successfully (they hold nothing the satellite counts)', async () => {
    for (const [key, bytes] of written) await net.client.upload('adv', key, bytes);
    // The cheaters were chosen and took pieces, and every one of those receipts was refused.
    expect(net.taken()).toBeGreaterThan(0);
    expect(await committedPiecesOn(net.satellite, net.cheaters)).toBe(0);
    for (const [key, bytes] of written) expect(Buffer.from(await collect(net.client.download('adv', key))).equals(Buffer.from(bytes))).toBe(true);

    // Audited after the uploads: the round finds nothing of theirs to pass.
    await net.satellite.audits.runRound();
    expect((await auditsOf(net.satellite, net.cheaters)).filter((r) => r.outcome === 'success')).toEqual([]);
  });
});

describe('nodes that sign the client\u2019s root over other bytes', () => {
  let net: Network;
  const written = objects(23);
  beforeAll(async () => {
    // Liars answer fast and win the long tail: with success = 5, at most 3 of a segment's pieces
    // are theirs, so k = 2 honest pieces always remain.
    net = await network('client-root', 5, 5);
  });
  afterAll(() => stop(net));

  // One scenario (issue 20): the audits need the uploads and the downloads' reports before them.
  it('get pieces committed, yet every object downloads byte-identical and the liars are reported; fail every audit of the pieces they hold, and no honest node fails one', async () => {
    for (const [key, bytes] of written) await net.client.upload('adv', key, bytes);
    expect(await committedPiecesOn(net.satellite, net.cheaters)).toBeGreaterThan(0);
    for (const [key, bytes] of written) expect(Buffer.from(await collect(net.client.download('adv', key))).equals(Buffer.from(bytes))).toBe(true);
    // Ranged reads across segment boundaries too.
    const [key, bytes] = [...written].find(([k]) => k.endsWith('-big'))!;
    const from = Math.floor(bytes.length / 3);
    expect(Buffer.from(await collect(net.client.download('adv', key, { offset: from, length: SEGMENT + 17 }))).equals(Buffer.from(bytes.subarray(from, from + SEGMENT + 17)))).toBe(true);

    // The audits that follow: of the pieces committed above, and of the reports the downloads sent.
    const holders = new Set<string>();
    for await (const { segment } of net.satellite.metadata.remoteSegments()) for (const p of segment.pieces) if (net.cheaters.has(p.nodeId)) holders.add(p.nodeId);
    expect(holders.size).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) await net.satellite.audits.runRound();
    const records = await auditsOf(net.satellite, holders);
    // Every holder was audited each round, and never passed.
    for (const id of holders) expect(records.filter((r) => r.nodeId === id && r.outcome === 'failure').length).toBeGreaterThanOrEqual(3);
    expect(records.filter((r) => r.outcome === 'success')).toEqual([]);
    // The client's downloads reported the liars: their reported pieces were audited first.
    expect(records.filter((r) => r.suspect).length).toBeGreaterThan(0);
    const honest = new Set(net.nodes.map((n) => n.peerId).filter((id) => !net.cheaters.has(id)));
    expect((await auditsOf(net.satellite, honest)).filter((r) => r.outcome !== 'success' && r.outcome !== 'skipped')).toEqual([]);
  });
});

describe('downloads when bad pieces outnumber good ones', () => {
  let net: Network;
  beforeAll(async () => {
    // Two liars (they answer fast and win the long tail) and four honest nodes: a segment's 4
    // pieces include 2 honest ones at least, until honest nodes stop.
    net = await network('client-root', 4, 4, ['zeros', 'truncated']);
  });
  afterAll(() => stop(net));

  it('succeed while k honest pieces exist, and fail with NOT_ENOUGH_PIECES and counts when they do not', async () => {
    const written = objects(37);
    for (const [key, bytes] of written) await net.client.upload('adv', key, bytes);
    const keysByStream = new Map<string, string>();
    for await (const apiKey of net.satellite.apiKeys.list()) {
      for (const key of written.keys()) {
        const found = await net.satellite.metadata.getObject(apiKey.id, 'adv', key).catch(() => undefined);
        if (found) keysByStream.set(found.object.streamId, key);
      }
    }
    const outcomes = { ok: 0, short: 0 };
    // Which objects have a segment with fewer than k pieces on honest, running nodes: exactly
    // those fail, with NOT_ENOUGH_PIECES; the others come back byte-identical.
    const check = async (gone: Set<string>): Promise<void> => {
      const short = new Set<string>();
      for await (const { key: segKey, segment } of net.satellite.metadata.remoteSegments()) {
        const good = segment.pieces.filter((p) => !net.cheaters.has(p.nodeId) && !gone.has(p.nodeId)).length;
        if (good < segment.profile.minimum) short.add(keysByStream.get(segKey.split('\x00')[0]!)!);
      }
      for (const [key, bytes] of written) {
        if (short.has(key)) {
          const err = await collect(net.client.download('adv', key)).then(() => undefined, (e: unknown) => e as { code?: string; message: string });
          expect(err?.code).toBe('NOT_ENOUGH_PIECES');
          expect(err?.message).toMatch(/\d good pieces found of the 2 needed .*sent bad data/);
          outcomes.short++;
        } else {
          expect(Buffer.from(await collect(net.client.download('adv', key))).equals(Buffer.from(bytes))).toBe(true);
          outcomes.ok++;
        }
      }
    };
    await check(new Set());
    const honest = net.nodes.filter((n) => !net.cheaters.has(n.peerId));
    const gone = new Set<string>();
    for (const node of honest.slice(0, 3)) {
      await node.stop();
      gone.add(node.peerId);
      await check(gone);
    }
    // Both branches ran (else the test proves less than it says).
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.short).toBeGreaterThan(0);
  });
});
