// npm run bench:metainfo: the satellite's metadata store under the metainfo endpoint's load, on
// LevelDB and on PostgreSQL with one and with two satellite processes (issue 24), same run:
// - segment operations per second: each worker repeats what an upload of a one-segment object asks
//   of the satellite (begin object; begin segment, with its 5 PUT order limits signed; commit
//   segment from 5 receipts; commit object), CONCURRENCY at a time, for SECONDS;
// - listing a bucket of LIST_OBJECTS objects (1,000,000 by default) by pages of 1000 on PostgreSQL,
//   and of the bucket the LevelDB run filled.
// A "process" is a Node process with its own pool running the store and the order signing, as a
// satellite process does; the PostgreSQL cluster is a throwaway one (test/postgres/cluster.ts)
// with its default durability (fsync on), on the same machine. Writes benchmarks/results/metainfo.json.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import pg from 'pg';
import { OrderIssuer, derivePieceId, openLevelSatelliteDB, openPostgresSatelliteDB, type SatelliteDB } from '../src/satellite/index.js';
import { startCluster } from '../test/postgres/cluster.js';
import { PieceAction } from '../src/protocol/index.js';
import { machine, table, writeResults } from './lib.js';

const SECONDS = Number(process.env.BENCH_METAINFO_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_METAINFO_CONCURRENCY ?? 16);
const LIST_OBJECTS = Number(process.env.BENCH_METAINFO_LIST_OBJECTS ?? 1_000_000);
const PROFILE = { minimum: 2, repair: 3, success: 4, total: 5 };
const OPTIONS = { now: Date.now, pendingTtlMs: 3_600_000, uptime: { windowMs: 3_600_000, periodMs: 30 * 86_400_000 } };
const self = fileURLToPath(import.meta.url);

interface WorkerResult {
  objects: number;
  ms: number;
}

/** One worker: CONCURRENCY loops of one-segment uploads against `db` for `seconds`; objects done. */
async function uploadLoop(db: SatelliteDB, tag: string, seconds: number): Promise<WorkerResult> {
  const key = await generateKeyPair('Ed25519');
  const issuer = new OrderIssuer({ key, satelliteId: peerIdFromPrivateKey(key).toString(), now: Date.now, orderTtlMs: 3_600_000 });
  const nodes = Array.from({ length: PROFILE.total }, (_, i) => ({ nodeId: `node-${i}`, number: i }));
  let objects = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  // Each loop is its own project (a satellite serves many): one project's segment begins and
  // commits count its usage in one row, which serializes them (see the README).
  const projects = Array.from({ length: CONCURRENCY }, (_, w) => `bench-${tag}-${w}`);
  for (const p of projects) await db.metadata.createBucket(p, 'bench');
  const loop = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < end; i++) {
      const o = await db.metadata.beginObject(projects[w]!, 'bench', `${i}`);
      const root = new Uint8Array(randomBytes(32));
      await issuer.issue(PieceAction.PUT, root, nodes, 1000);
      await db.metadata.beginSegment(o.streamId, 0, { rootPieceId: Buffer.from(root).toString('hex'), pieceSize: 1000, profile: PROFILE, nodes });
      const receipts = nodes.map((n) => ({ nodeId: n.nodeId, pieceId: derivePieceId(root, n.nodeId, n.number), size: 1000, root: new Uint8Array(32).fill(n.number + 1) }));
      await db.metadata.commitSegment(o.streamId, 0, 2000, receipts);
      await db.metadata.commitObject(o.streamId);
      objects++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(w)));
  return { objects, ms: performance.now() - start };
}

/** Pages through the whole bucket; pages per second and objects per second. */
async function listAll(db: SatelliteDB, project: string, bucket: string): Promise<{ objects: number; pages: number; ms: number }> {
  const start = performance.now();
  let cursor: string | undefined;
  let objects = 0;
  let pages = 0;
  for (;;) {
    const page = await db.metadata.listObjects(project, bucket, { cursor, limit: 1000 });
    objects += page.objects.length;
    pages++;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { objects, pages, ms: performance.now() - start };
}

if (process.argv[2] === 'worker') {
  // A child: one "satellite process" on PostgreSQL.
  const [, , , url, tag, seconds] = process.argv;
  const db = await openPostgresSatelliteDB(url!, OPTIONS, { maxConnections: CONCURRENCY });
  const result = await uploadLoop(db, tag!, Number(seconds));
  await db.close();
  process.send!(result);
  process.exit(0);
}

function worker(url: string, tag: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['worker', url, tag, String(SECONDS)], { execArgv: ['--import', 'tsx'] });
    child.once('message', (m) => resolve(m as WorkerResult));
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

const rows: Record<string, unknown>[] = [];
const rate = (r: WorkerResult[]): number => r.reduce((s, x) => s + x.objects, 0) / (Math.max(...r.map((x) => x.ms)) / 1000);

// LevelDB, in this process.
const levelDir = join(tmpdir(), `stowage-bench-meta-${process.pid}`);
const level = await openLevelSatelliteDB(levelDir, OPTIONS);
console.log(`LevelDB: ${SECONDS} s of uploads, ${CONCURRENCY} at a time...`);
const levelRun = await uploadLoop(level, 'l', SECONDS);
const levelList = await listAll(level, 'bench-l-0', 'bench');
await level.close();
rmSync(levelDir, { recursive: true, force: true });
rows.push({ store: 'LevelDB (embedded, one process)', processes: 1, objectsPerSec: Math.round(rate([levelRun])), segmentOpsPerSec: Math.round(rate([levelRun]) * 2), listed: levelList.objects, listObjectsPerSec: Math.round(levelList.objects / (levelList.ms / 1000)) });

const cluster = await startCluster({ maxConnections: 200 });
try {
  const results: Record<number, number> = {};
  for (const processes of [1, 2]) {
    const url = await createDatabase(cluster.url, `bench_${processes}`);
    // Migrated once before the workers start.
    await (await openPostgresSatelliteDB(url, OPTIONS)).close();
    console.log(`PostgreSQL, ${processes} process(es): ${SECONDS} s of uploads, ${CONCURRENCY} at a time each...`);
    const runs = await Promise.all(Array.from({ length: processes }, (_, p) => worker(url, `p${p}`)));
    results[processes] = rate(runs);
    rows.push({ store: `PostgreSQL, ${processes} satellite process${processes > 1 ? 'es' : ''}`, processes, objectsPerSec: Math.round(rate(runs)), segmentOpsPerSec: Math.round(rate(runs) * 2) });
  }
  const scaling = results[2]! / results[1]!;

  // A bucket of LIST_OBJECTS objects: committed objects written in bulk by SQL (a million through
  // the API would take most of an hour here), then listed through the store by pages of 1000.
  const url = await createDatabase(cluster.url, 'bench_list');
  const db = await openPostgresSatelliteDB(url, OPTIONS);
  await db.metadata.createBucket('bench', 'big');
  console.log(`PostgreSQL: filling a bucket of ${LIST_OBJECTS} objects...`);
  const fillMs = await bulkObjects(db, 'big', LIST_OBJECTS);
  console.log(`PostgreSQL: listing it by pages of 1000...`);
  const list = await listAll(db, 'bench', 'big');
  if (list.objects !== LIST_OBJECTS) throw new Error(`listed ${list.objects} of ${LIST_OBJECTS}`);
  await db.close();
  const listing = { objects: list.objects, pages: list.pages, seconds: +(list.ms / 1000).toFixed(1), pagesPerSec: Math.round(list.pages / (list.ms / 1000)), objectsPerSec: Math.round(list.objects / (list.ms / 1000)), fillSeconds: +(fillMs / 1000).toFixed(1) };
  console.log(table(['store', 'objects/s', 'segment ops/s'], rows.map((r) => [String(r.store), Number(r.objectsPerSec), Number(r.segmentOpsPerSec)])));
  console.log(`two processes / one: ${scaling.toFixed(2)}x (goal >= 1.6x)`);
  console.log(`listing ${list.objects} objects: ${listing.seconds} s, ${listing.pagesPerSec} pages/s`);
  const file = writeResults('metainfo', { machine: machine(), seconds: SECONDS, concurrencyPerProcess: CONCURRENCY, profile: PROFILE, rows, scaling: { twoOverOne: +scaling.toFixed(2), goal: 1.6, met: scaling >= 1.6 }, listing });
  console.log(`saved ${file}`);
} finally {
  cluster.stop();
}

/** LIST_OBJECTS committed objects in `bucket`, inserted by SQL from one committed through the store. */
async function bulkObjects(db: SatelliteDB, bucket: string, count: number): Promise<number> {
  const start = performance.now();
  const o = await db.metadata.beginObject('bench', bucket, 'template');
  await db.metadata.commitInlineSegment(o.streamId, 0, 10, new Uint8Array(26), 4096);
  await db.metadata.commitObject(o.streamId);
  // Copies of its row under keys k/0000000..., each with its own key and stream id in the record
  // (store/postgres/metadata.ts: objects(project, bucket, key BYTEA, stream_id, record JSON text)),
  // in batches of 100,000 rows; then the template itself goes.
  const pool = (db as unknown as { pool: pg.Pool }).pool;
  for (let from = 0; from < count; from += 100_000) {
    const to = Math.min(count, from + 100_000) - 1;
    await pool.query(
      `INSERT INTO objects (project, bucket, key, stream_id, record)
       SELECT o.project, o.bucket, convert_to(k, 'UTF8'), md5(k), replace(replace(o.record, '"key":"template"', '"key":"' || k || '"'), o.stream_id, md5(k))
       FROM objects o, (SELECT 'k/' || lpad(i::text, 7, '0') AS k FROM generate_series($3::int, $4::int) AS i) g
       WHERE o.project = $1 AND o.bucket = $2 AND o.key = convert_to('template', 'UTF8')`,
      ['bench', bucket, from, to]
    );
  }
  await pool.query(`DELETE FROM objects WHERE project = $1 AND bucket = $2 AND key = convert_to('template', 'UTF8')`, ['bench', bucket]);
  return performance.now() - start;
}
