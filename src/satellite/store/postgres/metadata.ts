// The PostgreSQL MetadataDB: buckets, objects (committed, and uploads in progress), segments with
// their pieces, multipart parts, and per-project usage, each a table with typed key columns. The
// rules (names, sizes, receipts, paging, part placement) are metainfo's, shared with LevelDB.
//
// Object keys are BYTEA (their UTF-8 bytes): they order by bytes on PostgreSQL and CockroachDB
// alike whatever the database's collation, as LevelDB's keys do, and may hold any character.
// Records read whole and never queried inside are JSON in TEXT columns (kept byte for byte).
//
// Every write that LevelDB makes in one batch is one transaction here. With several satellite
// processes on one database, read-modify-write goes through row locks (SELECT ... FOR UPDATE, or
// an insert that waits on a concurrent one's key) or one conditional statement (usage, egress).
// Locks are taken in one order: upload, bucket, segment rows, object, parts, usage last.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
  DEFAULT_MULTIPART_TTL_MS,
  MAX_SEGMENT_INDEX,
  MetadataError,
  PageBudget,
  assembleParts,
  checkBucketName,
  checkCommittable,
  checkContiguous,
  checkMetadataSize,
  checkNewObject,
  checkPartNumber,
  checkPartOptions,
  checkSegmentIndex,
  checkStorage,
  checkTakesSegments,
  chooseParts,
  clampLimit,
  commonPrefix,
  committedObject,
  findPartRange,
  inlineSegment,
  listLimit,
  monthOf,
  newObjectRecord,
  noSuchUpload,
  notPending,
  objectGone,
  partRecord,
  partUploadRecord,
  remoteSegment,
  segmentBytes,
  segmentNotPending,
  withNodes,
  uploadExpired,
  withPiecesRemoved,
  withPiecesReplaced,
  type ListOptions,
  type MetadataDB,
  type ObjectRecord,
  type PartRecord,
  type PendingSegment,
  type PlannedPiece,
  type ProjectLimits,
  type ProjectUsage,
  type ReceiptContent,
  type SegmentPartPlace,
  type SegmentPiece,
  type SegmentRecord,
  type UploadListing
} from '../../metainfo/index.js';
import { transaction, type Pool, type Queryable } from './sql.js';

export const METADATA_SCHEMA: readonly string[] = [
  'CREATE TABLE buckets (project TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (project, name))',
  // Committed objects; `record` is the ObjectRecord.
  'CREATE TABLE objects (project TEXT NOT NULL, bucket TEXT NOT NULL, key BYTEA NOT NULL, stream_id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (project, bucket, key))',
  // Uploads in progress: single uploads, multipart uploads, and part uploads (upload_id names their multipart upload).
  `CREATE TABLE pending_objects (stream_id TEXT PRIMARY KEY, project TEXT NOT NULL, bucket TEXT NOT NULL, key BYTEA NOT NULL,
     created_at BIGINT NOT NULL, multipart BOOLEAN NOT NULL, upload_id TEXT, record TEXT NOT NULL)`,
  'CREATE INDEX pending_objects_uploads ON pending_objects (project, bucket, multipart, key, stream_id)',
  'CREATE INDEX pending_objects_parts ON pending_objects (upload_id)',
  'CREATE INDEX pending_objects_created ON pending_objects (created_at)',
  // Committed segments of any stream; plain_offset (where the segment starts in its object) is set
  // once its object is committed. stored_bytes is what it counts toward its project's usage.
  `CREATE TABLE segments (stream_id TEXT NOT NULL, idx INT NOT NULL, plain_size BIGINT NOT NULL, plain_offset BIGINT,
     stored_bytes BIGINT NOT NULL, remote BOOLEAN NOT NULL, record TEXT NOT NULL, PRIMARY KEY (stream_id, idx))`,
  'CREATE INDEX segments_offset ON segments (stream_id, plain_offset, idx)',
  'CREATE TABLE pending_segments (stream_id TEXT NOT NULL, idx INT NOT NULL, stored_bytes BIGINT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (stream_id, idx))',
  'CREATE TABLE parts (upload_id TEXT NOT NULL, number INT NOT NULL, stream_id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (upload_id, number))',
  'CREATE TABLE project_usage (project TEXT PRIMARY KEY, stored_bytes BIGINT NOT NULL, segments BIGINT NOT NULL)',
  'CREATE TABLE project_egress (project TEXT NOT NULL, month TEXT NOT NULL, bytes BIGINT NOT NULL, PRIMARY KEY (project, month))'
];

/** Rows per query of the walks (remoteSegments, pendingPieces, segment pages). */
const PAGE_ROWS = 500;

type Freed = { rootPieceId: string; pieces: SegmentPiece[] }[];

async function rows<R extends pg.QueryResultRow>(c: Queryable, text: string, values: unknown[] = []): Promise<R[]> {
  return (await (c as pg.Pool).query<R>(text, values)).rows;
}

async function run(c: Queryable, text: string, values: unknown[] = []): Promise<number> {
  return (await (c as pg.Pool).query(text, values)).rowCount ?? 0;
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The least byte string above every string starting with `b`; null when there is none (all 0xff). */
function successor(b: Buffer): Buffer | null {
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i]! < 0xff) {
      const out = Buffer.from(b.subarray(0, i + 1));
      out[i]!++;
      return out;
    }
  }
  return null;
}

/** The segment key remoteSegments() gives: stream id, '/', index. */
function segmentKey(streamId: string, index: number): string {
  return `${streamId}/${index}`;
}

function parseSegmentKey(key: string): { streamId: string; index: number } | undefined {
  const cut = key.lastIndexOf('/');
  const index = Number(key.slice(cut + 1));
  return cut > 0 && Number.isInteger(index) && index >= 0 && index <= MAX_SEGMENT_INDEX ? { streamId: key.slice(0, cut), index } : undefined;
}

/** A segments row's values in column order (stream_id, idx, plain_size, plain_offset, stored_bytes, remote, record). */
function segmentRow(streamId: string, seg: SegmentRecord, offset: number | null): unknown[] {
  return [streamId, seg.index, seg.plainSize, offset, segmentBytes(seg), seg.inline === null, JSON.stringify(seg)];
}

/** Deleted segments' records in index order, and what they counted. */
function released(deleted: { stored_bytes: number; record: string }[]): { segs: SegmentRecord[]; bytes: number } {
  const segs = deleted.map((r) => JSON.parse(r.record) as SegmentRecord).sort((a, b) => a.index - b.index);
  return { segs, bytes: deleted.reduce((n, r) => n + Number(r.stored_bytes), 0) };
}

/** Whether checkStorage lets the change through. */
function fits(usage: { storedBytes: number; segments: number }, bytes: number, segments: number, limits: ProjectLimits): boolean {
  try {
    checkStorage(usage, bytes, segments, limits);
    return true;
  } catch {
    return false;
  }
}

const remoteOnly = (segs: readonly SegmentRecord[]): Freed => segs.filter((s) => s.pieces.length > 0).map((s) => ({ rootPieceId: s.rootPieceId, pieces: s.pieces }));

/**
 * Puts a row that may be there already: inserts it, or (when a row holds its key) locks that row,
 * runs `update` and returns what `select` read of it. An insert racing another waits on its key,
 * so two writers never both see "absent".
 */
async function replaceRow<R extends pg.QueryResultRow>(c: Queryable, insert: [string, unknown[]], select: [string, unknown[]], update: [string, unknown[]]): Promise<R | undefined> {
  for (;;) {
    if ((await run(c, insert[0] + ' ON CONFLICT DO NOTHING', insert[1])) === 1) return undefined;
    const [old] = await rows<R>(c, select[0] + ' FOR UPDATE', select[1]);
    if (old) {
      await run(c, update[0], update[1]);
      return old;
    }
  }
}

export class PgMetadata implements MetadataDB {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => number,
    /** How long an object may stay uncommitted. */
    private readonly pendingTtlMs: number,
    /** How long a multipart upload may stay open. */
    private readonly multipartTtlMs = DEFAULT_MULTIPART_TTL_MS
  ) {}

  // ---- usage

  private async storedUsage(c: Queryable, project: string): Promise<{ storedBytes: number; segments: number }> {
    const [u] = await rows<{ stored_bytes: number; segments: number }>(c, 'SELECT stored_bytes, segments FROM project_usage WHERE project = $1', [project]);
    return { storedBytes: u?.stored_bytes ?? 0, segments: u?.segments ?? 0 };
  }

  /**
   * Changes a project's stored bytes and segments (never below 0); with `limits`, refuses (changing
   * nothing) what would pass them: checked and counted in one conditional statement.
   */
  private async changeUsage(c: Queryable, project: string, bytes: number, segments: number, limits?: ProjectLimits): Promise<void> {
    const refuse = async (): Promise<never> => {
      checkStorage(await this.storedUsage(c, project), bytes, segments, limits!);
      throw new MetadataError('PROJECT_STORAGE_LIMIT', 'the project passed its storage limits meanwhile');
    };
    // A project without a row uses nothing: the insert is checked here, an update in SQL.
    if (limits && !fits({ storedBytes: 0, segments: 0 }, bytes, segments, limits)) await refuse();
    const cond = limits ? ' WHERE ($2::BIGINT <= 0 OR project_usage.stored_bytes + $2::BIGINT <= $4::BIGINT) AND ($3::BIGINT <= 0 OR project_usage.segments + $3::BIGINT <= $5::BIGINT)' : '';
    const done = await run(
      c,
      `INSERT INTO project_usage (project, stored_bytes, segments) VALUES ($1, GREATEST(0, $2::BIGINT), GREATEST(0, $3::BIGINT))
       ON CONFLICT (project) DO UPDATE SET stored_bytes = GREATEST(0, project_usage.stored_bytes + $2::BIGINT), segments = GREATEST(0, project_usage.segments + $3::BIGINT)${cond}`,
      limits ? [project, bytes, segments, limits.maxStoredBytes, limits.maxSegments] : [project, bytes, segments]
    );
    if (done === 0) await refuse();
  }

  async usage(project: string): Promise<ProjectUsage> {
    const month = monthOf(this.now());
    const stored = await this.storedUsage(this.pool, project);
    const [e] = await rows<{ bytes: number }>(this.pool, 'SELECT bytes FROM project_egress WHERE project = $1 AND month = $2', [project, month]);
    return { ...stored, month, egressBytes: e?.bytes ?? 0 };
  }

  async addEgress(project: string, bytes: number, limits: ProjectLimits): Promise<void> {
    const month = monthOf(this.now());
    const refuse = async (): Promise<never> => {
      const [e] = await rows<{ bytes: number }>(this.pool, 'SELECT bytes FROM project_egress WHERE project = $1 AND month = $2', [project, month]);
      throw new MetadataError(
        'PROJECT_BANDWIDTH_LIMIT',
        `the project was given ${e?.bytes ?? 0} bytes of downloads this month of its limit of ${limits.maxEgressBytesPerMonth}: ${bytes} more do not fit`
      );
    };
    if (bytes > 0 && bytes > limits.maxEgressBytesPerMonth) await refuse();
    const done = await run(
      this.pool,
      `INSERT INTO project_egress (project, month, bytes) VALUES ($1, $2, $3::BIGINT)
       ON CONFLICT (project, month) DO UPDATE SET bytes = project_egress.bytes + excluded.bytes
       WHERE excluded.bytes <= 0 OR project_egress.bytes + excluded.bytes <= $4::BIGINT`,
      [project, month, bytes, limits.maxEgressBytesPerMonth]
    );
    if (done === 0) await refuse();
  }

  // ---- buckets

  async createBucket(project: string, name: string): Promise<void> {
    checkBucketName(name);
    const done = await run(this.pool, 'INSERT INTO buckets (project, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [project, name, this.now()]);
    if (done === 0) throw new MetadataError('BUCKET_EXISTS', `bucket ${name} already exists`);
  }

  async listBuckets(project: string): Promise<{ name: string; createdAt: number }[]> {
    const found = await rows<{ name: string; created_at: number }>(this.pool, 'SELECT name, created_at FROM buckets WHERE project = $1', [project]);
    // By bytes, as LevelDB lists them, whatever the database's collation.
    return found.map((b) => ({ name: b.name, createdAt: b.created_at })).sort((a, b) => Buffer.compare(utf8(a.name), utf8(b.name)));
  }

  async allBuckets(): Promise<{ project: string; name: string; createdAt: number }[]> {
    const found = await rows<{ project: string; name: string; created_at: number }>(this.pool, 'SELECT project, name, created_at FROM buckets');
    const order = (b: { project: string; name: string }): Buffer => utf8(`${b.project}\x00${b.name}`);
    return found.map((b) => ({ project: b.project, name: b.name, createdAt: b.created_at })).sort((a, b) => Buffer.compare(order(a), order(b)));
  }

  /** BUCKET_NOT_FOUND unless the bucket is there; `lock` holds it (a share lock) until the transaction ends. */
  private async bucket(c: Queryable, project: string, name: string, lock = ''): Promise<void> {
    const found = await run(c, `SELECT 1 FROM buckets WHERE project = $1 AND name = $2 ${lock}`, [project, name]);
    if (found === 0) throw new MetadataError('BUCKET_NOT_FOUND', `no bucket ${name}`);
  }

  async deleteBucket(project: string, name: string): Promise<Freed> {
    const refuseObjects = async (c: Queryable): Promise<void> => {
      if ((await run(c, 'SELECT 1 FROM objects WHERE project = $1 AND bucket = $2 LIMIT 1', [project, name])) > 0) {
        throw new MetadataError('BUCKET_NOT_EMPTY', `bucket ${name} is not empty`);
      }
    };
    const uploadsIn = (c: Queryable, limit: number): Promise<{ stream_id: string }[]> =>
      rows(c, 'SELECT stream_id FROM pending_objects WHERE project = $1 AND bucket = $2 AND multipart ORDER BY key, stream_id LIMIT $3', [project, name, limit]);
    await this.bucket(this.pool, project, name);
    await refuseObjects(this.pool);
    // Multipart uploads in progress go with the bucket, each in a transaction of its own.
    const freed: Freed = [];
    for (;;) {
      const found = await uploadsIn(this.pool, 100);
      if (found.length === 0) break;
      for (const { stream_id: uploadId } of found) {
        const segs = await transaction(this.pool, async (c) => {
          const [row] = await rows<{ record: string }>(c, 'SELECT record FROM pending_objects WHERE stream_id = $1 FOR UPDATE', [uploadId]);
          if (!row) return [];
          return this.dropUploadCounted(c, uploadId, project);
        });
        for (const x of remoteOnly(segs)) freed.push(x);
      }
    }
    await transaction(this.pool, async (c) => {
      await this.bucket(c, project, name, 'FOR UPDATE');
      await refuseObjects(c);
      if ((await uploadsIn(c, 1)).length > 0) throw new MetadataError('BUCKET_NOT_EMPTY', `a multipart upload was begun in bucket ${name} while it was deleted`);
      await run(c, 'DELETE FROM buckets WHERE project = $1 AND name = $2', [project, name]);
    });
    return freed;
  }

  // ---- uploads in progress

  private async insertPending(c: Queryable, project: string, rec: ObjectRecord, uploadId: string | null): Promise<void> {
    await run(
      c,
      'INSERT INTO pending_objects (stream_id, project, bucket, key, created_at, multipart, upload_id, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [rec.streamId, project, rec.bucket, utf8(rec.key), rec.createdAt, rec.multipart === true, uploadId, JSON.stringify(rec)]
    );
  }

  async beginObject(
    project: string,
    bucket: string,
    key: string,
    opts: { metadata?: string; encryption?: string; encryptedKey?: string; expiresAt?: number | null; multipart?: boolean } = {}
  ): Promise<ObjectRecord> {
    await this.bucket(this.pool, project, bucket);
    checkNewObject(key, opts);
    const rec = newObjectRecord(bucket, key, randomBytes(16).toString('hex'), this.now(), opts);
    if (!opts.multipart) {
      await this.insertPending(this.pool, project, rec, null);
      return rec;
    }
    // A multipart upload holds its bucket: begun while the bucket is deleted, one of them fails.
    await transaction(this.pool, async (c) => {
      await this.bucket(c, project, bucket, 'FOR SHARE');
      await this.insertPending(c, project, rec, null);
    });
    return rec;
  }

  /** An upload in progress (OBJECT_NOT_PENDING when there is none or it expired), its row locked with `lock`. */
  private async pending(c: Queryable, streamId: string, lock = ''): Promise<{ rec: ObjectRecord; project: string }> {
    const [row] = await rows<{ project: string; record: string }>(c, `SELECT project, record FROM pending_objects WHERE stream_id = $1 ${lock}`, [streamId]);
    const rec = row && (JSON.parse(row.record) as ObjectRecord);
    if (!row || !rec || this.expired(rec)) throw notPending(streamId);
    return { rec, project: row.project };
  }

  private expired(rec: ObjectRecord): boolean {
    return uploadExpired(rec, this.now(), this.pendingTtlMs, this.multipartTtlMs);
  }

  async pendingPlace(streamId: string): Promise<{ project: string; bucket: string; key: string }> {
    const { rec, project } = await this.pending(this.pool, streamId);
    return { project, bucket: rec.bucket, key: rec.key };
  }

  async beginSegment(streamId: string, index: number, plan: PendingSegment, limits?: ProjectLimits): Promise<void> {
    await transaction(this.pool, async (c) => {
      const { rec, project } = await this.pending(c, streamId, 'FOR SHARE');
      checkTakesSegments(rec);
      checkSegmentIndex(index);
      const bytes = segmentBytes(plan);
      const values = [streamId, index, bytes, JSON.stringify(plan)];
      // Begun again: the earlier plan's count is replaced by this one's.
      const earlier = await replaceRow<{ stored_bytes: number }>(
        c,
        ['INSERT INTO pending_segments (stream_id, idx, stored_bytes, record) VALUES ($1, $2, $3, $4)', values],
        ['SELECT stored_bytes FROM pending_segments WHERE stream_id = $1 AND idx = $2', [streamId, index]],
        ['UPDATE pending_segments SET stored_bytes = $3, record = $4 WHERE stream_id = $1 AND idx = $2', values]
      );
      await this.changeUsage(c, project, bytes - (earlier?.stored_bytes ?? 0), earlier ? 0 : 1, limits);
    });
  }

  async pendingSegment(streamId: string, index: number): Promise<PendingSegment> {
    await this.pending(this.pool, streamId);
    const [row] = await rows<{ record: string }>(this.pool, 'SELECT record FROM pending_segments WHERE stream_id = $1 AND idx = $2', [streamId, index]);
    if (!row) throw segmentNotPending(index);
    return JSON.parse(row.record) as PendingSegment;
  }

  async addSegmentNodes(streamId: string, index: number, nodes: { nodeId: string; number: number }[], maxNodes?: number): Promise<PendingSegment> {
    return transaction(this.pool, async (c) => {
      const [row] = await rows<{ record: string }>(c, 'SELECT record FROM pending_segments WHERE stream_id = $1 AND idx = $2 FOR UPDATE', [streamId, index]);
      if (!row) throw segmentNotPending(index);
      const updated = withNodes(JSON.parse(row.record) as PendingSegment, nodes, index, maxNodes);
      await run(c, 'UPDATE pending_segments SET record = $3 WHERE stream_id = $1 AND idx = $2', [streamId, index, JSON.stringify(updated)]);
      return updated;
    });
  }

  /** Puts a committed segment; what the one it replaced at that index counted (undefined when none). */
  private async putSegment(c: Queryable, streamId: string, seg: SegmentRecord): Promise<number | undefined> {
    const values = segmentRow(streamId, seg, null);
    const old = await replaceRow<{ stored_bytes: number }>(
      c,
      ['INSERT INTO segments (stream_id, idx, plain_size, plain_offset, stored_bytes, remote, record) VALUES ($1, $2, $3, $4, $5, $6, $7)', values],
      ['SELECT stored_bytes FROM segments WHERE stream_id = $1 AND idx = $2', [streamId, seg.index]],
      ['UPDATE segments SET plain_size = $3, plain_offset = $4, stored_bytes = $5, remote = $6, record = $7 WHERE stream_id = $1 AND idx = $2', values]
    );
    return old?.stored_bytes;
  }

  async commitSegment(streamId: string, index: number, plainSize: number, receipts: readonly ReceiptContent[]): Promise<SegmentRecord> {
    return transaction(this.pool, async (c) => {
      const { project } = await this.pending(c, streamId, 'FOR SHARE');
      const [row] = await rows<{ record: string }>(c, 'SELECT record FROM pending_segments WHERE stream_id = $1 AND idx = $2 FOR UPDATE', [streamId, index]);
      if (!row) throw segmentNotPending(index);
      const seg = remoteSegment(JSON.parse(row.record) as PendingSegment, index, plainSize, receipts, this.now());
      await run(c, 'DELETE FROM pending_segments WHERE stream_id = $1 AND idx = $2', [streamId, index]);
      // The plan was counted when begun; a segment committed at this index before is replaced.
      const replaced = await this.putSegment(c, streamId, seg);
      if (replaced !== undefined) await this.changeUsage(c, project, -replaced, -1);
      return seg;
    });
  }

  async commitInlineSegment(streamId: string, index: number, plainSize: number, data: Uint8Array, maxInline: number, limits?: ProjectLimits): Promise<SegmentRecord> {
    return transaction(this.pool, async (c) => {
      const { rec, project } = await this.pending(c, streamId, 'FOR SHARE');
      checkTakesSegments(rec);
      const seg = inlineSegment(index, plainSize, data, maxInline, this.now());
      // What was at this index before (a segment committed, or a plan begun) no longer counts.
      const [plan] = await rows<{ stored_bytes: number }>(c, 'DELETE FROM pending_segments WHERE stream_id = $1 AND idx = $2 RETURNING stored_bytes', [streamId, index]);
      const replaced = await this.putSegment(c, streamId, seg);
      const bytes = segmentBytes(seg) - (replaced ?? 0) - (plan?.stored_bytes ?? 0);
      await this.changeUsage(c, project, bytes, 1 - (replaced !== undefined ? 1 : 0) - (plan ? 1 : 0), limits);
      return seg;
    });
  }

  /** Deletes a stream's committed segments; their records in index order and what they counted. */
  private async dropSegments(c: Queryable, streamIds: readonly string[]): Promise<{ segs: SegmentRecord[]; bytes: number }> {
    if (streamIds.length === 0) return { segs: [], bytes: 0 };
    return released(await rows(c, 'DELETE FROM segments WHERE stream_id = ANY($1::TEXT[]) RETURNING stored_bytes, record', [streamIds]));
  }

  /** Deletes streams' pending segments; how many and what they counted. */
  private async dropPlans(c: Queryable, streamIds: readonly string[]): Promise<{ bytes: number; segments: number }> {
    if (streamIds.length === 0) return { bytes: 0, segments: 0 };
    const gone = await rows<{ stored_bytes: number }>(c, 'DELETE FROM pending_segments WHERE stream_id = ANY($1::TEXT[]) RETURNING stored_bytes', [streamIds]);
    return { bytes: gone.reduce((n, r) => n + Number(r.stored_bytes), 0), segments: gone.length };
  }

  /**
   * Puts a committed object at its key; the object it replaced (undefined when none). Two commits
   * of one key meet on the row: the second waits for the first, then replaces it.
   */
  private async putObject(c: Queryable, project: string, object: ObjectRecord): Promise<ObjectRecord | undefined> {
    const values = [project, object.bucket, utf8(object.key), object.streamId, JSON.stringify(object)];
    const old = await replaceRow<{ record: string }>(
      c,
      ['INSERT INTO objects (project, bucket, key, stream_id, record) VALUES ($1, $2, $3, $4, $5)', values],
      ['SELECT record FROM objects WHERE project = $1 AND bucket = $2 AND key = $3', values.slice(0, 3)],
      ['UPDATE objects SET stream_id = $4, record = $5 WHERE project = $1 AND bucket = $2 AND key = $3', values]
    );
    return old && (JSON.parse(old.record) as ObjectRecord);
  }

  async commitObject(streamId: string, opts: { metadata?: string } = {}): Promise<{ object: ObjectRecord; replaced: SegmentPiece[] }> {
    checkMetadataSize(opts.metadata);
    return transaction(this.pool, async (c) => {
      const { rec, project } = await this.pending(c, streamId, 'FOR UPDATE');
      checkCommittable(rec);
      // The bucket may have been deleted since the upload began (it was empty then).
      await this.bucket(c, project, rec.bucket, 'FOR SHARE');
      const [stats] = await rows<{ n: number; last: number; size: number }>(
        c,
        'SELECT count(*) AS n, COALESCE(max(idx), -1) AS last, COALESCE(sum(plain_size), 0)::BIGINT AS size FROM segments WHERE stream_id = $1',
        [streamId]
      );
      const { n, last, size } = stats!;
      if (n !== last + 1) checkContiguous((await rows<{ idx: number }>(c, 'SELECT idx FROM segments WHERE stream_id = $1 ORDER BY idx', [streamId])).map((r) => ({ index: r.idx })));
      // Each segment's start in the object, for reads from a byte offset.
      if (n > 0) {
        await run(
          c,
          `UPDATE segments SET plain_offset = o.start
           FROM (SELECT idx, sum(plain_size) OVER (ORDER BY idx) - plain_size AS start FROM segments WHERE stream_id = $1) AS o
           WHERE segments.stream_id = $1 AND segments.idx = o.idx`,
          [streamId]
        );
      }
      const object = committedObject(rec, this.now(), { segmentCount: n, size }, opts.metadata);
      // Segments begun and never committed (past the last one) are dropped: their pieces are
      // garbage now, and they count no more.
      const leftover = await this.dropPlans(c, [streamId]);
      await run(c, 'DELETE FROM pending_objects WHERE stream_id = $1', [streamId]);
      const old = await this.putObject(c, project, object);
      const oldSegs = await this.dropSegments(c, old ? [old.streamId] : []);
      await this.changeUsage(c, project, -(oldSegs.bytes + leftover.bytes), -(oldSegs.segs.length + leftover.segments));
      return { object, replaced: oldSegs.segs.flatMap((s) => s.pieces) };
    });
  }

  private async committed(c: Queryable, project: string, bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const [row] = await rows<{ record: string }>(c, 'SELECT record FROM objects WHERE project = $1 AND bucket = $2 AND key = $3', [project, bucket, utf8(key)]);
    return row && (JSON.parse(row.record) as ObjectRecord);
  }

  /** A stream's committed segments in index order. */
  private async segmentsOf(c: Queryable, streamId: string): Promise<SegmentRecord[]> {
    const found = await rows<{ record: string }>(c, 'SELECT record FROM segments WHERE stream_id = $1 ORDER BY idx', [streamId]);
    return found.map((r) => JSON.parse(r.record) as SegmentRecord);
  }

  async getObject(project: string, bucket: string, key: string, opts: { segments?: boolean } = {}): Promise<{ object: ObjectRecord; segments: SegmentRecord[] }> {
    const object = await this.committed(this.pool, project, bucket, key);
    if (!object) {
      // A bucket that does not exist is named as such.
      await this.bucket(this.pool, project, bucket);
      throw new MetadataError('OBJECT_NOT_FOUND', `no object ${key.slice(0, 200)} in bucket ${bucket}`);
    }
    return { object, segments: opts.segments === false ? [] : await this.segmentsOf(this.pool, object.streamId) };
  }

  /**
   * An object's segments in index order from the one `start` names, each with where its plaintext
   * starts: the start is found by the segments' kept offsets (an index seek), then read in pages.
   */
  async *segmentsFrom(object: ObjectRecord, start: { index: number } | { offset: number }): AsyncGenerator<{ segment: SegmentRecord; plainOffset: number }> {
    const { streamId, segmentCount } = object;
    let first: { index: number; offset: number };
    if ('index' in start) {
      if (!Number.isInteger(start.index) || start.index < 0 || (start.index > 0 && start.index >= segmentCount)) {
        throw new MetadataError('OBJECT_RANGE_INVALID', `segment ${start.index} is past the object's last (it has ${segmentCount})`);
      }
      first = start.index === 0 ? { index: 0, offset: 0 } : await this.locateIndex(object, start.index);
    } else {
      if (!Number.isFinite(start.offset) || start.offset < 0 || (start.offset > 0 && start.offset >= object.size)) {
        throw new MetadataError('OBJECT_RANGE_INVALID', `byte ${start.offset} is not in the object (${object.size} bytes)`);
      }
      first = start.offset === 0 ? { index: 0, offset: 0 } : await this.locateOffset(object, start.offset);
    }
    let { index, offset } = first;
    // Small first pages: a download often stops after a few segments.
    let limit = 16;
    for (;;) {
      const page = await rows<{ record: string }>(this.pool, 'SELECT record FROM segments WHERE stream_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3', [streamId, index, limit]);
      for (const row of page) {
        const segment = JSON.parse(row.record) as SegmentRecord;
        if (segment.index !== index) throw objectGone(object);
        yield { segment, plainOffset: offset };
        index++;
        offset += segment.plainSize;
      }
      if (page.length < limit || index >= segmentCount) break;
      limit = Math.min(PAGE_ROWS, limit * 4);
    }
    if (index < segmentCount) throw objectGone(object);
  }

  private async locateIndex(object: ObjectRecord, index: number): Promise<{ index: number; offset: number }> {
    const [row] = await rows<{ plain_offset: number | null }>(this.pool, 'SELECT plain_offset FROM segments WHERE stream_id = $1 AND idx = $2', [object.streamId, index]);
    if (!row) throw objectGone(object);
    if (row.plain_offset !== null) return { index, offset: row.plain_offset };
    // Offsets not kept (an object copied in without them): summed.
    const [sum] = await rows<{ n: number; start: number }>(this.pool, 'SELECT count(*) AS n, COALESCE(sum(plain_size), 0)::BIGINT AS start FROM segments WHERE stream_id = $1 AND idx < $2', [object.streamId, index]);
    if (sum!.n !== index) throw objectGone(object);
    return { index, offset: sum!.start };
  }

  /** The segment holding byte `offset` (above 0): the last one starting at or before it. */
  private async locateOffset(object: ObjectRecord, offset: number): Promise<{ index: number; offset: number }> {
    let [row] = await rows<{ idx: number; start: number }>(
      this.pool,
      'SELECT idx, plain_offset AS start FROM segments WHERE stream_id = $1 AND plain_offset <= $2 ORDER BY plain_offset DESC, idx DESC LIMIT 1',
      [object.streamId, offset]
    );
    // Offsets not kept (an object copied in without them): summed by the database.
    [row] = row
      ? [row]
      : await rows<{ idx: number; start: number }>(
          this.pool,
          `SELECT idx, start FROM (SELECT idx, plain_size, sum(plain_size) OVER (ORDER BY idx) - plain_size AS start FROM segments WHERE stream_id = $1) AS o
           WHERE start <= $2 AND start + plain_size > $2 ORDER BY idx LIMIT 1`,
          [object.streamId, offset]
        );
    if (!row) throw objectGone(object);
    return { index: row.idx, offset: Number(row.start) };
  }

  /**
   * Objects by key order, read as index range scans of the bucket's keys: a prefix is a range, and
   * with a delimiter each common prefix is passed with one seek instead of a read of its keys.
   */
  async listObjects(
    project: string,
    bucket: string,
    opts: ListOptions = {},
    fit?: { bytes: number; size: (entry: ObjectRecord | string) => number }
  ): Promise<{ objects: ObjectRecord[]; prefixes: string[]; nextCursor: string | null }> {
    await this.bucket(this.pool, project, bucket);
    const limit = listLimit(opts.limit);
    const page = new PageBudget(limit, fit);
    const prefix = opts.prefix ?? '';
    const prefixBytes = utf8(prefix);
    const end = successor(prefixBytes);
    // From the prefix, or after the cursor when that is further on.
    const after = opts.cursor !== undefined ? utf8(opts.cursor) : null;
    let from = after && Buffer.compare(Buffer.concat([after, Buffer.from([0])]), prefixBytes) > 0 ? { key: after, inclusive: false } : { key: prefixBytes, inclusive: true };
    const objects: ObjectRecord[] = [];
    const prefixes: string[] = [];
    let last: string | null = null;
    const batch = Math.min(limit + 1, PAGE_ROWS);
    const range = (lo: { key: Buffer; inclusive: boolean }, hi: Buffer | null): [string, unknown[]] => [
      `project = $1 AND bucket = $2 AND key ${lo.inclusive ? '>=' : '>'} $3${hi ? ' AND key < $4' : ''}`,
      [project, bucket, lo.key, ...(hi ? [hi] : [])]
    ];
    for (;;) {
      const [where, values] = range(from, end);
      const found = await rows<{ key: Buffer; record: string }>(this.pool, `SELECT key, record FROM objects WHERE ${where} ORDER BY key LIMIT ${batch}`, values);
      let i = 0;
      let seek: Buffer | null = null;
      while (i < found.length) {
        const key = found[i]!.key.toString('utf8');
        const p = commonPrefix(key, prefix, opts.delimiter);
        if (p === null) {
          const rec = JSON.parse(found[i]!.record) as ObjectRecord;
          if (!page.take(rec)) return { objects, prefixes, nextCursor: last };
          objects.push(rec);
          last = key;
          i++;
          continue;
        }
        if (!page.take(p)) return { objects, prefixes, nextCursor: last };
        prefixes.push(p);
        // Every key under the prefix is consumed with it: those in this batch, then past the rest.
        const pBytes = utf8(p);
        const pEnd = successor(pBytes)!;
        let j = i;
        while (j < found.length && Buffer.compare(found[j]!.key, pEnd) < 0) j++;
        last = found[j - 1]!.key.toString('utf8');
        if (j < found.length) {
          i = j;
          continue;
        }
        const [w, v] = range({ key: pBytes, inclusive: true }, pEnd);
        const [lastUnder] = await rows<{ key: Buffer }>(this.pool, `SELECT key FROM objects WHERE ${w} ORDER BY key DESC LIMIT 1`, v);
        seek = lastUnder && Buffer.compare(lastUnder.key, found[j - 1]!.key) > 0 ? lastUnder.key : found[j - 1]!.key;
        last = seek.toString('utf8');
        break;
      }
      if (seek) {
        from = { key: seek, inclusive: false };
        continue;
      }
      if (found.length < batch) return { objects, prefixes, nextCursor: null };
      from = { key: found[found.length - 1]!.key, inclusive: false };
    }
  }

  async deleteObject(project: string, bucket: string, key: string): Promise<Freed> {
    return transaction(this.pool, async (c) => {
      const [row] = await rows<{ stream_id: string }>(c, 'DELETE FROM objects WHERE project = $1 AND bucket = $2 AND key = $3 RETURNING stream_id', [project, bucket, utf8(key)]);
      if (!row) {
        await this.bucket(c, project, bucket);
        throw new MetadataError('OBJECT_NOT_FOUND', `no object ${key.slice(0, 200)} in bucket ${bucket}`);
      }
      const { segs, bytes } = await this.dropSegments(c, [row.stream_id]);
      await this.changeUsage(c, project, -bytes, -segs.length);
      return remoteOnly(segs);
    });
  }

  async expirePending(): Promise<number> {
    let count = 0;
    const seen = new Set<string>();
    for (;;) {
      const now = this.now();
      const old = await rows<{ stream_id: string }>(
        this.pool,
        `SELECT stream_id FROM pending_objects
         WHERE created_at < $1 AND ((NOT multipart AND created_at < $2) OR (multipart AND created_at < $3))
         ORDER BY created_at LIMIT ${PAGE_ROWS}`,
        [now - Math.min(this.pendingTtlMs, this.multipartTtlMs), now - this.pendingTtlMs, now - this.multipartTtlMs]
      );
      const fresh = old.filter((r) => !seen.has(r.stream_id));
      if (fresh.length === 0) return count;
      for (const { stream_id: streamId } of fresh) {
        seen.add(streamId);
        count++;
        await transaction(this.pool, async (c) => {
          const [row] = await rows<{ project: string; record: string }>(c, 'SELECT project, record FROM pending_objects WHERE stream_id = $1 FOR UPDATE', [streamId]);
          const rec = row && (JSON.parse(row.record) as ObjectRecord);
          if (!row || !rec || !this.expired(rec)) return;
          if (rec.multipart) {
            await this.dropUploadCounted(c, streamId, row.project);
            return;
          }
          const plans = await this.dropPlans(c, [streamId]);
          const { segs, bytes } = await this.dropSegments(c, [streamId]);
          await run(c, 'DELETE FROM pending_objects WHERE stream_id = $1', [streamId]);
          await this.changeUsage(c, row.project, -(plans.bytes + bytes), -(plans.segments + segs.length));
        });
      }
    }
  }

  // ---- multipart uploads

  /** A multipart upload in progress; NO_SUCH_UPLOAD when there is none. */
  private async upload(c: Queryable, uploadId: string, lock = ''): Promise<{ rec: ObjectRecord; project: string }> {
    let found;
    try {
      found = await this.pending(c, uploadId, lock);
    } catch (err) {
      if ((err as MetadataError).code === 'OBJECT_NOT_PENDING') throw noSuchUpload(uploadId);
      throw err;
    }
    if (!found.rec.multipart) throw new MetadataError('NO_SUCH_UPLOAD', `stream ${uploadId.slice(0, 32)} is not a multipart upload`);
    return found;
  }

  async beginPart(uploadId: string, partNumber: number): Promise<ObjectRecord> {
    const { rec, project } = await this.upload(this.pool, uploadId);
    checkPartNumber(partNumber);
    const part = partUploadRecord(rec, uploadId, partNumber, randomBytes(8).toString('hex'), this.now());
    await this.insertPending(this.pool, project, part, uploadId);
    return part;
  }

  async commitPart(partStreamId: string, opts: { salt: string; info: string }): Promise<{ part: PartRecord; replaced: SegmentPiece[] }> {
    checkPartOptions(opts);
    return transaction(this.pool, async (c) => {
      // The upload is locked first (as its end locks it before its parts).
      const { rec: seen } = await this.pending(c, partStreamId);
      if (!seen.part) throw new MetadataError('OBJECT_NOT_PART', `stream ${partStreamId.slice(0, 40)} is not a part upload`);
      await this.upload(c, seen.part.upload, 'FOR SHARE');
      const { rec, project } = await this.pending(c, partStreamId, 'FOR UPDATE');
      const uploadId = rec.part!.upload;
      const part = partRecord(rec, partStreamId, await this.segmentsOf(c, partStreamId), opts, this.now());
      const values = [uploadId, part.number, partStreamId, JSON.stringify(part)];
      const old = await replaceRow<{ stream_id: string }>(
        c,
        ['INSERT INTO parts (upload_id, number, stream_id, record) VALUES ($1, $2, $3, $4)', values],
        ['SELECT stream_id FROM parts WHERE upload_id = $1 AND number = $2', values.slice(0, 2)],
        ['UPDATE parts SET stream_id = $3, record = $4 WHERE upload_id = $1 AND number = $2', values]
      );
      const leftover = await this.dropPlans(c, [partStreamId]);
      await run(c, 'DELETE FROM pending_objects WHERE stream_id = $1', [partStreamId]);
      const oldSegs = await this.dropSegments(c, old ? [old.stream_id] : []);
      await this.changeUsage(c, project, -(oldSegs.bytes + leftover.bytes), -(oldSegs.segs.length + leftover.segments));
      return { part, replaced: oldSegs.segs.flatMap((x) => x.pieces) };
    });
  }

  async listParts(
    uploadId: string,
    opts: { after?: number; limit?: number },
    fit?: { bytes: number; size: (part: PartRecord) => number }
  ): Promise<{ parts: PartRecord[]; more: boolean; encryptedKey: string; metadata: string }> {
    const { rec } = await this.upload(this.pool, uploadId);
    const limit = clampLimit(opts.limit);
    const page = new PageBudget(limit, fit);
    const found = await rows<{ record: string }>(this.pool, 'SELECT record FROM parts WHERE upload_id = $1 AND number > $2 ORDER BY number LIMIT $3', [uploadId, opts.after ?? 0, limit + 1]);
    const parts: PartRecord[] = [];
    for (const row of found) {
      const p = JSON.parse(row.record) as PartRecord;
      if (!page.take(p)) return { parts, more: true, encryptedKey: rec.encryptedKey ?? '', metadata: rec.metadata };
      parts.push(p);
    }
    return { parts, more: false, encryptedKey: rec.encryptedKey ?? '', metadata: rec.metadata };
  }

  /**
   * Removes an upload (its row locked by the caller) and everything of it: parts (but their
   * segments for the streams in `keep`), part uploads in progress, their segments and plans.
   * Returns the segments freed, and what everything removed counted.
   */
  private async dropUpload(c: Queryable, uploadId: string, keep: ReadonlySet<string> = new Set()): Promise<{ freed: SegmentRecord[]; bytes: number; segments: number }> {
    const parts = await rows<{ stream_id: string }>(c, 'DELETE FROM parts WHERE upload_id = $1 RETURNING stream_id', [uploadId]);
    const inProgress = await rows<{ stream_id: string }>(c, 'DELETE FROM pending_objects WHERE upload_id = $1 RETURNING stream_id', [uploadId]);
    const streams = [...parts.map((p) => p.stream_id).filter((s) => !keep.has(s)), ...inProgress.map((p) => p.stream_id)];
    const segs = await this.dropSegments(c, streams);
    const plans = await this.dropPlans(c, inProgress.map((p) => p.stream_id));
    await run(c, 'DELETE FROM pending_objects WHERE stream_id = $1', [uploadId]);
    return { freed: segs.segs, bytes: segs.bytes + plans.bytes, segments: segs.segs.length + plans.segments };
  }

  /** dropUpload with the project's usage lowered by what it frees; the segments freed. */
  private async dropUploadCounted(c: Queryable, uploadId: string, project: string): Promise<SegmentRecord[]> {
    const { freed, bytes, segments } = await this.dropUpload(c, uploadId);
    await this.changeUsage(c, project, -bytes, -segments);
    return freed;
  }

  async abortMultipart(uploadId: string): Promise<Freed> {
    return transaction(this.pool, async (c) => {
      const { project } = await this.upload(c, uploadId, 'FOR UPDATE');
      return remoteOnly(await this.dropUploadCounted(c, uploadId, project));
    });
  }

  async completeMultipart(
    project: string,
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly { number: number; streamId: string }[],
    opts: { metadata?: string }
  ): Promise<{ object: ObjectRecord; replaced: SegmentPiece[]; already: boolean }> {
    checkMetadataSize(opts.metadata);
    return transaction(this.pool, async (c) => {
      const [row] = await rows<{ project: string; record: string }>(c, 'SELECT project, record FROM pending_objects WHERE stream_id = $1 FOR UPDATE', [uploadId]);
      const rec = row && (JSON.parse(row.record) as ObjectRecord);
      if (!row || !rec || !rec.multipart || this.expired(rec)) {
        // Completed before (a client retrying a Complete whose answer it lost): that object.
        const done = await this.committed(c, project, bucket, key);
        if (done && done.streamId === uploadId) return { object: done, replaced: [], already: true };
        throw noSuchUpload(uploadId);
      }
      if (row.project !== project || rec.key !== key || rec.bucket !== bucket) {
        throw new MetadataError('NO_SUCH_UPLOAD', `multipart upload ${uploadId.slice(0, 32)} is not for ${bucket}/${key.slice(0, 200)}`);
      }
      await this.bucket(c, project, bucket, 'FOR SHARE');
      const chosen = await chooseParts(parts, async (n) => {
        const [p] = await rows<{ record: string }>(c, 'SELECT record FROM parts WHERE upload_id = $1 AND number = $2', [uploadId, n]);
        return p && (JSON.parse(p.record) as PartRecord);
      });
      const { segments, size } = await assembleParts(chosen, (streamId) => this.segmentsOf(c, streamId));
      // The parts' segments move under the upload's stream id, numbered on, their starts known.
      const kept = chosen.map((p) => p.streamId);
      await run(c, 'DELETE FROM segments WHERE stream_id = ANY($1::TEXT[])', [kept]);
      for (let i = 0; i < segments.length; i += PAGE_ROWS) {
        const chunk = segments.slice(i, i + PAGE_ROWS);
        const values = chunk.flatMap((s) => segmentRow(uploadId, s, s.part!.partOffset! + s.part!.offset));
        const tuples = chunk.map((_, r) => `(${Array.from({ length: 7 }, (_, k) => `$${r * 7 + k + 1}`).join(', ')})`);
        await run(c, `INSERT INTO segments (stream_id, idx, plain_size, plain_offset, stored_bytes, remote, record) VALUES ${tuples.join(', ')}`, values);
      }
      const dropped = await this.dropUpload(c, uploadId, new Set(kept));
      const object = committedObject(rec, this.now(), { segmentCount: segments.length, size, partCount: chosen.length }, opts.metadata);
      const old = await this.putObject(c, project, object);
      const oldSegs = await this.dropSegments(c, old ? [old.streamId] : []);
      await this.changeUsage(c, project, -(oldSegs.bytes + dropped.bytes), -(oldSegs.segs.length + dropped.segments));
      return { object, replaced: [...oldSegs.segs, ...dropped.freed].flatMap((x) => x.pieces), already: false };
    });
  }

  async listUploads(
    project: string,
    bucket: string,
    opts: { prefix?: string; keyMarker?: string; uploadMarker?: string; limit?: number },
    fit?: { bytes: number; size: (upload: UploadListing) => number }
  ): Promise<{ uploads: UploadListing[]; more: boolean }> {
    await this.bucket(this.pool, project, bucket);
    const limit = clampLimit(opts.limit);
    const page = new PageBudget(limit, fit);
    const prefix = utf8(opts.prefix ?? '');
    const end = successor(prefix);
    const values: unknown[] = [project, bucket, prefix];
    let where = 'project = $1 AND bucket = $2 AND multipart AND key >= $3';
    if (end) where += ` AND key < $${values.push(end)}`;
    // After the key marker: its later uploads when an upload marker is given, else later keys.
    if (opts.keyMarker) {
      const k = values.push(utf8(opts.keyMarker));
      where += opts.uploadMarker ? ` AND (key > $${k} OR (key = $${k} AND stream_id > $${values.push(opts.uploadMarker)}))` : ` AND key > $${k}`;
    }
    const found = await rows<{ key: Buffer; stream_id: string; created_at: number }>(
      this.pool,
      `SELECT key, stream_id, created_at FROM pending_objects WHERE ${where} ORDER BY key, stream_id LIMIT ${limit + 1}`,
      values
    );
    const uploads: UploadListing[] = [];
    for (const r of found) {
      const upload = { key: r.key.toString('utf8'), streamId: r.stream_id, createdAt: r.created_at };
      if (!page.take(upload)) return { uploads, more: true };
      uploads.push(upload);
    }
    return { uploads, more: false };
  }

  async partRange(object: ObjectRecord, partNumber: number): Promise<{ offset: number; size: number; place?: SegmentPartPlace }> {
    const segmentsFrom = this.segmentsFrom.bind(this);
    return findPartRange(
      object,
      partNumber,
      async (i) => {
        const [row] = await rows<{ record: string }>(this.pool, 'SELECT record FROM segments WHERE stream_id = $1 AND idx = $2', [object.streamId, i]);
        return row && (JSON.parse(row.record) as SegmentRecord);
      },
      async function* () {
        for await (const { segment } of segmentsFrom(object, { index: 0 })) yield segment;
      }
    );
  }

  // ---- walks and repair

  /**
   * Rows of a table keyed (stream_id, idx) in key order, a page per query, all from one snapshot
   * (a REPEATABLE READ, read-only transaction on a connection of its own for the walk), as a
   * LevelDB iterator reads one: a multipart completion moving part segments behind the walk's
   * position mid-walk must not hide them (GC would leave their pieces out of its filters).
   */
  private async *walk(table: 'segments' | 'pending_segments', filter: string): AsyncGenerator<{ stream_id: string; idx: number; record: string }> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let after: [string, number] | null = null;
      for (;;) {
        const cond: string = after ? `${filter ? `${filter} AND ` : ''}(stream_id, idx) > ($1, $2)` : filter;
        const page: { stream_id: string; idx: number; record: string }[] = await rows(
          client,
          `SELECT stream_id, idx, record FROM ${table}${cond ? ` WHERE ${cond}` : ''} ORDER BY stream_id, idx LIMIT ${PAGE_ROWS}`,
          after ?? []
        );
        for (const row of page) yield row;
        if (page.length < PAGE_ROWS) return;
        const tail = page[page.length - 1]!;
        after = [tail.stream_id, tail.idx];
      }
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      // Ended however the walk ends (the caller may stop early): the snapshot is let go.
      await client.query('ROLLBACK').catch(() => (broken = true));
      client.release(broken);
    }
  }

  async *remoteSegments(): AsyncGenerator<{ key: string; segment: SegmentRecord }> {
    for await (const row of this.walk('segments', 'remote')) {
      const segment = JSON.parse(row.record) as SegmentRecord;
      if (segment.pieces.length > 0) yield { key: segmentKey(row.stream_id, row.idx), segment };
    }
  }

  async *pendingPieces(): AsyncGenerator<PlannedPiece> {
    for await (const row of this.walk('pending_segments', '')) {
      const plan = JSON.parse(row.record) as PendingSegment;
      for (const n of plan.nodes) yield { rootPieceId: plan.rootPieceId, nodeId: n.nodeId, number: n.number };
    }
  }

  async objectSegment(project: string, bucket: string, key: string, index: number): Promise<{ key: string; segment: SegmentRecord } | undefined> {
    if (!Number.isInteger(index) || index < 0 || index > MAX_SEGMENT_INDEX) return undefined;
    const [row] = await rows<{ stream_id: string; record: string }>(
      this.pool,
      'SELECT s.stream_id, s.record FROM objects o JOIN segments s ON s.stream_id = o.stream_id AND s.idx = $4 WHERE o.project = $1 AND o.bucket = $2 AND o.key = $3',
      [project, bucket, utf8(key), index]
    );
    return row && { key: segmentKey(row.stream_id, index), segment: JSON.parse(row.record) as SegmentRecord };
  }

  async segmentByKey(key: string): Promise<SegmentRecord | undefined> {
    return this.segmentIn(this.pool, key);
  }

  /** A segment by key, its row locked with `lock` until the transaction ends. */
  private async segmentIn(c: Queryable, key: string, lock = ''): Promise<SegmentRecord | undefined> {
    const at = parseSegmentKey(key);
    if (!at) return undefined;
    const [row] = await rows<{ record: string }>(c, `SELECT record FROM segments WHERE stream_id = $1 AND idx = $2 ${lock}`, [at.streamId, at.index]);
    return row && (JSON.parse(row.record) as SegmentRecord);
  }

  private async putPieces(c: Queryable, key: string, seg: SegmentRecord): Promise<void> {
    const at = parseSegmentKey(key)!;
    await run(c, 'UPDATE segments SET record = $3 WHERE stream_id = $1 AND idx = $2', [at.streamId, at.index, JSON.stringify(seg)]);
  }

  /**
   * replacePieces inside the caller's transaction (the repair queue's commit dequeues in the same
   * one): the segment's row is locked, compared with `expected`, then written.
   */
  async replacePiecesIn(c: pg.PoolClient, key: string, expected: SegmentRecord, added: readonly SegmentPiece[]): Promise<SegmentRecord> {
    const updated = withPiecesReplaced(await this.segmentIn(c, key, 'FOR UPDATE'), expected, added);
    await this.putPieces(c, key, updated);
    return updated;
  }

  async replacePieces(key: string, expected: SegmentRecord, added: readonly SegmentPiece[]): Promise<SegmentRecord> {
    return transaction(this.pool, (c) => this.replacePiecesIn(c, key, expected, added));
  }

  async removePieces(key: string, expected: SegmentRecord, numbers: readonly number[]): Promise<SegmentRecord> {
    return transaction(this.pool, async (c) => {
      const updated = withPiecesRemoved(await this.segmentIn(c, key, 'FOR UPDATE'), expected, numbers);
      await this.putPieces(c, key, updated);
      return updated;
    });
  }
}
