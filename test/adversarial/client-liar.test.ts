// A storage node that lies only to clients (test/chaos/liar.ts, makeClientLiar): GET downloads get
// its pieces with one byte in every 64 KiB flipped; audits, REPAIR_GET downloads and uploads are
// the real node's. Against a real satellite, honest nodes and the client library on loopback
// (profile 2/3/4/6), this documents what such a node costs it: clients route around it and
// report it, but audits, which read through another protocol, find nothing, so its audit score
// does not drop and it is not disqualified; repair still takes true bytes from it. The last test
// runs the liar as the chaos run does, a program of its own, and counts its lies in its log.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { AuditRecord, Satellite } from '../../src/satellite/index.js';
import { makeClientLiar, type ClientLiar } from '../chaos/liar.js';
import { tempDir } from '../node/fixtures/dirs.js';
import { collect } from '../node/fixtures/pieces.js';
import { satelliteAddress, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const ONLINE_WITHIN_MS = 10_000;
const K = 2;
/** The satellite's clock runs this far ahead of ours: moved on to age nodes that were stopped. */
let ahead = 0;
let satellite: Satellite;
let nodes: StorageNode[] = [];
let liarNode: StorageNode;
let liar: ClientLiar;
let client: Stowage;
/** Asks k pieces at once (no margin), the k lowest-numbered first: a piece among them is always asked. */
let strict: Stowage;
let program: ChildProcess | undefined;
const objects = new Map<string, Uint8Array>();
/** Every audit record of the liar, over all rounds. */
const liarAudits: AuditRecord[] = [];

/** Polls `check` every 50 ms until it returns a value; fails naming `what` after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every object with both clients, byte for byte. */
async function downloadAll(): Promise<void> {
  for (const [key, bytes] of objects) {
    for (const c of [client, strict]) {
      const got = await collect(c.download('lies', key));
      expect(Buffer.from(got).equals(Buffer.from(bytes)), `${key} downloads byte-identical`).toBe(true);
    }
  }
}

/** Whether the node holds one of the k lowest-numbered pieces of a segment (the strict client asks it then). */
async function askedFirst(nodeId: string): Promise<boolean> {
  for await (const { segment } of satellite.metadata.remoteSegments()) {
    const first = [...segment.pieces].sort((a, b) => a.number - b.number).slice(0, K);
    if (first.some((p) => p.nodeId === nodeId)) return true;
  }
  return false;
}

/** Uploads objects of 3 segments (at least `min`) until the node holds a piece the strict client asks for. */
async function uploadUntilAsked(nodeId: string, prefix: string, min: number): Promise<void> {
  for (let i = 0; i < 10 && (i < min || !(await askedFirst(nodeId))); i++) {
    const bytes = new Uint8Array(randomBytes(400 * 1024 + i * 7000));
    await satellite.checkUptime();
    await client.upload('lies', `${prefix}-${i}`, bytes);
    objects.set(`${prefix}-${i}`, bytes);
  }
  expect(await askedFirst(nodeId), `${nodeId} holds one of the k lowest-numbered pieces of a segment`).toBe(true);
}

async function auditRound(): Promise<AuditRecord[]> {
  const records = await satellite.runAudits();
  liarAudits.push(...records.filter((r) => r.nodeId === liarNode.peerId));
  return records;
}

beforeAll(async () => {
  satellite = await startSatellite({ onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: K, repair: 3, success: 4, total: 6 } }, { now: () => Date.now() + ahead });
  ({ nodes } = await startNodes(satellite, 8));
  liarNode = nodes[7]!;
  liar = await makeClientLiar(liarNode);
  // Pieces of 64 KiB and more: several flipped bytes in each.
  // Two clients of one access (one project, one secret).
  const access = createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, (await satellite.apiKeys.create('test')).key);
  client = await Stowage.connect(access, { segmentSize: 160 * 1024, pieceTimeoutMs: 5000 });
  strict = await Stowage.connect(access, { segmentSize: 160 * 1024, pieceTimeoutMs: 5000, downloadMargin: 0 });
  await client.createBucket('lies');
  await uploadUntilAsked(liarNode.peerId, 'o', 4);
}, 60_000);

afterAll(async () => {
  if (program && program.exitCode === null && program.signalCode === null) program.kill('SIGKILL');
  await strict?.close();
  await stopAll({ client, nodes, satellite });
});

it('(a) clients get byte-identical objects from a node that lies to them, and it did lie', async () => {
  let held = 0;
  for await (const { segment } of satellite.metadata.remoteSegments()) held += segment.pieces.filter((p) => p.nodeId === liarNode.peerId).length;
  expect(held, 'the liar holds pieces').toBeGreaterThan(0);
  // The strict client asks the liar and needs its piece until it fails: it is sent spoiled bytes.
  await downloadAll();
  expect(liar.lies(), 'GET downloads the liar spoiled').toBeGreaterThan(0);
  expect(liar.honest()).toBe(0);
});

it('(b) the client reports the liar, and the reported piece is audited', async () => {
  // The report is sent in the background; the round after it arrives audits the piece.
  const reported = await until('an audit of a piece a client reported on the liar', 10_000, async () => (await auditRound()).find((r) => r.nodeId === liarNode.peerId && r.suspect !== undefined));
  expect(reported.suspect).toMatch(/do not match their roots/);
  // ...and the liar answers it with the true bytes.
  expect(reported.outcome).toBe('success');
});

it('(c) audits of the liar pass: its audit score does not drop and it is not disqualified', async () => {
  const before = await satellite.reputation.describe(liarNode.peerId, Date.now() + ahead);
  for (let i = 0; i < 3; i++) await auditRound();
  const after = (await satellite.reputation.describe(liarNode.peerId, Date.now() + ahead))!;
  expect(liarAudits.length).toBeGreaterThanOrEqual(4);
  expect(liarAudits.map((r) => r.outcome)).toEqual(liarAudits.map(() => 'success'));
  expect(after.audits.failures).toBe(0);
  expect(after.auditScore).toBeGreaterThanOrEqual(before!.auditScore);
  expect(after.disqualified).toBeNull();
  expect(await satellite.reputation.distrusted()).not.toContain(liarNode.peerId);
});

it('(d) repair takes true bytes from the liar (REPAIR_GET is honest)', async () => {
  // A segment of the liar's that can be brought down to k healthy pieces, the liar's and one other
  // (the keeper's), by stopping the other holders, without any segment falling under k.
  const segments: { key: string; pieces: { number: number; nodeId: string; root: string }[] }[] = [];
  for await (const { key, segment } of satellite.metadata.remoteSegments()) segments.push({ key, pieces: segment.pieces });
  let plan: { key: string; keeper: string; stopped: Set<string> } | undefined;
  for (const s of [...segments].sort((a, b) => a.pieces.length - b.pieces.length)) {
    if (plan || !s.pieces.some((p) => p.nodeId === liarNode.peerId)) continue;
    for (const keeper of s.pieces.map((p) => p.nodeId).filter((id) => id !== liarNode.peerId)) {
      const stopped = new Set(s.pieces.map((p) => p.nodeId).filter((id) => id !== liarNode.peerId && id !== keeper));
      if (segments.every((o) => o.pieces.filter((p) => !stopped.has(p.nodeId)).length >= K)) {
        plan = { key: s.key, keeper, stopped };
        break;
      }
    }
  }
  expect(plan, 'a segment of the liar that can be brought to k').toBeDefined();
  const { key, stopped } = plan!;
  const roots = new Map(segments.map((s) => [s.key, new Map(s.pieces.map((p) => [p.number, p.root]))]));
  await Promise.all(nodes.filter((n) => stopped.has(n.peerId)).map((n) => n.stop()));
  // Age the stopped nodes past onlineWithinMs on the satellite's clock; the others are reached again.
  ahead += ONLINE_WITHIN_MS + 1000;
  await satellite.checkUptime();
  const lies = liar.lies();
  const honest = liar.honest();
  await satellite.checkRepair();
  const results = await satellite.runRepair();
  const mine = results.find((r) => r.segmentKey === key);
  expect(mine, 'the segment was repaired').toMatchObject({ outcome: 'repaired', before: K });
  // With k healthy pieces, the liar's was one of the two downloaded, and it was sent true.
  expect(liar.honest()).toBeGreaterThan(honest);
  expect(liar.lies()).toBe(lies);
  for (const r of results) expect(['repaired', 'healthy']).toContain(r.outcome);
  // The repairer found no bad piece (it would have recorded a failed audit of the liar).
  expect((await satellite.reputation.describe(liarNode.peerId, Date.now() + ahead))!.audits.failures).toBe(0);
  for await (const { key: k, segment } of satellite.metadata.remoteSegments()) {
    for (const p of segment.pieces) {
      const root = roots.get(k)?.get(p.number);
      if (root !== undefined) expect(p.root).toBe(root);
    }
  }
  const repaired = await satellite.metadata.segmentByKey(key);
  expect(repaired!.pieces.filter((p) => !stopped.has(p.nodeId)).length).toBeGreaterThanOrEqual(4);
  await downloadAll();
});

it('the liar as a program: the chaos run\u2019s command line, its log lines, a clean stop', async () => {
  const dir = tempDir();
  const config = join(dir, 'node.json');
  writeFileSync(
    config,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      capacity: 1e9,
      satellites: [{ peerId: satellite.id, address: satelliteAddress(satellite) }],
      dashboard: '127.0.0.1:0',
      checkInIntervalMs: 0,
      historyIntervalMs: 0,
      logLevel: 'info'
    })
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/chaos/liar.ts', 'node', 'run', '--config', config], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STOWAGE_LOG_LEVEL: 'info' }
  });
  program = child;
  const lines: Record<string, unknown>[] = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const t of parts) if (t.startsWith('{')) lines.push(JSON.parse(t) as Record<string, unknown>);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logged = (msg: string, ms = 20_000): Promise<Record<string, unknown>> =>
    until(`the liar program logging '${msg}' (stderr: ${err.slice(0, 500)})`, ms, () => {
      if (child.exitCode !== null) throw new Error(`the liar program exited ${child.exitCode}: ${err.slice(0, 500)}`);
      return lines.find((l) => l.msg === msg);
    });
  const started = await logged('storage node started');
  expect(started.nodeId).toEqual(expect.any(String));
  expect(started.dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await logged('checked in');
  await logged('client liar armed');
  const id = started.nodeId as string;
  // New objects until the strict client asks it for a piece; then a download makes it lie.
  await uploadUntilAsked(id, 'p', 1);
  await downloadAll();
  const lie = await until('a lie in the liar program\u2019s log', 10_000, () => lines.find((l) => l.msg === 'lied to a client'));
  expect(lie).toMatchObject({ level: 30, component: 'node' });
  expect(lie.pieceId).toMatch(/^[0-9a-f]{64}$/);
  expect(lie.flipped as number).toBeGreaterThan(0);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(lines.some((l) => l.msg === 'storage node stopped')).toBe(true);
}, 60_000);
