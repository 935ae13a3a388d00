// `stowage satellite migrate --from-leveldb DIR --database URL` (issue 24): a LevelDB satellite with
// objects (inline, remote, a multipart upload completed and one in progress), an audit round, two
// closed payout periods, API keys, and (written into its stopped LevelDB) a repair queue entry, a
// lost segment, a contained challenge, settled orders and a publication, is copied by the real CLI.
// Every store reads the same through the SatelliteDB interface on both backends (segment keys
// translated); the satellite started again on PostgreSQL with the same identity serves every
// object byte-identical, finishes the multipart upload, verifies and extends the ledger, and
// re-asks the contained challenge by its translated key. A database with data and a LevelDB in use
// are refused with a message and exit code 1.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stowage, createAccess, type PartStat } from '../../src/client/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { openLevelSatelliteDB, openPostgresSatelliteDB, type MigrationSummary, type Satellite, type SatelliteConfig, type SatelliteDB, type SatelliteDBOptions } from '../../src/satellite/index.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';
import { collect } from '../node/fixtures/pieces.js';
import { adminJson } from '../satellite/admin-fetch.js';
import { satelliteAddress, startNodes, startSatellite } from '../satellite/fixtures.js';
import { freshDatabase } from './databases.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');

const SEGMENT = 64 * 1024;
const CONFIG: Partial<SatelliteConfig> = {
  profile: { minimum: 2, repair: 2, success: 3, total: 3 },
  payout: { egressRate: '0', repairEgressRate: '0', minimumPayout: '0', periodMs: 0, storageRate: '1000000000', auditRate: '0.5', heldBack: true }
};
const STORE_OPTIONS: SatelliteDBOptions = { now: Date.now, pendingTtlMs: 24 * 3600_000, uptime: { windowMs: 12 * 3600_000, periodMs: 30 * 24 * 3600_000 } };

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** LevelDB's segment key (stream \x00 padded index) as PostgreSQL writes it (stream/index): the test's own translation. */
function pgKey(k: string): string {
  const cut = k.lastIndexOf('\x00');
  return cut < 0 ? k : `${k.slice(0, cut)}/${Number(k.slice(cut + 1))}`;
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** JSON with every object's keys sorted: PostgreSQL's JSONB gives them in its own order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
const byJson = <T>(xs: T[]): T[] => xs.sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));

/** Everything the stores give through the SatelliteDB interface, segment keys as PostgreSQL's, in one order. */
async function snapshot(db: SatelliteDB, project: string, serial: string): Promise<Record<string, unknown>> {
  const nodes = await all(db.nodes.list());
  return {
    buckets: await db.metadata.allBuckets(),
    objects: (await db.metadata.listObjects(project, 'kept', { limit: 1000 })).objects,
    uploads: (await db.metadata.listUploads(project, 'kept', {})).uploads,
    usage: await db.metadata.usage(project),
    segments: byJson((await all(db.metadata.remoteSegments())).map(({ key, segment }) => ({ key: pgKey(key), segment }))),
    pendingPieces: byJson(await all(db.metadata.pendingPieces())),
    nodes: byJson(nodes),
    online: await Promise.all(nodes.map((n) => db.nodes.onlineScore(n.id, Date.now()))),
    apiKeys: byJson(await all(db.apiKeys.list())),
    audits: byJson((await db.audits.newestRecords(10_000)).map((r) => ({ ...r, segmentKey: pgKey(r.segmentKey) }))),
    containments: (await all(db.audits.containments())).map(([k, c]) => {
      const challenge = { ...c.challenge, segmentKey: pgKey(c.challenge.segmentKey) };
      expect(k).toBe(`${c.challenge.nodeId}!${c.challenge.segmentKey}!${c.challenge.pieceNumber}`);
      return [`${challenge.nodeId}!${challenge.segmentKey}!${challenge.pieceNumber}`, { ...c, challenge }];
    }),
    suspects: (await all(db.audits.suspects())).map(([n, s]) => [n, { ...s, challenge: { ...s.challenge, segmentKey: pgKey(s.challenge.segmentKey) } }]),
    reputation: await all(db.reputation.entries()),
    queue: (await db.repairQueue.list(1000)).map((q) => ({ ...q, segmentKey: pgKey(q.segmentKey) })),
    lost: (await db.repairQueue.lost()).map(pgKey).sort(),
    ledger: await db.ledger.list(),
    periods: await db.ledger.listPeriods(),
    balances: await db.ledger.balances(),
    verify: await db.ledger.verify(),
    epoch: await db.payoutState.epoch(),
    publication: await db.publications.lastPublication(),
    // A window around the test: LevelDB keeps settled orders in the sublevel its project egress
    // uses ('egress'), keyed by 16-digit times; a wide range would take in project keys too.
    egress: await db.settlements.egress(started - 60_000, Date.now() + 3600_000),
    settled: await db.settlements.isSettled(serial)
  };
}

const objects = new Map<string, Uint8Array>([
  ['inline', new Uint8Array(randomBytes(300))],
  ['remote-1', new Uint8Array(randomBytes(2 * SEGMENT + 12_345))],
  ['remote-2', new Uint8Array(randomBytes(SEGMENT))],
  ['dir/nested', new Uint8Array(randomBytes(20_000))]
]);

let nodes: StorageNode[] = [];
let satellite: Satellite | undefined;
let client: Stowage | undefined;
let dataDir = '';
let address = '';
let satelliteId = '';
let apiKey = '';
/** The client's access (the API key and its encryption secret): the same before and after. */
let access = '';
let project = '';
let openUpload: { id: string; first: Uint8Array; part?: PartStat } = { id: '', first: new Uint8Array() };
const serial = 'ab'.repeat(16);
const started = Date.now();
let source: Record<string, unknown> = {};
let url = '';
let migrated: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  // ---- a satellite on LevelDB, with history
  const a = await startSatellite(CONFIG);
  satellite = a;
  dataDir = a.config.dataDir;
  address = satelliteAddress(a);
  satelliteId = a.id;
  await a.payouts.current(); // the epoch: the first period runs from here
  nodes = (await startNodes(a, 3, (i) => ({ wallet: `0xwallet${i}` }))).nodes;
  apiKey = (await a.apiKeys.create('migrated')).key;
  const ops = await a.apiKeys.create('operator');
  await a.apiKeys.setLimits(ops.id, { maxSegments: 1000 });
  access = createAccess(`${a.id}@${address}`, apiKey);
  client = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5000 });
  await client.createBucket('kept');
  await client.createBucket('empty');
  for (const [key, bytes] of objects) await client.upload('kept', key, bytes);
  // A multipart upload completed, and one left open (its second part comes on PostgreSQL).
  const done = await client.beginMultipart('kept', 'multi');
  const bodies = [new Uint8Array(randomBytes(SEGMENT + 7)), new Uint8Array(randomBytes(5))];
  const parts = [await client.uploadPart('kept', 'multi', done, 1, bodies[0]!), await client.uploadPart('kept', 'multi', done, 2, bodies[1]!)];
  await client.completeMultipart('kept', 'multi', done, parts);
  objects.set('multi', Buffer.concat(bodies));
  const first = new Uint8Array(randomBytes(30_000));
  const openId = await client.beginMultipart('kept', 'open');
  openUpload = { id: openId, first, part: await client.uploadPart('kept', 'open', openId, 1, first) };
  // A download (the project's egress), an audit round, a suspect report, two payout periods.
  expect(Buffer.from(await collect(client.download('kept', 'remote-2'))).equals(objects.get('remote-2')!)).toBe(true);
  expect((await a.runAudits()).every((r) => r.outcome === 'success')).toBe(true);
  // Segments of a committed object (the open upload's move when it completes).
  const owner = (await a.metadata.allBuckets())[0]!.project;
  const [s1, s2] = [(await a.metadata.objectSegment(owner, 'kept', 'remote-1', 0))!, (await a.metadata.objectSegment(owner, 'kept', 'remote-1', 1))!];
  await a.audits.reportSuspect(s1.segment.pieces[0]!.nodeId, s1.key, s1.segment.pieces[0]!.number, 'migrated suspect');
  await new Promise((r) => setTimeout(r, 20));
  await a.payouts.close();
  await new Promise((r) => setTimeout(r, 20));
  await a.payouts.close();
  await client.close();
  client = undefined;
  await a.stop();
  satellite = undefined;

  // ---- what no round made: written into the stopped satellite's LevelDB through its stores
  const level = await openLevelSatelliteDB(join(dataDir, 'db'), STORE_OPTIONS);
  const piece = s2.segment.pieces[1]!;
  const challenge = { nodeId: piece.nodeId, segmentKey: s2.key, pieceNumber: piece.number, nonce: randomBytes(32).toString('hex') };
  await level.audits.putContainment(`${challenge.nodeId}!${challenge.segmentKey}!${challenge.pieceNumber}`, { challenge, tries: 1, since: Date.now() });
  await level.repairQueue.recordCheck(s1.key, { healthy: 2, needsRepair: true, lost: false, checkedAt: Date.now(), minimum: 2 });
  await level.repairQueue.recordCheck(s2.key, { healthy: 1, needsRepair: true, lost: true, checkedAt: Date.now(), minimum: 2 });
  expect(await level.settlements.settle({ serial, nodeId: piece.nodeId, action: 'GET', amount: 4096, created: Date.now() }, Date.now() + 3600_000)).toBe(true);
  await level.publications.putPublication({ period: 1, root: '0x01', total: '7', wallets: { '0xwallet0': '7' }, unassigned: {}, nodeWallets: {} } as never);
  project = (await level.metadata.allBuckets())[0]!.project;
  // As a database from before usage was kept: the project's usage is counted when first asked for.
  await level.level.sublevel('usage').del(project);
  // A store this migration does not know (a later version's): reported, not copied.
  await level.level.sublevel('future-store').put('k', 'v');
  source = await snapshot(level, project, serial);
  await level.close();

  // ---- the copy, by the real CLI
  url = await freshDatabase('migrate');
  migrated = await runCli(['satellite', 'migrate', '--from-leveldb', dataDir, '--database', url]);
}, 180_000);

afterAll(async () => {
  await client?.close();
  await satellite?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  removeTempDirs();
});

describe('satellite migrate --from-leveldb', () => {
  it('the CLI copies every store, prints progress on stderr and its summary as JSON', () => {
    expect(existsSync(cli)).toBe(true);
    expect(migrated.stderr).not.toMatch(/\n\s+at /);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toMatch(/^migrate: segments \d+$/m);
    const summary = JSON.parse(migrated.stdout) as MigrationSummary;
    expect(summary.source).toBe(join(dataDir, 'db'));
    const s = source as { ledger: unknown[]; periods: unknown[]; audits: unknown[]; nodes: unknown[]; verify: unknown };
    expect(summary.counts).toMatchObject({
      buckets: 2,
      objects: objects.size,
      pending_objects: 1, // the open upload (its part is committed)
      parts: 1,
      nodes: 3,
      api_keys: 2,
      audit_records: s.audits.length,
      audit_containment: 1,
      audit_suspects: 1,
      reputation: 3,
      repair_queue: 2,
      repair_lost: 1,
      ledger_entries: s.ledger.length,
      ledger_periods: 2,
      payout_epoch: 1,
      payout_publications: 1,
      settled_serials: 1,
      settled_orders: 1,
      project_egress: 1,
      project_usage: 1
    });
    expect(summary.counts.segments).toBeGreaterThan(objects.size);
    expect(summary.counts.uptime_windows).toBeGreaterThan(0);
    expect(summary.usageCounted).toBe(1);
    expect(summary.skipped).toEqual({ 'future-store': 1 });
    expect(migrated.stderr).toMatch(/^migrate: skipped \(unknown sublevel 'future-store'\) 1$/m);
    expect(summary.ledger).toEqual({ source: s.verify, target: s.verify });
    expect(s.verify).toEqual({ ok: true, entries: s.ledger.length });
    expect(s.ledger.length).toBeGreaterThan(3);
    expect(summary.rows).toBe(Object.values(summary.counts).reduce((n, c) => n + c, 0));
  });

  it('reads the same through every store on PostgreSQL as on LevelDB, segment keys translated', async () => {
    const pg = await openPostgresSatelliteDB(url, STORE_OPTIONS);
    try {
      const copy = await snapshot(pg, project, serial);
      expect(copy).toEqual(source);
      // Every kept segment key names its segment in the copy.
      const s = copy as { audits: { segmentKey: string }[]; containments: [string, { challenge: { segmentKey: string } }][]; queue: { segmentKey: string }[]; lost: string[] };
      const keys = [...s.audits.map((r) => r.segmentKey), ...s.containments.map(([, c]) => c.challenge.segmentKey), ...s.queue.map((q) => q.segmentKey), ...s.lost];
      expect(keys.length).toBeGreaterThan(5);
      for (const k of keys) expect((await pg.metadata.segmentByKey(k))?.pieces.length, k).toBeGreaterThan(0);
      await expect(pg.apiKeys.verify(apiKey)).resolves.toMatchObject({ name: 'migrated', revokedAt: null });
    } finally {
      await pg.close();
    }
  });

  it('serves the copy on PostgreSQL with the same identity: downloads, the open upload, audits, the ledger', async () => {
    const b = await startSatellite({ ...CONFIG, dataDir, database: url, listen: [address] });
    satellite = b;
    expect(b.id).toBe(satelliteId);
    client = await Stowage.connect(access, { segmentSize: SEGMENT, pieceTimeoutMs: 5000 });
    for (const [key, bytes] of objects) expect([key, Buffer.from(await collect(client.download('kept', key))).equals(bytes)]).toEqual([key, true]);
    // From a byte inside the second segment: the segments' offsets were copied.
    const from = SEGMENT + 1000;
    expect(Buffer.from(await collect(client.download('kept', 'remote-1', { offset: from, length: 5000 }))).equals(objects.get('remote-1')!.subarray(from, from + 5000))).toBe(true);
    // The upload begun on LevelDB ends on PostgreSQL.
    expect((await client.listUploads('kept')).uploads.map((u) => u.uploadId)).toEqual([openUpload.id]);
    const second = new Uint8Array(randomBytes(1000));
    const p2 = await client.uploadPart('kept', 'open', openUpload.id, 2, second);
    expect((await client.listParts('kept', 'open', openUpload.id)).parts.map((p) => p.number)).toEqual([1, 2]);
    await client.completeMultipart('kept', 'open', openUpload.id, [openUpload.part!, p2]);
    expect(Buffer.from(await collect(client.download('kept', 'open'))).equals(Buffer.concat([openUpload.first, second]))).toBe(true);

    // An audit round: the suspect and the contained challenge, found by their translated keys, pass.
    const records = await b.runAudits();
    expect(records.length).toBeGreaterThan(3);
    expect(records.filter((r) => r.outcome !== 'success')).toEqual([]);
    expect(records.some((r) => r.suspect === 'migrated suspect')).toBe(true);
    expect(records.some((r) => r.reverify > 0)).toBe(true);
    const reputation = await adminJson<{ nodeId: string; auditScore: number }[]>(b, '/api/reputation');
    expect(reputation.map((r) => r.auditScore)).toEqual([1, 1, 1]);

    // The ledger verifies, through the admin API too, and a third period continues its chain.
    const before = (source as { ledger: unknown[] }).ledger.length;
    expect(await b.payouts.ledger.verify()).toEqual({ ok: true, entries: before });
    expect(await adminJson(b, '/api/ledger/verify')).toEqual({ ok: true, entries: before });
    const third = await b.payouts.close();
    expect(third).toMatchObject({ created: true, record: { period: 3 } });
    expect(await b.payouts.ledger.verify()).toEqual({ ok: true, entries: before + third.record.entries });
  });

  it('refuses a database that holds data, and a LevelDB in use: a message, no stack, exit code 1', async () => {
    const again = await runCli(['satellite', 'migrate', '--from-leveldb', dataDir, '--database', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^stowage: the database at .* already holds satellite data \(table \w+ has rows\)/m);
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(again.stdout).toBe('');

    const held = new Level(join(dataDir, 'db'));
    await held.open();
    try {
      const locked = await runCli(['satellite', 'migrate', '--from-leveldb', dataDir, '--database', await freshDatabase('migrate')]);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(/^stowage: cannot open the LevelDB at .*stop the satellite first/m);
    } finally {
      await held.close();
    }
    const usage = await runCli(['satellite', 'migrate', '--from-leveldb', dataDir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/needs --from-leveldb DIR and --database URL/);
  });
});
