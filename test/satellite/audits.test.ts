// Audits and reputation against a real satellite and real nodes (six in this process, one as a
// process of its own so it can be stopped with SIGSTOP): honest nodes pass and keep a score of 1;
// nodes whose pieces were corrupted, truncated or deleted on disk fail and are disqualified after
// the number of failures the beta reputation predicts; a stalling node is contained, asked again,
// then failed; an offline node loses online score (and is suspended), not audit score; audit
// orders from anyone but the satellite are refused by the nodes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, truncateSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
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
  for (let i = 0; i < 4; i++) await client.upload('audited', `o${i}`, new Uint8Array(randomBytes(512 * 1024)));
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
          orderCreation: BigInt(Date.now())
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
      const records = byNode(await satellite.runAudits());
      for (const id of bad) {
        const r = records.get(id);
        if (r) {
          expect(['failure', 'contained']).toContain(r.outcome);
          if (r.outcome === 'failure') failures.set(id, (failures.get(id) ?? 0) + 1);
        }
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

  it('contains a node that stalls, asks it again, then fails it', async () => {
    // The satellite has a connection to it from earlier rounds; stopped, it cannot answer.
    stalling.child.kill('SIGSTOP');
    try {
      const outcomes: AuditRecord[] = [];
      for (let i = 0; i < 3; i++) outcomes.push(byNode(await satellite.runAudits()).get(stalling.id)!);
      expect(outcomes.map((o) => [o.outcome, o.reverify])).toEqual([
        ['contained', 0],
        ['contained', 1],
        ['failure', 2]
      ]);
      // The same challenge each time.
      expect(new Set(outcomes.map((o) => `${o.segmentKey}/${o.pieceNumber}/${o.nonce}`)).size).toBe(1);
      const rep = (await satellite.reputation.describe(stalling.id, Date.now()))!;
      expect(rep.audits.failures).toBe(1);
      expect(rep.audits.contained).toBe(2);
    } finally {
      stalling.child.kill('SIGCONT');
    }
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
