// The LevelDB MetadataDB: the satellite's object metadata: buckets, objects (pending until committed), segments
// and, per piece, the node, size and Merkle root from the node's receipt. Only roots, never data;
// small objects' segments are stored inline (encrypted by the client).
import { randomBytes } from 'node:crypto';
import type { BatchOperation, Level } from 'level';
import {
  MAX_SEGMENT_INDEX,
  DEFAULT_MULTIPART_TTL_MS,
  MetadataError,
  PageBudget,
  assembleParts,
  checkBucketName,
  checkCommittable,
  checkMetadataSize,
  checkNewObject,
  checkPartNumber,
  checkPartOptions,
  checkSegmentIndex,
  checkTakesSegments,
  checkContiguous,
  chooseParts,
  clampLimit,
  commonPrefix,
  committedObject,
  findPartRange,
  inlineSegment,
  listLimit,
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
  type PartRecord,
  type UploadListing,
  type ListOptions,
  type MetadataDB,
  type ObjectRecord,
  type PendingSegment,
  type PlannedPiece,
  type ReceiptContent,
  type SegmentPiece,
  type SegmentRecord,
  type SegmentPartPlace,
  checkStorage,
  monthOf,
  type ProjectLimits,
  type ProjectUsage
} from '../../metainfo/index.js';

const SEP = '\x00';

/** A project's stored bytes and segments, as kept in the `usage` sublevel. */
interface StoredUsage {
  storedBytes: number;
  segments: number;
}

export class Metadata implements MetadataDB {
  private writes: Promise<unknown> = Promise.resolve();
  private readonly buckets;
  private readonly objects;
  private readonly segments;
  private readonly pendingSegments;
  /** Uploads begun and not committed, by stream id; `key` holds project, separator, object key. */
  private readonly pendingObjects;
  /** Per project: stored bytes and segments (StoredUsage), written in the batches that change them. */
  private readonly usageRecords;
  /** Per project and month (project, separator, YYYY-MM): bytes of GET orders given. */
  private readonly egress;
  /** Committed parts of multipart uploads: upload stream id, separator, padded part number. */
  private readonly parts;
  /** Multipart uploads in progress by project, bucket, key and stream id (ListMultipartUploads). */
  private readonly uploads;

  constructor(
    private readonly db: Level<string, unknown>,
    private readonly now: () => number,
    /** How long an object may stay uncommitted. */
    private readonly pendingTtlMs: number,
    /** How long a multipart upload may stay open. */
    private readonly multipartTtlMs = DEFAULT_MULTIPART_TTL_MS
  ) {
    this.parts = db.sublevel<string, PartRecord>('parts', { valueEncoding: 'json' });
    this.uploads = db.sublevel<string, number>('uploads', { valueEncoding: 'json' });
    this.buckets = db.sublevel<string, { name: string; createdAt: number }>('buckets', { valueEncoding: 'json' });
    this.objects = db.sublevel<string, ObjectRecord>('objects', { valueEncoding: 'json' });
    this.segments = db.sublevel<string, SegmentRecord>('segments', { valueEncoding: 'json' });
    this.pendingSegments = db.sublevel<string, PendingSegment>('pending-segments', { valueEncoding: 'json' });
    this.pendingObjects = db.sublevel<string, ObjectRecord>('pending-objects', { valueEncoding: 'json' });
    this.usageRecords = db.sublevel<string, StoredUsage>('usage', { valueEncoding: 'json' });
    this.egress = db.sublevel<string, number>('egress', { valueEncoding: 'json' });
  }

  // ---- usage

  /**
   * A project's stored usage; counted from its objects and uploads the first time it is asked for
   * (a database from before usage was kept). Called inside serial() only.
   */
  private async storedUsage(project: string): Promise<StoredUsage> {
    const kept = await this.usageRecords.get(project);
    if (kept) return kept;
    const usage: StoredUsage = { storedBytes: 0, segments: 0 };
    const streams: string[] = [];
    for await (const o of this.objects.values({ gte: project + SEP, lt: project + '\x01' })) streams.push(o.streamId);
    for await (const [streamId, o] of this.pendingObjects.iterator()) if (o.key.startsWith(project + SEP)) streams.push(streamId);
    for (const streamId of [...streams]) {
      for await (const part of this.parts.values({ gte: streamId + SEP, lt: streamId + '\x01' })) streams.push(part.streamId);
    }
    for (const streamId of streams) {
      for (const seg of await this.segmentsOf(streamId)) {
        usage.storedBytes += segmentBytes(seg);
        usage.segments++;
      }
      for await (const plan of this.pendingSegments.values({ gte: streamId + SEP, lt: streamId + '\x01' })) {
        usage.storedBytes += segmentBytes(plan);
        usage.segments++;
      }
    }
    return usage;
  }

  /** The put of a project's usage changed by `bytes` and `segments` (never below 0). */
  private async usageOp(project: string, bytes: number, segments: number): Promise<unknown> {
    const u = await this.storedUsage(project);
    const value: StoredUsage = { storedBytes: Math.max(0, u.storedBytes + bytes), segments: Math.max(0, u.segments + segments) };
    return { type: 'put', sublevel: this.usageRecords, key: project, value };
  }

  async usage(project: string): Promise<ProjectUsage> {
    const stored = await this.serial(() => this.storedUsage(project));
    const month = monthOf(this.now());
    return { ...stored, month, egressBytes: (await this.egress.get(project + SEP + month)) ?? 0 };
  }

  async addEgress(project: string, bytes: number, limits: ProjectLimits): Promise<void> {
    const key = project + SEP + monthOf(this.now());
    await this.serial(async () => {
      const used = (await this.egress.get(key)) ?? 0;
      if (bytes > 0 && used + bytes > limits.maxEgressBytesPerMonth) {
        throw new MetadataError(
          'PROJECT_BANDWIDTH_LIMIT',
          `the project was given ${used} bytes of downloads this month of its limit of ${limits.maxEgressBytesPerMonth}: ${bytes} more do not fit`
        );
      }
      await this.egress.put(key, used + bytes);
    });
  }

  // ---- buckets

  async createBucket(project: string, name: string): Promise<void> {
    checkBucketName(name);
    const key = project + SEP + name;
    if (await this.buckets.get(key)) throw new MetadataError('BUCKET_EXISTS', `bucket ${name} already exists`);
    await this.buckets.put(key, { name, createdAt: this.now() });
  }

  async listBuckets(project: string): Promise<{ name: string; createdAt: number }[]> {
    const out = [];
    for await (const b of this.buckets.values({ gte: project + SEP, lt: project + '\x01' })) out.push(b);
    return out;
  }

  /** Every bucket of every project (the admin API). */
  async allBuckets(): Promise<{ project: string; name: string; createdAt: number }[]> {
    const out = [];
    for await (const [k, b] of this.buckets.iterator()) out.push({ project: k.slice(0, k.indexOf(SEP)), name: b.name, createdAt: b.createdAt });
    return out;
  }

  async deleteBucket(project: string, name: string): Promise<{ rootPieceId: string; pieces: SegmentPiece[] }[]> {
    const range = { gte: this.objectKey(project, name, ''), lt: project + SEP + name + '\x01' };
    const refuseObjects = async (): Promise<void> => {
      for await (const _ of this.objects.keys({ ...range, limit: 1 })) throw new MetadataError('BUCKET_NOT_EMPTY', `bucket ${name} is not empty`);
    };
    await this.bucket(project, name);
    await refuseObjects();
    // Multipart uploads in progress go with the bucket (review 17 L4), as `aws s3 rb --force`
    // expects: one at a time, each in a write section of its own, so a bucket of many uploads
    // holds the write lock no longer than one abort does (review 18).
    const freed: { rootPieceId: string; pieces: SegmentPiece[] }[] = [];
    for (;;) {
      const found: string[] = [];
      for await (const k of this.uploads.keys({ ...range, limit: 100 })) found.push(k);
      if (found.length === 0) break;
      for (const k of found) {
        const uploadId = k.slice(k.lastIndexOf(SEP) + 1);
        const released = await this.serial(async () => {
          const stored = await this.pendingObjects.get(uploadId);
          if (!stored) {
            await this.uploads.del(k);
            return [];
          }
          const { ops, released: segs } = await this.dropUploadOps(uploadId, stored);
          await this.db.batch(ops as never);
          return segs;
        });
        for (const x of released) if (x.pieces.length > 0) freed.push({ rootPieceId: x.rootPieceId, pieces: x.pieces });
      }
    }
    await this.serial(async () => {
      await this.bucket(project, name);
      await refuseObjects();
      for await (const _ of this.uploads.keys({ ...range, limit: 1 })) throw new MetadataError('BUCKET_NOT_EMPTY', `a multipart upload was begun in bucket ${name} while it was deleted`);
      await this.buckets.del(project + SEP + name);
    });
    return freed;
  }

  private async bucket(project: string, name: string): Promise<void> {
    if (!(await this.buckets.get(project + SEP + name))) throw new MetadataError('BUCKET_NOT_FOUND', `no bucket ${name}`);
  }

  private objectKey(project: string, bucket: string, key: string): string {
    return project + SEP + bucket + SEP + key;
  }

  // ---- objects and segments

  async beginObject(
    project: string,
    bucket: string,
    key: string,
    opts: { metadata?: string; encryption?: string; encryptedKey?: string; expiresAt?: number | null; multipart?: boolean } = {}
  ): Promise<ObjectRecord> {
    await this.bucket(project, bucket);
    checkNewObject(key, opts);
    const rec = newObjectRecord(bucket, key, randomBytes(16).toString('hex'), this.now(), opts);
    if (opts.multipart) {
      await this.db.batch([
        { type: 'put', sublevel: this.pendingObjects, key: rec.streamId, value: { ...rec, key: project + SEP + key } },
        { type: 'put', sublevel: this.uploads, key: this.uploadKey(project, bucket, key, rec.streamId), value: rec.createdAt }
      ] as never);
    } else {
      await this.pendingObjects.put(rec.streamId, { ...rec, key: project + SEP + key });
    }
    return rec;
  }

  private uploadKey(project: string, bucket: string, key: string, streamId: string): string {
    return project + SEP + bucket + SEP + key + SEP + streamId;
  }

  private expired(rec: ObjectRecord): boolean {
    return uploadExpired(rec, this.now(), this.pendingTtlMs, this.multipartTtlMs);
  }

  private async pending(streamId: string): Promise<{ rec: ObjectRecord; project: string }> {
    const stored = await this.pendingObjects.get(streamId);
    if (!stored || this.expired(stored)) throw notPending(streamId);
    const i = stored.key.indexOf(SEP);
    return { rec: { ...stored, key: stored.key.slice(i + 1) }, project: stored.key.slice(0, i) };
  }

  async pendingPlace(streamId: string): Promise<{ project: string; bucket: string; key: string }> {
    const { rec, project } = await this.pending(streamId);
    return { project, bucket: rec.bucket, key: rec.key };
  }

  /** Records the nodes chosen for a segment; commitSegment checks the receipts against them. */
  async beginSegment(streamId: string, index: number, plan: PendingSegment, limits?: ProjectLimits): Promise<void> {
    return this.serial(async () => {
      const { rec, project } = await this.pending(streamId);
      checkTakesSegments(rec);
      checkSegmentIndex(index);
      const key = streamId + SEP + pad(index);
      // Begun again: the earlier plan's count is replaced by this one's.
      const earlier = await this.pendingSegments.get(key);
      const bytes = segmentBytes(plan) - (earlier ? segmentBytes(earlier) : 0);
      const segments = earlier ? 0 : 1;
      if (limits) checkStorage(await this.storedUsage(project), bytes, segments, limits);
      await this.db.batch([{ type: 'put', sublevel: this.pendingSegments, key, value: plan }, await this.usageOp(project, bytes, segments)] as never);
    });
  }

  /** A segment begun and not committed yet. */
  async pendingSegment(streamId: string, index: number): Promise<PendingSegment> {
    await this.pending(streamId);
    const plan = await this.pendingSegments.get(streamId + SEP + pad(index));
    if (!plan) throw segmentNotPending(index);
    return plan;
  }

  /** Replaces failed nodes of a pending segment (long tail, replacement orders). */
  async addSegmentNodes(streamId: string, index: number, nodes: { nodeId: string; number: number }[], maxNodes?: number): Promise<PendingSegment> {
    // Serialized: two rounds of replacement orders at once must not lose one's nodes.
    return this.serial(async () => {
      const key = streamId + SEP + pad(index);
      const plan = await this.pendingSegments.get(key);
      if (!plan) throw segmentNotPending(index);
      const updated = withNodes(plan, nodes, index, maxNodes);
      await this.pendingSegments.put(key, updated);
      return updated;
    });
  }

  /**
   * Stores a segment from the contents of its (signature-checked) receipts: each must come from a
   * node of the plan, for the piece id derived for that node, of the planned size; at least
   * `success` distinct pieces.
   */
  async commitSegment(streamId: string, index: number, plainSize: number, receipts: readonly ReceiptContent[]): Promise<SegmentRecord> {
    return this.serial(async () => {
      const { project } = await this.pending(streamId);
      const key = streamId + SEP + pad(index);
      const plan = await this.pendingSegments.get(key);
      if (!plan) throw segmentNotPending(index);
      const seg = remoteSegment(plan, index, plainSize, receipts, this.now());
      // The plan was counted when begun; a segment committed at this index before is replaced.
      const replaced = await this.segments.get(key);
      await this.db.batch([
        { type: 'put', sublevel: this.segments, key, value: seg },
        { type: 'del', sublevel: this.pendingSegments, key },
        ...(replaced ? [await this.usageOp(project, -segmentBytes(replaced), -1)] : [])
      ] as never);
      return seg;
    });
  }

  async commitInlineSegment(streamId: string, index: number, plainSize: number, data: Uint8Array, maxInline: number, limits?: ProjectLimits): Promise<SegmentRecord> {
    return this.serial(async () => {
      const { rec, project } = await this.pending(streamId);
      checkTakesSegments(rec);
      const seg = inlineSegment(index, plainSize, data, maxInline, this.now());
      const key = streamId + SEP + pad(index);
      // What was at this index before (a segment committed, or a plan begun) no longer counts.
      const [replaced, plan] = await Promise.all([this.segments.get(key), this.pendingSegments.get(key)]);
      const bytes = data.length - (replaced ? segmentBytes(replaced) : 0) - (plan ? segmentBytes(plan) : 0);
      const segments = 1 - (replaced ? 1 : 0) - (plan ? 1 : 0);
      if (limits) checkStorage(await this.storedUsage(project), bytes, segments, limits);
      await this.db.batch([
        { type: 'put', sublevel: this.segments, key, value: seg },
        ...(plan ? [{ type: 'del', sublevel: this.pendingSegments, key }] : []),
        await this.usageOp(project, bytes, segments)
      ] as never);
      return seg;
    });
  }

  /**
   * Makes the object visible. Segments must run from 0 without gaps. An object already at that key
   * is replaced; its pieces are returned for deletion.
   */
  async commitObject(streamId: string, opts: { metadata?: string } = {}): Promise<{ object: ObjectRecord; replaced: SegmentPiece[] }> {
    checkMetadataSize(opts.metadata);
    return this.serial(async () => {
      const { rec, project } = await this.pending(streamId);
      checkCommittable(rec);
      // The bucket may have been deleted since the upload began (it was empty then).
      await this.bucket(project, rec.bucket);
      const segs = await this.segmentsOf(streamId);
      checkContiguous(segs);
      const object = committedObject(rec, this.now(), { segmentCount: segs.length, size: segs.reduce((n, s) => n + s.plainSize, 0) }, opts.metadata);
      const okey = this.objectKey(project, rec.bucket, rec.key);
      const old = await this.objects.get(okey);
      const oldSegments = old ? await this.segmentsOf(old.streamId) : [];
      const replaced = oldSegments.flatMap((s) => s.pieces);
      // Segments begun and never committed (past the last one) are dropped: their pieces are
      // garbage now, and they count no more.
      const leftover: [string, PendingSegment][] = [];
      for await (const entry of this.pendingSegments.iterator({ gte: streamId + SEP, lt: streamId + '\x01' })) leftover.push(entry);
      const released = [...oldSegments, ...leftover.map(([, plan]) => plan)];
      await this.db.batch([
        { type: 'put', sublevel: this.objects, key: okey, value: object },
        { type: 'del', sublevel: this.pendingObjects, key: streamId },
        ...leftover.map(([k]) => ({ type: 'del', sublevel: this.pendingSegments, key: k })),
        ...(old ? await this.segmentDeletes(old.streamId) : []),
        await this.usageOp(project, -released.reduce((n, x) => n + segmentBytes(x), 0), -released.length)
      ] as never);
      return { object, replaced };
    });
  }

  /**
   * A committed object with all its segments, or (`segments: false`) the object alone: downloads
   * read their segments a page at a time with segmentsFrom().
   */
  async getObject(project: string, bucket: string, key: string, opts: { segments?: boolean } = {}): Promise<{ object: ObjectRecord; segments: SegmentRecord[] }> {
    const object = await this.objects.get(this.objectKey(project, bucket, key));
    if (!object) {
      // A bucket that does not exist is named as such: "no object x in bucket nope" sent users
      // looking for an object in a bucket they had mistyped.
      await this.bucket(project, bucket);
      throw new MetadataError('OBJECT_NOT_FOUND', `no object ${key.slice(0, 200)} in bucket ${bucket}`);
    }
    return { object, segments: opts.segments === false ? [] : await this.segmentsOf(object.streamId) };
  }

  /** Known starts of segments, per stream: index -> plain offset (see segmentsFrom). */
  private readonly segmentMarks = new Map<string, Map<number, number>>();

  /**
   * An object's segments in index order from the one `start` names (by index, or as the segment
   * holding a byte of the plaintext), each with where its plaintext starts in the object: a range
   * read of the segment records that stops when the caller stops iterating. Finding the start
   * walks the plain sizes of the segments between it and the nearest known start (segment 0, the
   * end of the object, or one remembered from an earlier page: committed segments never change
   * size and stream ids are never reused), so paging through an object reads each record about
   * once. OBJECT_RANGE_INVALID for a segment past the last or a byte at or past the end;
   * OBJECT_NOT_FOUND when the object's segments go away while they are read.
   */
  async *segmentsFrom(object: ObjectRecord, start: { index: number } | { offset: number }): AsyncGenerator<{ segment: SegmentRecord; plainOffset: number }> {
    const { streamId, segmentCount } = object;
    let first: { index: number; offset: number };
    if ('index' in start) {
      if (!Number.isInteger(start.index) || start.index < 0 || (start.index > 0 && start.index >= segmentCount)) {
        throw new MetadataError('OBJECT_RANGE_INVALID', `segment ${start.index} is past the object's last (it has ${segmentCount})`);
      }
      first = await this.locateSegment(object, start);
    } else {
      if (!Number.isFinite(start.offset) || start.offset < 0 || (start.offset > 0 && start.offset >= object.size)) {
        throw new MetadataError('OBJECT_RANGE_INVALID', `byte ${start.offset} is not in the object (${object.size} bytes)`);
      }
      first = start.offset === 0 ? { index: 0, offset: 0 } : await this.locateSegment(object, start);
    }
    let index = first.index;
    let offset = first.offset;
    let yielded: { index: number; offset: number } | null = null;
    try {
      for await (const segment of this.segments.values({ gte: streamId + SEP + pad(index), lt: streamId + '\x01' })) {
        if (segment.index !== index) break;
        yielded = { index, offset };
        yield { segment, plainOffset: offset };
        index++;
        offset += segment.plainSize;
      }
      if (index < segmentCount) throw objectGone(object);
    } finally {
      // The next page starts at the segment after the last one given, or at that one when the
      // caller could not use it.
      if (yielded) {
        this.markSegment(streamId, yielded.index, yielded.offset);
        this.markSegment(streamId, index, offset);
      }
    }
  }

  /** Remembers where a segment starts; a bounded number of marks per stream and of streams. */
  private markSegment(streamId: string, index: number, offset: number): void {
    let marks = this.segmentMarks.get(streamId);
    if (marks) this.segmentMarks.delete(streamId);
    else marks = new Map();
    this.segmentMarks.set(streamId, marks); // most recently used last
    marks.delete(index);
    marks.set(index, offset);
    if (marks.size > 64) marks.delete(marks.keys().next().value!);
    if (this.segmentMarks.size > 1024) this.segmentMarks.delete(this.segmentMarks.keys().next().value!);
  }

  /**
   * The index and start of the segment `target` names: from the nearest known start below it,
   * summing plain sizes upwards, or from the one above it, subtracting them downwards. Reads only
   * the raw records between the two, and takes the size from each without parsing all of it.
   */
  private async locateSegment(object: ObjectRecord, target: { index: number } | { offset: number }): Promise<{ index: number; offset: number }> {
    const { streamId } = object;
    const marks: [number, number][] = [[0, 0], [object.segmentCount, object.size], ...(this.segmentMarks.get(streamId) ?? [])];
    const byIndex = 'index' in target;
    const pos = byIndex ? target.index : target.offset;
    // Below: the last mark at or before the target; above: the first one after it.
    let below: [number, number] = [0, 0];
    let above: [number, number] = [object.segmentCount, object.size];
    for (const m of marks) {
      const v = byIndex ? m[0] : m[1];
      const vb = byIndex ? below[0] : below[1];
      const va = byIndex ? above[0] : above[1];
      if (v <= pos && (v > vb || (v === vb && m[0] > below[0]))) below = m;
      if (v > pos && (v < va || (v === va && m[0] < above[0]))) above = m;
      if (byIndex && v === pos) return { index: m[0], offset: m[1] };
    }
    const key = (i: number): string => streamId + SEP + pad(i);
    const sizeOf = (raw: string): number => {
      const m = /"plainSize":(\d+)/.exec(raw);
      return m ? Number(m[1]) : (JSON.parse(raw) as SegmentRecord).plainSize;
    };
    const gone = (): MetadataError => objectGone(object);
    let found: { index: number; offset: number } | null = null;
    let walked = 0;
    if ((byIndex ? pos - below[0] : pos - below[1]) <= (byIndex ? above[0] - pos : above[1] - pos)) {
      let [index, offset] = below;
      for await (const [k, raw] of this.segments.iterator<string, string>({ gte: key(index), lt: key(above[0]), keyEncoding: 'utf8', valueEncoding: 'utf8' })) {
        if (k !== key(index)) throw gone();
        if (byIndex && index === pos) break;
        const size = sizeOf(raw);
        if (!byIndex && offset + size > pos) break;
        index++;
        offset += size;
        if (++walked % 1000 === 0) this.markSegment(streamId, index, offset);
      }
      found = { index, offset };
      if (byIndex ? index !== pos : index >= above[0]) throw gone();
    } else {
      let [index, offset] = above;
      for await (const [k, raw] of this.segments.iterator<string, string>({ gte: key(below[0]), lt: key(index), reverse: true, keyEncoding: 'utf8', valueEncoding: 'utf8' })) {
        if (k !== key(index - 1)) throw gone();
        index--;
        offset -= sizeOf(raw);
        if (byIndex ? index === pos : offset <= pos) {
          found = { index, offset };
          break;
        }
        if (++walked % 1000 === 0) this.markSegment(streamId, index, offset);
      }
      if (!found) throw gone();
    }
    this.markSegment(streamId, found.index, found.offset);
    return found;
  }

  /**
   * Objects by key order; with a delimiter, keys sharing a prefix up to it come back once (the
   * keys that roll into a prefix are all consumed with it, on the same page). A page holds at most
   * `limit` entries and, with `fit`, stops before the entries' encoded sizes (`fit.size` of an
   * object or a prefix) would sum past `fit.bytes`; it always holds one entry. `nextCursor` is the
   * last key the page consumed: the next page starts right after it.
   */
  async listObjects(
    project: string,
    bucket: string,
    opts: ListOptions = {},
    fit?: { bytes: number; size: (entry: ObjectRecord | string) => number }
  ): Promise<{ objects: ObjectRecord[]; prefixes: string[]; nextCursor: string | null }> {
    await this.bucket(project, bucket);
    const page = new PageBudget(listLimit(opts.limit), fit);
    const prefix = opts.prefix ?? '';
    const base = project + SEP + bucket + SEP;
    // From the prefix, or after the cursor when that is further on (keys order by their UTF-8 bytes).
    const after = opts.cursor !== undefined ? base + opts.cursor + '\x00' : '';
    const start = Buffer.compare(Buffer.from(after), Buffer.from(base + prefix)) > 0 ? after : base + prefix;
    const objects: ObjectRecord[] = [];
    const prefixes: string[] = [];
    let last: string | null = null;
    // Up to the end of the bucket: the loop stops at the first key outside the prefix (a bound of
    // prefix + '\uffff' would miss keys going on with a character beyond U+FFFF).
    for await (const [k, rec] of this.objects.iterator({ gte: start, lt: project + SEP + bucket + '\x01' })) {
      const key = k.slice(base.length);
      if (!key.startsWith(prefix)) break;
      const p = commonPrefix(key, prefix, opts.delimiter);
      if (p === null || prefixes[prefixes.length - 1] !== p) {
        if (!page.take(p ?? rec)) return { objects, prefixes, nextCursor: last };
        if (p === null) objects.push(rec);
        else prefixes.push(p);
      }
      last = key;
    }
    return { objects, prefixes, nextCursor: null };
  }

  /** Removes the object's metadata at once and returns its pieces for deletion from the nodes. */
  async deleteObject(project: string, bucket: string, key: string): Promise<{ rootPieceId: string; pieces: SegmentPiece[] }[]> {
    return this.serial(async () => {
      const { object, segments } = await this.getObject(project, bucket, key);
      await this.db.batch([
        { type: 'del', sublevel: this.objects, key: this.objectKey(project, bucket, key) },
        ...(await this.segmentDeletes(object.streamId)),
        await this.usageOp(project, -segments.reduce((n, x) => n + segmentBytes(x), 0), -segments.length)
      ] as never);
      return segments.filter((s) => s.pieces.length > 0).map((s) => ({ rootPieceId: s.rootPieceId, pieces: s.pieces }));
    });
  }

  /** Drops uploads begun longer ago than the pending TTL; returns how many. */
  async expirePending(): Promise<number> {
    const old: string[] = [];
    for await (const [streamId, rec] of this.pendingObjects.iterator()) {
      if (this.expired(rec)) old.push(streamId);
    }
    for (const streamId of old) {
      await this.serial(async () => {
        const rec = await this.pendingObjects.get(streamId);
        if (!rec) return;
        if (rec.multipart) {
          await this.db.batch((await this.dropUploadOps(streamId, rec)).ops as never);
          return;
        }
        const project = rec.key.slice(0, rec.key.indexOf(SEP));
        const pendingSegs: [string, PendingSegment][] = [];
        for await (const entry of this.pendingSegments.iterator({ gte: streamId + SEP, lt: streamId + '\x01' })) pendingSegs.push(entry);
        const released = [...(await this.segmentsOf(streamId)), ...pendingSegs.map(([, plan]) => plan)];
        await this.db.batch([
          { type: 'del', sublevel: this.pendingObjects, key: streamId },
          ...pendingSegs.map(([k]) => ({ type: 'del', sublevel: this.pendingSegments, key: k })),
          ...(await this.segmentDeletes(streamId)),
          await this.usageOp(project, -released.reduce((n, x) => n + segmentBytes(x), 0), -released.length)
        ] as never);
      });
    }
    return old.length;
  }

  // ---- multipart uploads

  async beginPart(uploadId: string, partNumber: number): Promise<ObjectRecord> {
    const { rec, project } = await this.upload(uploadId);
    checkPartNumber(partNumber);
    // Part streams are named under their upload, so the upload's end finds them by a range read.
    const part = partUploadRecord(rec, uploadId, partNumber, randomBytes(8).toString('hex'), this.now());
    await this.pendingObjects.put(part.streamId, { ...part, key: project + SEP + rec.key });
    return part;
  }

  /** A multipart upload in progress; NO_SUCH_UPLOAD when there is none. */
  private async upload(uploadId: string): Promise<{ rec: ObjectRecord; project: string }> {
    let found;
    try {
      found = await this.pending(uploadId);
    } catch (err) {
      if ((err as MetadataError).code === 'OBJECT_NOT_PENDING') throw noSuchUpload(uploadId);
      throw err;
    }
    if (!found.rec.multipart) throw new MetadataError('NO_SUCH_UPLOAD', `stream ${uploadId.slice(0, 32)} is not a multipart upload`);
    return found;
  }

  async commitPart(partStreamId: string, opts: { salt: string; info: string }): Promise<{ part: PartRecord; replaced: SegmentPiece[] }> {
    checkPartOptions(opts);
    return this.serial(async () => {
      const { rec, project } = await this.pending(partStreamId);
      if (!rec.part) throw new MetadataError('OBJECT_NOT_PART', `stream ${partStreamId.slice(0, 40)} is not a part upload`);
      await this.upload(rec.part.upload);
      const part = partRecord(rec, partStreamId, await this.segmentsOf(partStreamId), opts, this.now());
      const partKey = rec.part.upload + SEP + pad(part.number);
      const old = await this.parts.get(partKey);
      const oldSegments = old ? await this.segmentsOf(old.streamId) : [];
      const leftover: [string, PendingSegment][] = [];
      for await (const entry of this.pendingSegments.iterator({ gte: partStreamId + SEP, lt: partStreamId + '\x01' })) leftover.push(entry);
      const released = [...oldSegments, ...leftover.map(([, plan]) => plan)];
      await this.db.batch([
        { type: 'put', sublevel: this.parts, key: partKey, value: part },
        { type: 'del', sublevel: this.pendingObjects, key: partStreamId },
        ...leftover.map(([k]) => ({ type: 'del', sublevel: this.pendingSegments, key: k })),
        ...(old ? await this.segmentDeletes(old.streamId) : []),
        await this.usageOp(project, -released.reduce((n, x) => n + segmentBytes(x), 0), -released.length)
      ] as never);
      return { part, replaced: oldSegments.flatMap((x) => x.pieces) };
    });
  }

  async listParts(
    uploadId: string,
    opts: { after?: number; limit?: number },
    fit?: { bytes: number; size: (part: PartRecord) => number }
  ): Promise<{ parts: PartRecord[]; more: boolean; encryptedKey: string; metadata: string }> {
    const { rec } = await this.upload(uploadId);
    const limit = clampLimit(opts.limit);
    const page = new PageBudget(limit, fit);
    const parts: PartRecord[] = [];
    for await (const p of this.parts.values({ gt: uploadId + SEP + pad(opts.after ?? 0), lt: uploadId + '\x01', limit: limit + 1 })) {
      if (!page.take(p)) return { parts, more: true, encryptedKey: rec.encryptedKey ?? '', metadata: rec.metadata };
      parts.push(p);
    }
    return { parts, more: false, encryptedKey: rec.encryptedKey ?? '', metadata: rec.metadata };
  }

  /**
   * The writes that remove an upload and everything of it (parts, part uploads in progress, their
   * segments), and the segments they free. Called inside serial() only.
   */
  private async dropUpload(
    uploadId: string,
    rec: ObjectRecord,
    keep: ReadonlySet<string> = new Set()
  ): Promise<{ ops: unknown[]; released: SegmentRecord[]; counted: (SegmentRecord | PendingSegment)[]; project: string }> {
    const project = rec.key.includes(SEP) ? rec.key.slice(0, rec.key.indexOf(SEP)) : '';
    const ops: unknown[] = [];
    const released: (SegmentRecord | PendingSegment)[] = [];
    const freed: SegmentRecord[] = [];
    for await (const [k, part] of this.parts.iterator({ gte: uploadId + SEP, lt: uploadId + '\x01' })) {
      ops.push({ type: 'del', sublevel: this.parts, key: k });
      if (keep.has(part.streamId)) continue;
      const segs = await this.segmentsOf(part.streamId);
      append(released, segs);
      append(freed, segs);
      append(ops, await this.segmentDeletes(part.streamId));
    }
    // Part uploads still in progress (named upload + '.' + random).
    for await (const [streamId] of this.pendingObjects.iterator({ gt: uploadId + '.', lt: uploadId + '/' })) {
      ops.push({ type: 'del', sublevel: this.pendingObjects, key: streamId });
      const segs = await this.segmentsOf(streamId);
      append(released, segs);
      append(freed, segs);
      append(ops, await this.segmentDeletes(streamId));
      for await (const [k, plan] of this.pendingSegments.iterator({ gte: streamId + SEP, lt: streamId + '\x01' })) {
        ops.push({ type: 'del', sublevel: this.pendingSegments, key: k });
        released.push(plan);
      }
    }
    ops.push({ type: 'del', sublevel: this.pendingObjects, key: uploadId });
    const stored = await this.pendingObjects.get(uploadId);
    if (stored) {
      const key = stored.key.slice(stored.key.indexOf(SEP) + 1);
      ops.push({ type: 'del', sublevel: this.uploads, key: this.uploadKey(project, stored.bucket, key, uploadId) });
    }
    return { ops, released: freed, counted: released, project };
  }

  /** dropUpload's writes with the project's usage lowered by what they free. */
  private async dropUploadOps(uploadId: string, rec: ObjectRecord): Promise<{ ops: unknown[]; released: SegmentRecord[] }> {
    const { ops, released, counted, project } = await this.dropUpload(uploadId, rec);
    if (project) ops.push(await this.usageOp(project, -counted.reduce((n, x) => n + segmentBytes(x), 0), -counted.length));
    return { ops, released };
  }

  async abortMultipart(uploadId: string): Promise<{ rootPieceId: string; pieces: SegmentPiece[] }[]> {
    return this.serial(async () => {
      await this.upload(uploadId);
      const stored = (await this.pendingObjects.get(uploadId))!;
      const { ops, released } = await this.dropUploadOps(uploadId, stored);
      await this.db.batch(ops as never);
      return released.filter((x) => x.pieces.length > 0).map((x) => ({ rootPieceId: x.rootPieceId, pieces: x.pieces }));
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
    return this.serial(async () => {
      const okey = this.objectKey(project, bucket, key);
      const stored = await this.pendingObjects.get(uploadId);
      if (!stored || !stored.multipart || this.expired(stored)) {
        // Completed before (a client retrying a Complete whose answer it lost): that object.
        const done = await this.objects.get(okey);
        if (done && done.streamId === uploadId) return { object: done, replaced: [], already: true };
        throw noSuchUpload(uploadId);
      }
      const { rec } = await this.pending(uploadId);
      if (stored.key !== project + SEP + key || rec.bucket !== bucket) {
        throw new MetadataError('NO_SUCH_UPLOAD', `multipart upload ${uploadId.slice(0, 32)} is not for ${bucket}/${key.slice(0, 200)}`);
      }
      await this.bucket(project, bucket);
      // Refused before any segment is read: the walk below holds the write lock (review 17 H3).
      const chosen = await chooseParts(parts, (n) => this.parts.get(uploadId + SEP + pad(n)));
      const { segments, size } = await assembleParts(chosen, (streamId) => this.segmentsOf(streamId));
      const ops: unknown[] = segments.map((moved) => ({ type: 'put', sublevel: this.segments, key: uploadId + SEP + pad(moved.index), value: moved }));
      for (const part of chosen) append(ops, await this.segmentDeletes(part.streamId));
      const { ops: dropOps, released, counted } = await this.dropUpload(uploadId, stored, new Set(chosen.map((p) => p.streamId)));
      const object = committedObject(rec, this.now(), { segmentCount: segments.length, size, partCount: chosen.length }, opts.metadata);
      const old = await this.objects.get(okey);
      const oldSegments = old ? await this.segmentsOf(old.streamId) : [];
      await this.db.batch([
        ...ops,
        ...dropOps,
        { type: 'put', sublevel: this.objects, key: okey, value: object },
        ...(old ? await this.segmentDeletes(old.streamId) : []),
        await this.usageOp(project, -[...oldSegments, ...counted].reduce((n, x) => n + segmentBytes(x), 0), -(oldSegments.length + counted.length))
      ] as never);
      return { object, replaced: [...oldSegments, ...released].flatMap((x) => x.pieces), already: false };
    });
  }

  async listUploads(
    project: string,
    bucket: string,
    opts: { prefix?: string; keyMarker?: string; uploadMarker?: string; limit?: number },
    fit?: { bytes: number; size: (upload: UploadListing) => number }
  ): Promise<{ uploads: UploadListing[]; more: boolean }> {
    await this.bucket(project, bucket);
    const page = new PageBudget(clampLimit(opts.limit), fit);
    const base = project + SEP + bucket + SEP;
    const prefix = opts.prefix ?? '';
    // After the key marker: its later uploads when an upload marker is given, else later keys.
    const after = opts.keyMarker ? base + opts.keyMarker + SEP + (opts.uploadMarker ? opts.uploadMarker : '\x7f') : '';
    const start = Buffer.compare(Buffer.from(after), Buffer.from(base + prefix)) > 0 ? after : base + prefix;
    const uploads: UploadListing[] = [];
    const range = start === after ? { gt: start, lt: project + SEP + bucket + '\x01' } : { gte: start, lt: project + SEP + bucket + '\x01' };
    for await (const [k, createdAt] of this.uploads.iterator(range)) {
      const rest = k.slice(base.length);
      const cut = rest.lastIndexOf(SEP);
      const key = rest.slice(0, cut);
      if (!key.startsWith(prefix)) break;
      const upload = { key, streamId: rest.slice(cut + 1), createdAt };
      if (!page.take(upload)) return { uploads, more: true };
      uploads.push(upload);
    }
    return { uploads, more: false };
  }

  /**
   * A binary search of the object's segment records by part number (parts ascend with segment
   * index): about 20 reads for a million segments, not a walk (review 17 H3). Objects completed
   * before segments kept their part's offset are walked.
   */
  async partRange(object: ObjectRecord, partNumber: number): Promise<{ offset: number; size: number; place?: SegmentPartPlace }> {
    return findPartRange(
      object,
      partNumber,
      (i) => this.segments.get(object.streamId + SEP + pad(i)),
      () => this.segments.values({ gte: object.streamId + SEP, lt: object.streamId + '\x01' })
    );
  }

  /** Every segment with pieces on nodes, one at a time (the audit and repair loops walk these). */
  async *remoteSegments(): AsyncGenerator<{ key: string; segment: SegmentRecord }> {
    for await (const [key, segment] of this.segments.iterator()) if (segment.pieces.length > 0) yield { key, segment };
  }

  /** Every piece planned for segments not committed yet (uploads in progress). */
  async *pendingPieces(): AsyncGenerator<PlannedPiece> {
    for await (const plan of this.pendingSegments.values()) for (const n of plan.nodes) yield { rootPieceId: plan.rootPieceId, nodeId: n.nodeId, number: n.number };
  }

  /** A committed object's segment with the key remoteSegments() gives it; undefined when there is none. */
  async objectSegment(project: string, bucket: string, key: string, index: number): Promise<{ key: string; segment: SegmentRecord } | undefined> {
    const object = await this.objects.get(this.objectKey(project, bucket, key));
    if (!object || !Number.isInteger(index) || index < 0 || index > MAX_SEGMENT_INDEX) return undefined;
    const segKey = object.streamId + SEP + pad(index);
    const segment = await this.segments.get(segKey);
    return segment ? { key: segKey, segment } : undefined;
  }

  /** A segment by the key remoteSegments() gave; undefined once its object is gone. */
  async segmentByKey(key: string): Promise<SegmentRecord | undefined> {
    return this.segments.get(key);
  }

  /**
   * Replaces pieces of a segment after repair, in one batch with `extraOps` (the repair queue's
   * entry): each new piece takes the place of the old piece with its number. Fails when the
   * segment is gone or changed since `expected` was read (a delete, another repair).
   */
  async replacePieces(key: string, expected: SegmentRecord, added: readonly SegmentPiece[], extraOps: BatchOperation<Level<string, unknown>, string, unknown>[] = []): Promise<SegmentRecord> {
    return this.serial(async () => {
      const updated = withPiecesReplaced(await this.segments.get(key), expected, added);
      await this.db.batch([{ type: 'put', sublevel: this.segments, key, value: updated }, ...extraOps] as never);
      return updated;
    });
  }

  /** Drops pieces of a segment by number; SEGMENT_CHANGED as replacePieces. */
  async removePieces(key: string, expected: SegmentRecord, numbers: readonly number[]): Promise<SegmentRecord> {
    return this.serial(async () => {
      const updated = withPiecesRemoved(await this.segments.get(key), expected, numbers);
      await this.segments.put(key, updated);
      return updated;
    });
  }

  /**
   * Runs the writes of segments and objects one after another. Each reads, checks and then
   * writes with awaits between: a repair's replacePieces interleaved with the object's delete
   * would write the deleted segment back (an orphan repaired and audited forever), two commits
   * of one key would each delete what the other kept.
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(() => fn());
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async segmentsOf(streamId: string): Promise<SegmentRecord[]> {
    const out: SegmentRecord[] = [];
    for await (const s of this.segments.values({ gte: streamId + SEP, lt: streamId + '\x01' })) out.push(s);
    return out;
  }

  private async segmentDeletes(streamId: string): Promise<unknown[]> {
    const ops: unknown[] = [];
    for await (const k of this.segments.keys({ gte: streamId + SEP, lt: streamId + '\x01' })) ops.push({ type: 'del', sublevel: this.segments, key: k });
    return ops;
  }
}

/** Appends in a loop: push(...items) throws past ~130,000 items (review 17 H2). */
function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

function pad(index: number): string {
  return String(index).padStart(8, '0');
}
