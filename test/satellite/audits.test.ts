// Audits and reputation against a real satellite and real nodes (six in this process, one as a
// process of its own so it can be stopped with SIGSTOP): honest nodes pass and keep a score of 1;
// nodes whose pieces were corrupted, truncated or deleted on disk fail and are disqualified after
// the number of failures the beta reputation predicts; a node answering an I/O error fails, it is
// not contained; a vanished piece is skipped and leaves the score alone; a reported suspect piece
// is audited next; a stalling node is contained, asked again, then failed, and still gets a fresh
// audit every round; an offline node loses online score (and is suspended), not audit score;
// audit orders from anyone but the satellite are refused by the nodes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, truncateSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { PROTOCOL_AUDIT, PieceAction, auditPiece, signOrderLimit } from '../../src/protocol/index.js';
import { REPUTATION_DEFAULTS, derivePieceId, type AuditRecord, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { connectClient, satelliteAddress, startNodes, startSatellite } from './fixtures.js';
import { startClient } from '../node/fixtures/network.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ALPHA0 = 20;
const LAMBDA = 0.999;
const VET_AFTER = 3;
let satellite: Satellite;
const nodes: StorageNode[] = [];
const dirs: string[] = [];
let stalling: { child: ChildProcess; id: string };
let client: Stowage;
/** The satellite's segment keys of each uploaded object. */
const segmentsOf = new Map<string, string[]>();

async function segmentKeys(): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const { key } of satellite.metadata.remoteSegments()) keys.add(key);
  return keys;
}

beforeAll(async () => {
  satellite = await startSatellite({
    // Every node gets a piece of every segment.
    profile: { minimum: 2, repair: 3, success: 7, total: 7 },
    audit: { leaves: 8, timeoutMs: 1500, maxReverifies: 2, reservoirSize: 3, concurrency: 4 },
    reputation: { ...REPUTATION_DEFAULTS, alpha0: ALPHA0, auditsToVet: VET_AFTER }
  });
  const satAddr = satelliteAddress(satellite);
  const started = await startNodes(satellite, 6);
  nodes.push(...started.nodes);
  dirs.push(...started.configs.map((c) => c.dataDir));
  const child = spawn(
    process.execPath,
    [join(root, 'dist', 'cli', 'main.js'), 'node', 'run', '--data-dir', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--satellite', `${satellite.id}@${satAddr}`, '--capacity', '1GB', '--dashboard', ''],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  const id = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"nodeId":"([^"]+)"[^\n]*"msg":"storage node started"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`node process exited with ${code}: ${out}`)));
  });
  stalling = { child, id };
  for (let i = 0; i < 200 && !(await satellite.registry.get(id))?.reachable; i++) await new Promise((r) => setTimeout(r, 25));
  client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  await client.createBucket('audited');
  // Whole segments only: pieces of 128 KiB are files (the store keeps pieces under 64 KiB in LevelDB).
  for (const name of ['o0', 'o1', 'o2', 'o3', 'vanishing']) {
    const before = await segmentKeys();
    await client.upload('audited', name, new Uint8Array(randomBytes(512 * 1024)));
    segmentsOf.set(name, [...(await segmentKeys())].filter((k) => !before.has(k)));
  }
}, 60_000);

afterAll(async () => {
  stalling?.child.kill('SIGCONT');
  stalling?.child.kill('SIGKILL');
  await client?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  await satellite?.stop();
  removeTempDirs();
});

const ids = (): string[] => nodes.map((n) => n.peerId);
const byNode = (records: AuditRecord[]): Map<string, AuditRecord> => new Map(records.map((r) => [r.nodeId, r]));
const of = (records: AuditRecord[], nodeId: string): AuditRecord[] => records.filter((r) => r.nodeId === nodeId);
const challengeOf = (r: AuditRecord): string => `${r.segmentKey}/${r.pieceNumber}/${r.nonce}`;

/** The number of `nodeId`'s piece in a segment. */
async function pieceNumberOf(segmentKey: string, nodeId: string): Promise<number> {
  const segment = (await satellite.metadata.segmentByKey(segmentKey))!;
  return segment.pieces.find((p) => p.nodeId === nodeId)!.number;
}

/** Failures until alpha/(alpha+beta) <= 0.96 after `successes` passed audits, by hand. */
function failuresToDisqualify(successes: number): number {
  let a = ALPHA0;
  let b = 0;
  for (let i = 0; i < successes; i++) a = LAMBDA * a + 1;
  let n = 0;
  while (a / (a + b) > 0.96) {
    a = LAMBDA * a;
    b = LAMBDA * b + 1;
    n++;
  }
  return n;
}

function piecesOf(dir: string): string[] {
  const blobs = join(dir, 'pieces', 'blobs');
  return readdirSync(blobs, { recursive: true })
    .map(String)
    .map((f) => join(blobs, f))
    .filter((f) => statSync(f).isFile());
}

describe('audits', () => {
  it('honest nodes pass every audit, keep a score of 1 and are vetted', async () => {
    for (let round = 0; round < VET_AFTER; round++) {
      const records = await satellite.runAudits();
      expect(records).toHaveLength(7);
      expect(records.every((r) => r.outcome === 'success')).toBe(true);
    }
    const rep = await satellite.reputation.all(Date.now());
    expect(rep).toHaveLength(7);
    for (const r of rep) {
      expect(r.auditScore).toBe(1);
      expect(r.vetted).toBe(true);
      expect(r.disqualified).toBeNull();
    }
    // The admin API says the same.
    const api = (await (await fetch(`${satellite.adminUrl}/api/reputation`)).json()) as { nodeId: string; auditScore: number }[];
    expect(api.map((r) => r.auditScore)).toEqual(rep.map((r) => r.auditScore));
    const audits = (await (await fetch(`${satellite.adminUrl}/api/audits?node=${ids()[0]}`)).json()) as AuditRecord[];
    expect(audits).toHaveLength(VET_AFTER);
    expect(audits.every((a) => a.nodeId === ids()[0] && a.outcome === 'success')).toBe(true);
    // The node's dashboard shows its reputation as the satellite has it.
    const shown = (await (await fetch(`${nodes[0]!.dashboardUrl}/api/satellites`)).json()) as Record<string, unknown>[];
    expect(shown).toMatchObject([
      { id: satellite.id, auditScore: 1, vetted: true, disqualified: null, suspended: null, audits: { passed: VET_AFTER, failed: 0 }, heldBytes: nodes[0]!.store.usedSpace(satellite.id), statsError: null }
    ]);
  });

  it('refuses audit orders signed by anyone but the satellite', async () => {
    const peer = await startClient();
    try {
      const forger = await generateKeyPair('Ed25519');
      const node = nodes[0]!;
      for (const satelliteId of [satellite.id, peerIdFromPrivateKey(forger).toString()]) {
        const order = await signOrderLimit(forger, {
          serialNumber: new Uint8Array(randomBytes(16)),
          satelliteId,
          nodeId: node.peerId,
          pieceId: derivePieceId(new Uint8Array(32), node.peerId, 0),
          action: PieceAction.AUDIT,
          byteLimit: 0n,
          pieceExpiration: 0n,
          orderExpiration: BigInt(Date.now() + 60_000),
          orderCreation: BigInt(Date.now()),
          uplinkPublicKey: new Uint8Array(0)
        });
        const stream = await peer.dialProtocol(node.libp2p.getMultiaddrs()[0]!, PROTOCOL_AUDIT);
        await expect(auditPiece(stream, order, [0])).rejects.toMatchObject({ code: expect.stringMatching(/^ORDER_(BAD_SIGNATURE|UNTRUSTED_SATELLITE)$/) as string });
      }
    } finally {
      await peer.stop();
    }
  });

  it('fails nodes whose pieces were corrupted, truncated or deleted, and disqualifies them as predicted', async () => {
    const [, corrupt, truncated, deleted] = dirs;
    for (const f of piecesOf(corrupt!)) {
      const fd = openSync(f, 'r+');
      writeSync(fd, Buffer.from(randomBytes(64)), 0, 64, 5000);
      closeSync(fd);
    }
    for (const f of piecesOf(truncated!)) truncateSync(f, statSync(f).size - 1000);
    for (const f of piecesOf(deleted!)) rmSync(f);
    const bad = new Set([ids()[1]!, ids()[2]!, ids()[3]!]);
    const failures = new Map<string, number>();
    let rounds = 0;
    while ([...bad].some((id) => failures.get(id) === undefined || !satelliteFlags(id))) {
      const all = await satellite.runAudits();
      const records = byNode(all);
      // Every record counts: a node contained by a slow machine gets a re-ask and a fresh audit.
      for (const r of all.filter((x) => bad.has(x.nodeId))) {
        expect(['failure', 'contained']).toContain(r.outcome);
        if (r.outcome === 'failure') failures.set(r.nodeId, (failures.get(r.nodeId) ?? 0) + 1);
      }
      for (const id of [ids()[0]!, ids()[5]!]) expect(records.get(id)?.outcome).toBe('success');
      await refreshFlags();
      if (++rounds > 200) throw new Error('not disqualified after 200 rounds');
    }
    const expected = failuresToDisqualify(VET_AFTER);
    expect(failures.get(ids()[1]!)).toBe(expected);
    for (const id of bad) expect(failures.get(id)).toBe(expected);
    // Disqualified nodes are no longer audited; honest ones still score 1.
    const after = byNode(await satellite.runAudits());
    for (const id of bad) expect(after.has(id)).toBe(false);
    for (const r of await satellite.reputation.all(Date.now())) if (!bad.has(r.nodeId) && r.nodeId !== stalling.id) expect(r.auditScore).toBe(1);
  }, 120_000);

  it('skips a vanished piece: recorded, listed, and the audit score untouched', async () => {
    const node = ids()[0]!;
    const segmentKey = segmentsOf.get('vanishing')![0]!;
    const pieceNumber = await pieceNumberOf(segmentKey, node);
    await satellite.audits.reportSuspect(node, segmentKey, pieceNumber, 'a client could not decode it');
    await client.delete('audited', 'vanishing');
    expect(await satellite.metadata.segmentByKey(segmentKey)).toBeUndefined();
    const before = await satellite.reputation.get(node);
    const scoreBefore = (await satellite.reputation.describe(node, Date.now()))!.auditScore;
    const records = of(await satellite.runAudits(), node);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'skipped', segmentKey, pieceNumber, reverify: 0, suspect: 'a client could not decode it', reason: 'the segment was deleted' });
    // Exactly the same numbers: no success, no failure, no decay of alpha and beta.
    expect(await satellite.reputation.get(node)).toEqual(before);
    expect((await satellite.reputation.describe(node, Date.now()))!.auditScore).toBe(scoreBefore);
    // The admin API lists it.
    const listed = (await (await fetch(`${satellite.adminUrl}/api/audits?node=${node}`)).json()) as AuditRecord[];
    expect(listed.at(-1)).toMatchObject({ outcome: 'skipped', segmentKey, pieceNumber });
    // Not contained: the next round is one fresh audit, which passes.
    const next = of(await satellite.runAudits(), node);
    expect(next.map((r) => [r.outcome, r.reverify])).toEqual([['success', 0]]);
  }, 60_000);

  it('audits a reported suspect piece in the next round, once, the newest report winning', async () => {
    const node = ids()[5]!;
    const [first, second] = segmentsOf.get('o1')!;
    await satellite.audits.reportSuspect(node, first!, await pieceNumberOf(first!, node), 'older report');
    await satellite.audits.reportSuspect(node, second!, await pieceNumberOf(second!, node), 'newer report');
    const records = of(await satellite.runAudits(), node);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'success', segmentKey: second, pieceNumber: await pieceNumberOf(second!, node), reverify: 0, suspect: 'newer report' });
    // Taken off the queue: the next round picks at random again.
    const next = of(await satellite.runAudits(), node);
    expect(next).toHaveLength(1);
    expect(next[0]!.suspect).toBeUndefined();
    // A piece the node does not hold is refused.
    await expect(satellite.audits.reportSuspect(node, 'no-such-segment', 0, 'x')).rejects.toMatchObject({ code: 'AUDIT_SUSPECT_INVALID' });
  }, 60_000);

  it('fails a node that answers an I/O error instead of containing it', async () => {
    const node = ids()[5]!;
    // Each blob file becomes a directory of the same name: reading it fails (EISDIR), as root too.
    for (const f of piecesOf(dirs[5]!)) {
      rmSync(f);
      mkdirSync(f);
    }
    const before = await satellite.reputation.get(node);
    const first = of(await satellite.runAudits(), node);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ outcome: 'failure', reverify: 0 });
    expect(first[0]!.reason).toMatch(/^PIECE_IO_ERROR:/);
    const after = await satellite.reputation.get(node);
    expect(after.failures).toBe(before.failures + 1);
    expect(after.contained).toBe(before.contained);
    // No re-ask of that challenge in the next round: at most one fresh audit (none once disqualified).
    const next = of(await satellite.runAudits(), node);
    expect(next.every((r) => r.reverify === 0 && r.outcome === 'failure')).toBe(true);
    expect((await satellite.reputation.get(node)).contained).toBe(before.contained);
  }, 60_000);

  it('contains a node that stalls, asks it again, then fails it, and still audits it afresh every round', async () => {
    const id = stalling.id;
    const before = await satellite.reputation.get(id);
    const [segX] = segmentsOf.get('o2')!;
    const [segY] = segmentsOf.get('o3')!;
    // The satellite has a connection to it from earlier rounds; stopped, it cannot answer.
    stalling.child.kill('SIGSTOP');
    try {
      // Round A: the fresh audit (of a suspect piece, so it is known) is contained.
      await satellite.audits.reportSuspect(id, segX!, await pieceNumberOf(segX!, id), 'x');
      const a = of(await satellite.runAudits(), id);
      expect(a.map((r) => [r.outcome, r.reverify, r.segmentKey])).toEqual([['contained', 0, segX]]);
      // Round B: the re-ask of A's challenge AND a fresh audit, both contained.
      await satellite.audits.reportSuspect(id, segY!, await pieceNumberOf(segY!, id), 'y');
      const b = of(await satellite.runAudits(), id);
      expect(b).toHaveLength(2);
      const reaskB = b.find((r) => r.reverify === 1)!;
      const freshB = b.find((r) => r.reverify === 0)!;
      expect(reaskB).toMatchObject({ outcome: 'contained', segmentKey: segX });
      expect(challengeOf(reaskB)).toBe(challengeOf(a[0]!));
      expect(freshB).toMatchObject({ outcome: 'contained', segmentKey: segY });
      // Repair moves the node's piece of segment Y to another node: that challenge vanishes.
      const segment = (await satellite.metadata.segmentByKey(segY!))!;
      const moved = segment.pieces.find((p) => p.nodeId === id)!;
      await satellite.metadata.replacePieces(segY!, segment, [{ ...moved, nodeId: ids()[1]! }]);
      // Round C: A's challenge fails on its last re-ask (the same challenge each time), B's is
      // skipped, and a fresh audit is contained.
      const c = of(await satellite.runAudits(), id);
      expect(c).toHaveLength(3);
      const lastA = c.find((r) => r.segmentKey === segX && r.reverify === 2)!;
      expect(lastA.outcome).toBe('failure');
      expect(challengeOf(lastA)).toBe(challengeOf(a[0]!));
      expect(c.find((r) => r.reverify === 1)).toMatchObject({ outcome: 'skipped', segmentKey: segY, nonce: freshB.nonce });
      expect(c.find((r) => r.reverify === 0)).toMatchObject({ outcome: 'contained' });
      const rep = await satellite.reputation.get(id);
      expect(rep.failures).toBe(before.failures + 1);
      expect(rep.contained).toBe(before.contained + 4);
      expect(rep.successes).toBe(before.successes);
    } finally {
      stalling.child.kill('SIGCONT');
    }
    // Answering again: the pending challenge passes on its re-ask, beside a fresh audit; then
    // nothing is pending.
    const d = of(await satellite.runAudits(), id);
    expect(d.map((r) => [r.outcome, r.reverify]).sort()).toEqual([
      ['success', 0],
      ['success', 1]
    ]);
    const e = of(await satellite.runAudits(), id);
    expect(e.map((r) => [r.outcome, r.reverify])).toEqual([['success', 0]]);
  }, 60_000);

  it('counts an offline node against its online score, not its audit score, and suspends it', async () => {
    const node = nodes[4]!;
    const before = (await satellite.reputation.describe(node.peerId, Date.now()))!;
    await node.stop();
    for (let i = 0; i < 3; i++) expect(byNode(await satellite.runAudits()).get(node.peerId)?.outcome).toBe('offline');
    const after = (await satellite.reputation.describe(node.peerId, Date.now()))!;
    expect(after.auditScore).toBe(before.auditScore);
    expect(after.audits.offline).toBe(3);
    expect(after.onlineScore).toBeLessThan(0.6);
    expect(after.suspended).not.toBeNull();
    expect(after.disqualified).toBeNull();
  }, 60_000);
});

const flags = new Map<string, boolean>();
function satelliteFlags(id: string): boolean {
  return flags.get(id) ?? false;
}
async function refreshFlags(): Promise<void> {
  for await (const n of satellite.registry.list()) flags.set(n.id, n.flags.disqualified !== null);
}
