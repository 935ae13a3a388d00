// A storage node that lies only to clients (test/chaos/liar.ts, makeClientLiar): GET downloads get
// its pieces with one byte in every 64 KiB flipped; audits, REPAIR_GET downloads and uploads are
// the real node's. Against a real satellite, honest nodes and the client library on loopback
// (profile 2/3/4/6), this documents what such a node costs it: clients route around it and
// report it, but audits, which read through another protocol, find nothing, so its audit score
// does not drop and it is not disqualified; repair still takes true bytes from it. The last test
// runs the liar as the chaos run does, a program of its own, and counts its lies in its log.
// Each test has a network of its own (issue 20): the first is one scenario in steps (a) to (d),
// each step needing the state the one before left (the reports that (b) audits, the audits that
// (c) counts; (d) stops nodes and moves the satellite's clock on).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import type { AuditRecord, Satellite } from '../../src/satellite/index.js';
import { makeClientLiar, type ClientLiar } from '../chaos/liar.js';
import { tempDir } from '../node/fixtures/dirs.js';
import { collect } from '../node/fixtures/pieces.js';
import { until } from '../node/fixtures/until.js';
import { satelliteAddress, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const ONLINE_WITHIN_MS = 10_000;
const K = 2;

/** A satellite, honest nodes and two clients of one access, for one test. */
interface Network {
  satellite: Satellite;
  nodes: StorageNode[];
  client: Stowage;
  /** Asks k pieces at once (no margin), the k lowest-numbered first: a piece among them is always asked. */
  strict: Stowage;
  /** The satellite's clock runs this far ahead of ours: moved on to age nodes that were stopped. */
  clock: { ahead: number };
  objects: Map<string, Uint8Array>;
}

/** Started by the running test; stopped after it whatever happened. */
let net: Partial<Network> | undefined;
let program: ChildProcess | undefined;

afterEach(async () => {
  if (program && program.exitCode === null && program.signalCode === null) {
    const exited = new Promise((r) => program!.once('exit', r));
    program.kill('SIGKILL');
    await exited;
  }
  program = undefined;
  const n = net;
  net = undefined;
  if (n) {
    await n.strict?.close();
    await stopAll({ client: n.client, nodes: n.nodes, satellite: n.satellite });
  }
});

async function network(nodeCount: number): Promise<Network> {
  const clock = { ahead: 0 };
  const satellite = await startSatellite({ onlineWithinMs: ONLINE_WITHIN_MS, profile: { minimum: K, repair: 3, success: 4, total: 6 } }, { now: () => Date.now() + clock.ahead });
  const started: Partial<Network> = { satellite, clock, objects: new Map() };
  net = started;
  ({ nodes: started.nodes } = await startNodes(satellite, nodeCount));
  // Pieces of 64 KiB and more: several flipped bytes in each.
  // Two clients of one access (one project, one secret).
  const access = createAccess(`${satellite.id}@${satelliteAddress(satellite)}`, (await satellite.apiKeys.create('test')).key);
  started.client = await Stowage.connect(access, { segmentSize: 160 * 1024, pieceTimeoutMs: 5000 });
  started.strict = await Stowage.connect(access, { segmentSize: 160 * 1024, pieceTimeoutMs: 5000, downloadMargin: 0 });
  await started.client.createBucket('lies');
  return started as Network;
}

/** Every object with both clients, byte for byte. */
async function downloadAll({ client, strict, objects }: Network): Promise<void> {
  for (const [key, bytes] of objects) {
    for (const c of [client, strict]) {
      const got = await collect(c.download('lies', key));
      expect(Buffer.from(got).equals(Buffer.from(bytes)), `${key} downloads byte-identical`).toBe(true);
    }
  }
}

/** Whether the node holds one of the k lowest-numbered pieces of a segment (the strict client asks it then). */
async function askedFirst({ satellite }: Network, nodeId: string): Promise<boolean> {
  for await (const { segment } of satellite.metadata.remoteSegments()) {
    const first = [...segment.pieces].sort((a, b) => a.number - b.number).slice(0, K);
    if (first.some((p) => p.nodeId === nodeId)) return true;
  }
  return false;
}

/** Uploads objects of 3 segments (at least `min`) until the node holds a piece the strict client asks for. */
async function uploadUntilAsked(n: Network, nodeId: string, prefix: string, min: number): Promise<void> {
  for (let i = 0; i < 10 && (i < min || !(await askedFirst(n, nodeId))); i++) {
    const bytes = new Uint8Array(randomBytes(400 * 1024 + i * 7000));
    await n.satellite.checkUptime();
    await n.client.upload('lies', `${prefix}-${i}`, bytes);
    n.objects.set(`${prefix}-${i}`, bytes);
  }
  expect(await askedFirst(n, nodeId), `${nodeId} holds one of the k lowest-numbered pieces of a segment`).toBe(true);
}

it('a node that lies to clients: (a) clients get byte-identical objects, and it did lie; (b) the client reports it, and the reported piece is audited; (c) audits of it pass: its audit score does not drop and it is not disqualified; (d) repair takes true bytes from it (REPAIR_GET is honest)', async () => {
  const n = await network(8);
  const { satellite, nodes, clock } = n;
  const liarNode = nodes[7]!;
  const liar: ClientLiar = await makeClientLiar(liarNode);
  await uploadUntilAsked(n, liarNode.peerId, 'o', 4);
  /** Every audit record of the liar, over all rounds. */
  const liarAudits: AuditRecord[] = [];
  const auditRound = async (): Promise<AuditRecord[]> => {
    const records = await satellite.runAudits();
    liarAudits.push(...records.filter((r) => r.nodeId === liarNode.peerId));
    return records;
  };

  // (a) clients get byte-identical objects from a node that lies to them, and it did lie.
  let held = 0;
  for await (const { segment } of satellite.metadata.remoteSegments()) held += segment.pieces.filter((p) => p.nodeId === liarNode.peerId).length;
  expect(held, 'the liar holds pieces').toBeGreaterThan(0);
  // The strict client asks the liar and needs its piece until it fails: it is sent spoiled bytes.
  await downloadAll(n);
  expect(liar.lies(), 'GET downloads the liar spoiled').toBeGreaterThan(0);
  expect(liar.honest()).toBe(0);

  // (b) the client reports the liar, and the reported piece is audited.
  // The report is sent in the background; the round after it arrives audits the piece.
  let reported: AuditRecord | undefined;
  await until(async () => (reported = (await auditRound()).find((r) => r.nodeId === liarNode.peerId && r.suspect !== undefined)) !== undefined, 'an audit of a piece a client reported on the liar');
  expect(reported!.suspect).toMatch(/do not match their roots/);
  // ...and the liar answers it with the true bytes.
  expect(reported!.outcome).toBe('success');

  // (c) audits of the liar pass: its audit score does not drop and it is not disqualified.
  const before = await satellite.reputation.describe(liarNode.peerId, Date.now() + clock.ahead);
  for (let i = 0; i < 3; i++) await auditRound();
  const after = (await satellite.reputation.describe(liarNode.peerId, Date.now() + clock.ahead))!;
  expect(liarAudits.length).toBeGreaterThanOrEqual(4);
  expect(liarAudits.map((r) => r.outcome)).toEqual(liarAudits.map(() => 'success'));
  expect(after.audits.failures).toBe(0);
  expect(after.auditScore).toBeGreaterThanOrEqual(before!.auditScore);
  expect(after.disqualified).toBeNull();
  expect(await satellite.reputation.distrusted()).not.toContain(liarNode.peerId);

  // (d) repair takes true bytes from the liar (REPAIR_GET is honest).
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
  await Promise.all(nodes.filter((node) => stopped.has(node.peerId)).map((node) => node.stop()));
  // Age the stopped nodes past onlineWithinMs on the satellite's clock; the others are reached again.
  clock.ahead += ONLINE_WITHIN_MS + 1000;
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
  expect((await satellite.reputation.describe(liarNode.peerId, Date.now() + clock.ahead))!.audits.failures).toBe(0);
  for await (const { key: k, segment } of satellite.metadata.remoteSegments()) {
    for (const p of segment.pieces) {
      const root = roots.get(k)?.get(p.number);
      if (root !== undefined) expect(p.root).toBe(root);
    }
  }
  const repaired = await satellite.metadata.segmentByKey(key);
  expect(repaired!.pieces.filter((p) => !stopped.has(p.nodeId)).length).toBeGreaterThanOrEqual(4);
  await downloadAll(n);
}, 180_000);

it('the liar as a program: the chaos run\u2019s command line, its log lines, a clean stop', async () => {
  // Honest nodes beside it, enough for a segment's 6 pieces without it.
  const n = await network(7);
  const { satellite } = n;
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
  const line = (msg: string): Record<string, unknown> | undefined => lines.find((l) => l.msg === msg);
  /** Waits for a line; `meanwhile` runs between looks. */
  const logged = async (msg: string, meanwhile?: () => Promise<void>): Promise<Record<string, unknown>> => {
    try {
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`the liar program exited ${child.exitCode}`);
        if (line(msg) !== undefined) return true;
        await meanwhile?.();
        return line(msg) !== undefined;
      }, `the liar program logging '${msg}'`);
    } catch (e) {
      const said = lines.slice(-20).map((l) => `${String(l.msg)}${l.err ? ` (${JSON.stringify(l.err).slice(0, 200)})` : ''}`);
      throw new Error(`${(e as Error).message}; its last log lines: ${said.join(' | ')}; stderr: ${err.slice(0, 500)}`);
    }
    return line(msg)!;
  };
  const started = await logged('storage node started');
  expect(started.nodeId).toEqual(expect.any(String));
  expect(started.dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await logged('checked in');
  await logged('client liar armed');
  const id = started.nodeId as string;
  // New objects until the strict client asks it for a piece; then a download makes it lie. The
  // program logs a lie when its download handler ends without an error; on a loaded machine one
  // round of downloads was seen to log none: they are done again (each byte-identical) until one is.
  await uploadUntilAsked(n, id, 'p', 1);
  await downloadAll(n);
  const lie = await logged('lied to a client', () => downloadAll(n));
  expect(lie).toMatchObject({ level: 30, component: 'node' });
  expect(lie.pieceId).toMatch(/^[0-9a-f]{64}$/);
  expect(lie.flipped as number).toBeGreaterThan(0);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(lines.some((l) => l.msg === 'storage node stopped')).toBe(true);
}, 120_000);
