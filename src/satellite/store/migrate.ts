// `stowage satellite migrate`: copies a stopped satellite's LevelDB into an empty PostgreSQL
// database. The one file that knows both formats: it reads each LevelDB sublevel raw (the names
// and value shapes of store/leveldb/) and writes the rows of store/postgres/'s tables with plain
// INSERTs, streaming (an iterator per sublevel, INSERTs of up to 1000 rows, one in flight).
//
// What changes on the way:
// - Segment keys: LevelDB's are `streamId \x00 zero-padded index`, PostgreSQL's `streamId/index`.
//   Every stored segment key is translated: audit records', containments' (and their keys),
//   suspects', the repair queue's and the lost set's.
// - Keys that held several fields are split into columns (objects: project, bucket, key; uptime:
//   node, window; audit records: node, time, tiebreak), pending uploads lose the project prefix
//   LevelDB put before their key, and committed segments get their offset in their object.
// - The LevelDB 'egress' sublevel holds two stores' records (project egress by month, keyed
//   project \x00 month with a number; settled orders, keyed time!serial with an object): they go
//   to project_egress and settled_orders by their shape.
// - Indexes LevelDB kept by hand (uploads, apikeys-by-id, repair-index) are not copied: the tables
//   answer those queries themselves. A project without a usage record (a database from before
//   usage was kept) gets its usage counted from its segments, as LevelDB would on first ask.
//
// The whole copy is one transaction: a copy that fails leaves the database empty, so the migration
// can simply run again. Before committing, the rows of every table are counted against what was
// read; after it, the PostgreSQL ledger verifies its hash chain (entries copied field for field).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import type pg from 'pg';
import { StowageError } from '../../common/index.js';
import { pieceKey, type AuditRecord, type Containment, type Suspect } from '../audit/index.js';
import { segmentBytes, type ObjectRecord, type PartRecord, type PendingSegment, type SegmentRecord } from '../metainfo/index.js';
import type { NodeRecord } from '../overlay/index.js';
import type { LedgerEntry, PeriodRecord, Publication } from '../payouts/index.js';
import type { QueuedSegment } from '../repair/index.js';
import type { AuditReputation } from '../reputation/index.js';
import type { ApiKeyRecord } from '../apikeys/index.js';
import type { SettledOrder } from '../orders/index.js';
import { Ledger } from './leveldb/index.js';
import { openPostgresSatelliteDB, redactUrl } from './postgres/index.js';

/** The migration failed; the code says where (source, target, copy, check). */
export class MigrationError extends StowageError {}

export interface MigrationSummary {
  /** The LevelDB read. */
  source: string;
  /** The database written (password hidden). */
  target: string;
  /** Rows per table: as many as were read, counted in the database before the copy committed. */
  counts: Record<string, number>;
  /** Projects whose usage LevelDB had not kept, counted from their segments. */
  usageCounted: number;
  /** LevelDB sublevels this migration does not know, with their rows (not copied). */
  skipped: Record<string, number>;
  /** The source ledger's check, and the copy's (PostgreSQL's verify()). */
  ledger: { source: LedgerCheck; target: LedgerCheck };
  rows: number;
  ms: number;
  rowsPerSecond: number;
}

export type LedgerCheck = { ok: boolean; entries: number; problem?: string };

const SEP = '\x00';
/** Rows per INSERT (fewer for wide tables: a statement takes at most 65535 parameters). */
const BATCH_ROWS = 1000;
/** A progress report every this many rows of a table. */
const PROGRESS_ROWS = 10_000;

/** The tables that hold a satellite's data (every table of the schema but the leases). */
const DATA_TABLES = [
  'buckets',
  'objects',
  'pending_objects',
  'segments',
  'pending_segments',
  'parts',
  'project_usage',
  'project_egress',
  'nodes',
  'uptime_windows',
  'api_keys',
  'audit_records',
  'audit_containment',
  'audit_suspects',
  'reputation',
  'repair_queue',
  'repair_lost',
  'ledger_entries',
  'ledger_periods',
  'ledger_heads',
  'payout_epoch',
  'payout_publications',
  'settled_serials',
  'settled_orders'
] as const;
type Table = (typeof DATA_TABLES)[number];

const COLUMNS: Record<Table, readonly string[]> = {
  buckets: ['project', 'name', 'created_at'],
  objects: ['project', 'bucket', 'key', 'stream_id', 'record'],
  pending_objects: ['stream_id', 'project', 'bucket', 'key', 'created_at', 'multipart', 'upload_id', 'record'],
  segments: ['stream_id', 'idx', 'plain_size', 'plain_offset', 'stored_bytes', 'remote', 'record'],
  pending_segments: ['stream_id', 'idx', 'stored_bytes', 'record'],
  parts: ['upload_id', 'number', 'stream_id', 'record'],
  project_usage: ['project', 'stored_bytes', 'segments'],
  project_egress: ['project', 'month', 'bytes'],
  nodes: ['id', 'record'],
  uptime_windows: ['node_id', 'window_start', 'checks', 'successes'],
  api_keys: ['digest', 'id', 'name', 'created_at', 'revoked_at', 'limits'],
  audit_records: ['node_id', 'audited_at', 'tiebreak', 'outcome', 'record'],
  audit_containment: ['key', 'node_id', 'containment'],
  audit_suspects: ['node_id', 'suspect'],
  reputation: ['node_id', 'alpha', 'beta', 'successes', 'failures', 'offline', 'contained'],
  repair_queue: ['segment_key', 'healthy', 'queued_at', 'minimum'],
  repair_lost: ['segment_key', 'lost_at'],
  ledger_entries: ['seq', 'period', 'node_id', 'kind', 'amount', 'detail', 'entered_at', 'prev', 'node_prev', 'hash'],
  ledger_periods: ['period', 'start_at', 'end_at', 'closed_at', 'entries', 'total'],
  ledger_heads: ['name', 'seq', 'hash'],
  payout_epoch: ['one', 'start_at'],
  payout_publications: ['period', 'publication'],
  settled_serials: ['serial', 'keep_until'],
  settled_orders: ['settled', 'serial', 'node_id', 'action', 'amount', 'created']
};

/** LevelDB sublevels kept as indexes of others: not copied (the tables answer their queries). */
const DERIVED_SUBLEVELS = new Set(['uploads', 'apikeys-by-id', 'repair-index']);

/** A LevelDB segment key (streamId \x00 padded index) as PostgreSQL's (streamId/index); other keys as they are. */
export function postgresSegmentKey(levelKey: string): string {
  const cut = levelKey.lastIndexOf(SEP);
  if (cut < 0) return levelKey;
  const index = Number(levelKey.slice(cut + 1));
  return Number.isSafeInteger(index) && index >= 0 ? `${levelKey.slice(0, cut)}/${index}` : levelKey;
}

/** A containment key `node!segment!piece` with its segment key translated; a node id alone (older entries) as it is. */
function postgresContainmentKey(key: string): string {
  const first = key.indexOf('!');
  const last = key.lastIndexOf('!');
  if (first < 0 || last === first) return key;
  return `${key.slice(0, first)}!${postgresSegmentKey(key.slice(first + 1, last))}${key.slice(last)}`;
}

/** Splits `s` at its first \x00: [before, after]; undefined when there is none. */
function splitSep(s: string): [string, string] | undefined {
  const i = s.indexOf(SEP);
  return i < 0 ? undefined : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * Batched INSERTs into one table inside the copy's transaction: rows gather to a batch, a full
 * batch is sent while the next one is read (one statement in flight at a time).
 */
class Inserter {
  written = 0;
  private rows: unknown[][] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly batch: number;
  private reported = 0;

  constructor(
    private readonly client: pg.PoolClient,
    readonly table: Table,
    private readonly progress: (table: string, count: number) => void
  ) {
    this.batch = Math.min(BATCH_ROWS, Math.floor(65535 / COLUMNS[table].length));
  }

  async add(row: unknown[]): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.batch) await this.send();
  }

  /** Sends the gathered rows once the batch before them is written. */
  private async send(): Promise<void> {
    await this.inFlight;
    this.check();
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    const width = COLUMNS[this.table].length;
    const tuples = rows.map((_, r) => `(${Array.from({ length: width }, (_, k) => `$${r * width + k + 1}`).join(', ')})`);
    const sql = `INSERT INTO ${this.table} (${COLUMNS[this.table].join(', ')}) VALUES ${tuples.join(', ')}`;
    // Kept, not thrown, until the next send or end(): a rejection nobody awaits yet would end the process.
    this.inFlight = this.client.query(sql, rows.flat()).then(
      () => {
        this.written += rows.length;
        if (this.written - this.reported >= PROGRESS_ROWS) {
          this.reported = this.written;
          this.progress(this.table, this.written);
        }
      },
      (err: unknown) => void (this.failure ??= err)
    );
  }

  private check(): void {
    if (this.failure === undefined) return;
    const err = this.failure as Error;
    throw new MigrationError('MIGRATE_WRITE_FAILED', `writing ${this.table} failed: ${err.message}`, { cause: err });
  }

  /** Writes what is left; reports the table's total. */
  async end(): Promise<void> {
    await this.send();
    await this.inFlight;
    this.check();
    if (this.written !== this.reported || this.written === 0) this.progress(this.table, this.written);
  }
}

/** Where the LevelDB is: `dir` itself, or `dir/db` (a satellite's data directory). */
function levelPath(dir: string): string {
  if (existsSync(join(dir, 'db', 'CURRENT'))) return join(dir, 'db');
  if (existsSync(join(dir, 'CURRENT'))) return dir;
  throw new MigrationError('MIGRATE_SOURCE_UNREADABLE', `no satellite LevelDB in ${dir} (neither ${join(dir, 'db')} nor ${dir} is one)`);
}

async function openSource(dir: string): Promise<{ path: string; level: Level<string, unknown> }> {
  const path = levelPath(dir);
  const level = new Level<string, unknown>(path, { valueEncoding: 'json', createIfMissing: false });
  try {
    await level.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const locked = cause?.code === 'LEVEL_LOCKED';
    const why = locked ? 'it is in use: stop the satellite first' : (cause?.message ?? (err as Error).message);
    throw new MigrationError('MIGRATE_SOURCE_UNREADABLE', `cannot open the LevelDB at ${path}: ${why}`, { cause: err });
  }
  return { path, level };
}

/**
 * The sublevels of the LevelDB with their rows, found by seeking past each one (a read per
 * sublevel, not a walk of the database); root keys outside any sublevel count under ''.
 */
async function sublevels(level: Level<string, unknown>, known: ReadonlySet<string>): Promise<Record<string, number>> {
  const unknown: Record<string, number> = {};
  let from: { gt?: string; gte?: string } = {};
  for (;;) {
    let key: string | undefined;
    for await (const k of level.keys({ ...from, limit: 1, keyEncoding: 'utf8' })) key = k;
    if (key === undefined) return unknown;
    const end = key.startsWith('!') ? key.indexOf('!', 1) : -1;
    if (end < 0) {
      unknown[''] = (unknown[''] ?? 0) + 1;
      from = { gt: key };
      continue;
    }
    const name = key.slice(1, end);
    if (!known.has(name)) {
      let n = 0;
      for await (const _ of level.sublevel(name).keys()) n++;
      unknown[name] = n;
    }
    // '"' follows '!': past every key of this sublevel, before the next name.
    from = { gte: `!${name}"` };
  }
}

/**
 * Copies the stopped satellite's LevelDB at `levelPath` (its data directory, or the db in it) into
 * the empty PostgreSQL database at `url` (its schema migrated first), then checks the copy.
 * MIGRATE_SOURCE_UNREADABLE, MIGRATE_TARGET_NOT_EMPTY, MIGRATE_WRITE_FAILED, MIGRATE_COUNT_MISMATCH;
 * a ledger that does not verify is reported in the summary (`ledger.target.ok`), not thrown.
 */
export async function migrateLevelToPostgres(levelPath: string, url: string, opts: { onProgress?: (what: string, count: number) => void } = {}): Promise<MigrationSummary> {
  const started = performance.now();
  const progress = opts.onProgress ?? (() => undefined);
  const { path, level } = await openSource(levelPath);
  try {
    const sourceLedger = await new Ledger(level).verify();
    // The stores' options do not matter here: only the ledger's verify() runs on them.
    const target = await openPostgresSatelliteDB(url, { now: Date.now, pendingTtlMs: 0, uptime: { windowMs: 1, periodMs: 1 } }, { maxConnections: 2 });
    try {
      const client = await target.pool.connect();
      let copied: { counts: Record<string, number>; usageCounted: number; skipped: Record<string, number> };
      try {
        await client.query('BEGIN');
        try {
          copied = await copy(level, client, redactUrl(url), progress);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (err instanceof StowageError) throw err;
          throw new MigrationError('MIGRATE_WRITE_FAILED', `the copy into ${redactUrl(url)} failed (nothing was committed): ${(err as Error).message}`, { cause: err });
        }
      } finally {
        client.release();
      }
      const targetLedger = await target.ledger.verify();
      const rows = Object.values(copied.counts).reduce((n, c) => n + c, 0);
      const ms = Math.round(performance.now() - started);
      return {
        source: path,
        target: redactUrl(url),
        ...copied,
        ledger: { source: sourceLedger, target: targetLedger },
        rows,
        ms,
        rowsPerSecond: Math.round(rows / Math.max(ms / 1000, 0.001))
      };
    } finally {
      await target.close();
    }
  } finally {
    await level.close();
  }
}

/** The copy itself, inside the transaction on `client`: refuses a database with data, copies, checks the counts. */
async function copy(
  level: Level<string, unknown>,
  client: pg.PoolClient,
  where: string,
  progress: (what: string, count: number) => void
): Promise<{ counts: Record<string, number>; usageCounted: number; skipped: Record<string, number> }> {
  for (const table of DATA_TABLES) {
    const { rows } = await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length > 0) {
      throw new MigrationError('MIGRATE_TARGET_NOT_EMPTY', `the database at ${where} already holds satellite data (table ${table} has rows): migrate into an empty database`);
    }
  }
  const out = new Map<Table, Inserter>();
  const into = (table: Table): Inserter => {
    let ins = out.get(table);
    if (!ins) out.set(table, (ins = new Inserter(client, table, progress)));
    return ins;
  };
  /** The sublevels read, so the ones this migration does not know can be reported. */
  const read = new Set(DERIVED_SUBLEVELS);
  /** Reads the sublevel `name` in key order and hands each entry to `row`, then ends its tables' inserts. */
  const each = async <V>(name: string, tables: readonly Table[], row: (key: string, value: V) => Promise<void>): Promise<void> => {
    try {
      read.add(name);
      for await (const [k, v] of level.sublevel<string, V>(name, { valueEncoding: 'json' }).iterator()) await row(k, v);
    } catch (err) {
      if (err instanceof MigrationError) throw err;
      throw new MigrationError('MIGRATE_SOURCE_UNREADABLE', `reading the LevelDB sublevel '${name}' failed: ${(err as Error).message}`, { cause: err });
    }
    for (const t of tables) await into(t).end();
  };
  const json = (v: unknown): string => JSON.stringify(v);
  const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
  const bad = (name: string, key: string): MigrationError =>
    new MigrationError('MIGRATE_SOURCE_UNREADABLE', `the LevelDB sublevel '${name}' holds a key this migration cannot read: ${JSON.stringify(key.slice(0, 200))}`);

  // ---- metadata (store/leveldb/metadata.ts)
  await each<{ name: string; createdAt: number }>('buckets', ['buckets'], async (k, b) => {
    const [project] = splitSep(k) ?? [];
    if (project === undefined) throw bad('buckets', k);
    await into('buckets').add([project, b.name, b.createdAt]);
  });
  await each<ObjectRecord>('objects', ['objects'], async (k, o) => {
    // project \x00 bucket \x00 key (bucket names hold no \x00; object keys may).
    const first = splitSep(k);
    const second = first && splitSep(first[1]);
    if (!first || !second) throw bad('objects', k);
    await into('objects').add([first[0], second[0], utf8(second[1]), o.streamId, json(o)]);
  });
  await each<ObjectRecord>('pending-objects', ['pending_objects'], async (streamId, stored) => {
    // Kept with the project before the key (project \x00 key); PostgreSQL keeps it in its own column.
    const [project, key] = splitSep(stored.key) ?? [];
    if (project === undefined || key === undefined) throw bad('pending-objects', streamId);
    const rec: ObjectRecord = { ...stored, key };
    await into('pending_objects').add([streamId, project, rec.bucket, utf8(key), rec.createdAt, rec.multipart === true, rec.part?.upload ?? null, json(rec)]);
  });
  // Each stream's segments in index order: their offsets summed on the way (kept below for committed objects only).
  let stream = '';
  let next = 0;
  let offset: number | null = 0;
  await each<SegmentRecord>('segments', ['segments'], async (k, seg) => {
    const cut = k.lastIndexOf(SEP);
    const streamId = k.slice(0, cut);
    const idx = Number(k.slice(cut + 1));
    if (cut < 0 || !Number.isSafeInteger(idx)) throw bad('segments', k);
    if (streamId !== stream) [stream, next, offset] = [streamId, 0, 0];
    // A gap (a stream not committed): no offset from there on; PostgreSQL sums sizes when it has none.
    if (idx !== next) offset = null;
    await into('segments').add([streamId, idx, seg.plainSize, offset, segmentBytes(seg), seg.inline === null, json(seg)]);
    next = idx + 1;
    if (offset !== null) offset += seg.plainSize;
  });
  await each<PendingSegment>('pending-segments', ['pending_segments'], async (k, plan) => {
    const cut = k.lastIndexOf(SEP);
    const idx = Number(k.slice(cut + 1));
    if (cut < 0 || !Number.isSafeInteger(idx)) throw bad('pending-segments', k);
    await into('pending_segments').add([k.slice(0, cut), idx, segmentBytes(plan), json(plan)]);
  });
  await each<PartRecord>('parts', ['parts'], async (k, part) => {
    const cut = k.lastIndexOf(SEP);
    if (cut < 0) throw bad('parts', k);
    await into('parts').add([k.slice(0, cut), part.number, part.streamId, json(part)]);
  });
  await each<{ storedBytes: number; segments: number }>('usage', ['project_usage'], async (project, u) => {
    await into('project_usage').add([project, u.storedBytes, u.segments]);
  });
  // Two stores share this sublevel: project egress (project \x00 month -> bytes) and settled orders (time!serial -> order).
  await each<number | SettledOrder>('egress', ['project_egress', 'settled_orders'], async (k, v) => {
    const month = splitSep(k);
    if (typeof v === 'number' && month) return into('project_egress').add([month[0], month[1], v]);
    if (typeof v === 'object' && v !== null && typeof v.serial === 'string') {
      return into('settled_orders').add([v.settled, v.serial, v.nodeId, v.action, v.amount, v.created]);
    }
    throw bad('egress', k);
  });

  // ---- nodes, API keys, audits, reputation
  await each<NodeRecord>('nodes', ['nodes'], async (id, rec) => into('nodes').add([id, json(rec)]));
  await each<{ checks: number; successes: number }>('uptime', ['uptime_windows'], async (k, w) => {
    const cut = k.lastIndexOf('!');
    if (cut < 0) throw bad('uptime', k);
    await into('uptime_windows').add([k.slice(0, cut), Number(k.slice(cut + 1)), w.checks, w.successes]);
  });
  await each<ApiKeyRecord>('apikeys', ['api_keys'], async (digest, rec) => {
    await into('api_keys').add([digest, rec.id, rec.name, rec.createdAt, rec.revokedAt, rec.limits === undefined ? null : json(rec.limits)]);
  });
  await each<AuditRecord>('audits', ['audit_records'], async (k, r) => {
    // node!time!tiebreak: the random tail keeps two audits of one node at one time apart.
    const tiebreak = k.slice(k.lastIndexOf('!') + 1);
    await into('audit_records').add([r.nodeId, r.time, tiebreak, r.outcome, json({ ...r, segmentKey: postgresSegmentKey(r.segmentKey) })]);
  });
  await each<Containment>('containment', ['audit_containment'], async (k, c) => {
    const challenge = { ...c.challenge, segmentKey: postgresSegmentKey(c.challenge.segmentKey) };
    const key = k === pieceKey(c.challenge) ? pieceKey(challenge) : postgresContainmentKey(k);
    const bang = key.indexOf('!');
    await into('audit_containment').add([key, bang < 0 ? key : key.slice(0, bang), json({ ...c, challenge })]);
  });
  await each<Suspect>('audit-suspects', ['audit_suspects'], async (nodeId, s) => {
    await into('audit_suspects').add([nodeId, json({ ...s, challenge: { ...s.challenge, segmentKey: postgresSegmentKey(s.challenge.segmentKey) } })]);
  });
  await each<AuditReputation>('reputation', ['reputation'], async (nodeId, r) => {
    await into('reputation').add([nodeId, r.alpha, r.beta, r.successes, r.failures, r.offline, r.contained]);
  });

  // ---- repair
  await each<QueuedSegment>('repair-queue', ['repair_queue'], async (_k, q) => {
    await into('repair_queue').add([utf8(postgresSegmentKey(q.segmentKey)), q.healthy, q.queuedAt, q.minimum ?? null]);
  });
  await each<number>('repair-lost', ['repair_lost'], async (k, at) => into('repair_lost').add([utf8(postgresSegmentKey(k)), at]));

  // ---- payouts: the ledger field for field (its hashes cover them), periods, heads, epoch, publications
  await each<LedgerEntry>('ledger', ['ledger_entries'], async (_k, e) => {
    await into('ledger_entries').add([e.seq, e.period, e.nodeId, e.kind, e.amount, e.detail, e.time, e.prev, e.nodePrev, e.hash]);
  });
  await each<PeriodRecord>('ledger-periods', ['ledger_periods'], async (_k, p) => {
    await into('ledger_periods').add([p.period, p.start, p.end, p.closedAt, p.entries, p.total]);
  });
  await each<{ seq: number; hash: string }>('ledger-heads', ['ledger_heads'], async (name, h) => into('ledger_heads').add([name, h.seq, h.hash]));
  await each<number>('payout-state', ['payout_epoch'], async (k, start) => {
    if (k !== 'epoch') throw bad('payout-state', k);
    await into('payout_epoch').add([true, start]);
  });
  await each<Publication>('payout-publications', ['payout_publications'], async (_k, p) => into('payout_publications').add([p.period, json(p)]));
  await each<number>('settled-serials', ['settled_serials'], async (serial, until) => into('settled_serials').add([serial, until]));

  // Offsets are kept for committed objects' segments only (a pending stream's are set when it commits).
  await client.query('UPDATE segments SET plain_offset = NULL WHERE plain_offset IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.stream_id = segments.stream_id)');
  // Projects LevelDB had not counted yet: their objects', uploads' and parts' segments and plans.
  const counted = await client.query(
    `INSERT INTO project_usage (project, stored_bytes, segments)
     SELECT st.project, COALESCE(sum(sg.stored_bytes), 0)::BIGINT, count(*) FROM
       (SELECT project, stream_id FROM objects
        UNION ALL SELECT project, stream_id FROM pending_objects
        UNION ALL SELECT po.project, pa.stream_id FROM parts pa JOIN pending_objects po ON po.stream_id = pa.upload_id) AS st
       JOIN (SELECT stream_id, stored_bytes FROM segments UNION ALL SELECT stream_id, stored_bytes FROM pending_segments) AS sg ON sg.stream_id = st.stream_id
     WHERE NOT EXISTS (SELECT 1 FROM project_usage u WHERE u.project = st.project)
     GROUP BY st.project`
  );
  const usageCounted = counted.rowCount ?? 0;

  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const expected = (out.get(table)?.written ?? 0) + (table === 'project_usage' ? usageCounted : 0);
    const { rows } = await client.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`);
    const found = Number(rows[0]!.n);
    if (found !== expected) throw new MigrationError('MIGRATE_COUNT_MISMATCH', `${table}: ${expected} rows read, ${found} in the database; nothing was committed`);
    counts[table] = found;
  }
  const skipped = await sublevels(level, read);
  for (const [name, n] of Object.entries(skipped)) progress(`skipped (unknown sublevel '${name}')`, n);
  return { counts, usageCounted, skipped };
}
