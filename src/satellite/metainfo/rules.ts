// The metadata store's rules every backend applies alike: what a name, key, size or receipt must be,
// how a segment record is made from its plan, what a segment counts toward usage, how a page of a
// listing is cut and where a part lies in an object completed from parts. Pure: no storage here.
import { partProofs, placeParts } from '../../protocol/index.js';
import { derivePieceId } from '../orders/index.js';
import {
  MAX_KEY_BYTES,
  MAX_LIST_LIMIT,
  MAX_METADATA_BYTES,
  MAX_PART_INFO_BYTES,
  MAX_PART_NUMBER,
  MAX_PART_SALT_BYTES,
  MAX_SEGMENT_INDEX,
  MAX_WRAPPED_KEY_BYTES,
  type ObjectRecord,
  type PartRecord,
  type PendingSegment,
  type ReceiptContent,
  type SegmentPartPlace,
  type SegmentPiece,
  type SegmentRecord
} from './db.js';
import { MetadataError } from './errors.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** BUCKET_NAME_INVALID unless 3-63 characters of a-z, 0-9, '.' and '-', a letter or digit at each end. */
export function checkBucketName(name: string): void {
  if (!BUCKET_NAME.test(name)) {
    throw new MetadataError('BUCKET_NAME_INVALID', `bucket name '${name.slice(0, 80)}' must be 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit`);
  }
}

/** Base64 metadata longer than MAX_METADATA_BYTES decoded is refused. */
export function checkMetadataSize(metadata: string | undefined): void {
  if ((metadata?.length ?? 0) > Math.ceil((MAX_METADATA_BYTES * 4) / 3) + 4) {
    throw new MetadataError('OBJECT_METADATA_TOO_LARGE', `object metadata is at most ${MAX_METADATA_BYTES} bytes`);
  }
}

/** What beginObject refuses: a key of 0 or too many bytes, a wrapped key or metadata too large. */
export function checkNewObject(key: string, opts: { metadata?: string; encryptedKey?: string }): void {
  if (key.length === 0 || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new MetadataError('OBJECT_KEY_INVALID', `object keys are 1 to ${MAX_KEY_BYTES} bytes`);
  }
  if ((opts.encryptedKey?.length ?? 0) > Math.ceil(MAX_WRAPPED_KEY_BYTES / 3) * 4) throw new MetadataError('OBJECT_METADATA_TOO_LARGE', `a wrapped object key is at most ${MAX_WRAPPED_KEY_BYTES} bytes`);
  checkMetadataSize(opts.metadata);
}

/** A new upload's record (pending, a fresh stream id's). */
export function newObjectRecord(
  bucket: string,
  key: string,
  streamId: string,
  createdAt: number,
  opts: { metadata?: string; encryption?: string; encryptedKey?: string; expiresAt?: number | null; multipart?: boolean }
): ObjectRecord {
  return {
    bucket,
    key,
    streamId,
    status: 'pending',
    createdAt,
    committedAt: null,
    size: 0,
    segmentCount: 0,
    metadata: opts.metadata ?? '',
    encryption: opts.encryption ?? '',
    encryptedKey: opts.encryptedKey ?? '',
    expiresAt: opts.expiresAt ?? null,
    ...(opts.multipart ? { multipart: true } : {})
  };
}

/** Whether an upload begun at `createdAt` is past its time to live (a multipart upload's or a single one's). */
export function uploadExpired(rec: ObjectRecord, now: number, pendingTtlMs: number, multipartTtlMs: number): boolean {
  return now - rec.createdAt > (rec.multipart ? multipartTtlMs : pendingTtlMs);
}

export function notPending(streamId: string): MetadataError {
  return new MetadataError('OBJECT_NOT_PENDING', `no upload in progress for stream ${streamId.slice(0, 32)} (never begun, committed or expired)`);
}

export function noSuchUpload(uploadId: string): MetadataError {
  return new MetadataError('NO_SUCH_UPLOAD', `no multipart upload ${uploadId.slice(0, 32)} in progress (never begun, completed, aborted or expired)`);
}

export function objectGone(object: ObjectRecord): MetadataError {
  return new MetadataError('OBJECT_NOT_FOUND', `object ${object.key.slice(0, 200)} was deleted or replaced while it was read`);
}

/** A single upload takes segments; a multipart upload takes them through its parts. */
export function checkTakesSegments(rec: ObjectRecord): void {
  if (rec.multipart) throw new MetadataError('OBJECT_IS_MULTIPART', 'a multipart upload takes its segments through its parts (BeginPart)');
}

/** A single upload ends with CommitObject, not a multipart upload or a part upload. */
export function checkCommittable(rec: ObjectRecord): void {
  if (rec.multipart || rec.part) throw new MetadataError(rec.multipart ? 'OBJECT_IS_MULTIPART' : 'OBJECT_IS_PART', rec.multipart ? 'a multipart upload ends with CompleteMultipart' : 'a part upload ends with CommitPart');
}

export function checkSegmentIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_SEGMENT_INDEX) {
    throw new MetadataError('SEGMENT_INDEX_INVALID', `segment index ${index} is not 0 to ${MAX_SEGMENT_INDEX}`);
  }
}

/**
 * The plan with `nodes` added; SEGMENT_REPLACEMENT_LIMIT when it would then hold more than
 * `maxNodes` (checked where the plan is written, so requests racing through several satellite
 * processes cannot pass it together).
 */
export function withNodes(plan: PendingSegment, nodes: readonly { nodeId: string; number: number }[], index: number, maxNodes = Infinity): PendingSegment {
  if (plan.nodes.length + nodes.length > maxNodes) {
    throw new MetadataError(
      'SEGMENT_REPLACEMENT_LIMIT',
      `segment ${index} was given ${plan.nodes.length - plan.profile.total} replacement nodes of the ${maxNodes - plan.profile.total} allowed: ${nodes.length} more are too many`
    );
  }
  return { ...plan, nodes: [...plan.nodes, ...nodes] };
}

export function segmentNotPending(index: number): MetadataError {
  return new MetadataError('SEGMENT_NOT_PENDING', `segment ${index} was not begun`);
}

/** What a segment counts toward its project's storage: a remote one its encrypted size (piece size x k), an inline one its bytes. */
export function segmentBytes(seg: SegmentRecord | PendingSegment): number {
  if ('inline' in seg && seg.inline !== null) return Buffer.byteLength(seg.inline, 'base64');
  return seg.pieceSize * seg.profile.minimum;
}

/** The bytes and count of segments (or plans) together, as usage changes by them. */
export function usageOf(segs: readonly (SegmentRecord | PendingSegment)[]): { bytes: number; segments: number } {
  return { bytes: segs.reduce((n, x) => n + segmentBytes(x), 0), segments: segs.length };
}

/**
 * The segment a plan becomes from the contents of its (signature-checked) receipts: each must come
 * from a node of the plan, for the piece id derived for that node, of the planned size; at least
 * `success` distinct pieces.
 */
export function remoteSegment(plan: PendingSegment, index: number, plainSize: number, receipts: readonly ReceiptContent[], createdAt: number): SegmentRecord {
  if (receipts.length > plan.nodes.length) {
    throw new MetadataError('RECEIPT_INVALID', `${receipts.length} receipts for ${plan.nodes.length} chosen nodes`);
  }
  if (!Number.isSafeInteger(plainSize) || plainSize < 0 || plainSize > plan.pieceSize * plan.profile.minimum) {
    throw new MetadataError('SEGMENT_SIZE_INVALID', `a segment of k=${plan.profile.minimum} pieces of ${plan.pieceSize} bytes holds at most ${plan.pieceSize * plan.profile.minimum} bytes`);
  }
  const root = Buffer.from(plan.rootPieceId, 'hex');
  const pieces = new Map<number, SegmentPiece>();
  for (const r of receipts) {
    const slot = plan.nodes.find((n) => n.nodeId === r.nodeId);
    if (!slot) throw new MetadataError('RECEIPT_INVALID', `receipt from ${r.nodeId}, a node not chosen for this segment`);
    if (hex(derivePieceId(root, r.nodeId, slot.number)) !== hex(r.pieceId)) {
      throw new MetadataError('RECEIPT_INVALID', `receipt from ${r.nodeId} names another piece`);
    }
    if (r.size !== plan.pieceSize) throw new MetadataError('RECEIPT_INVALID', `receipt from ${r.nodeId} says ${r.size} bytes, pieces are ${plan.pieceSize}`);
    pieces.set(slot.number, { number: slot.number, nodeId: r.nodeId, size: r.size, root: hex(r.root) });
  }
  if (pieces.size < plan.profile.success) {
    throw new MetadataError('SEGMENT_TOO_FEW_PIECES', `${pieces.size} pieces stored, ${plan.profile.success} are needed`);
  }
  return {
    index,
    plainSize,
    pieceSize: plan.pieceSize,
    rootPieceId: plan.rootPieceId,
    profile: plan.profile,
    pieces: [...pieces.values()].sort((a, b) => a.number - b.number),
    inline: null,
    createdAt
  };
}

/** An inline segment's record, its size and index checked. */
export function inlineSegment(index: number, plainSize: number, data: Uint8Array, maxInline: number, createdAt: number): SegmentRecord {
  if (data.length > maxInline) throw new MetadataError('SEGMENT_TOO_LARGE_INLINE', `inline segments are at most ${maxInline} bytes`);
  checkSegmentIndex(index);
  // The data is the sealed plaintext (ciphertext and tag): never shorter than what it holds.
  if (!Number.isSafeInteger(plainSize) || plainSize < 0 || plainSize > data.length) {
    throw new MetadataError('SEGMENT_SIZE_INVALID', `an inline segment of ${data.length} bytes holds at most ${data.length} bytes, not ${plainSize}`);
  }
  return {
    index,
    plainSize,
    pieceSize: 0,
    rootPieceId: '',
    profile: { minimum: 0, repair: 0, success: 0, total: 0 },
    pieces: [],
    inline: Buffer.from(data).toString('base64'),
    createdAt
  };
}

/** OBJECT_SEGMENTS_MISSING unless the segments (in index order) run from 0 without gaps; `of` names whose. */
export function checkContiguous(segs: readonly { index: number }[], of = ''): void {
  segs.forEach((s, i) => {
    if (s.index !== i) throw new MetadataError('OBJECT_SEGMENTS_MISSING', `segment ${i}${of} was never committed`);
  });
}

/** A part's salt (hex) and sealed metadata (base64) within their limits. */
export function checkPartOptions(opts: { salt: string; info: string }): void {
  if (opts.salt.length > MAX_PART_SALT_BYTES * 2 || !/^[0-9a-f]*$/.test(opts.salt)) throw new MetadataError('PART_SALT_INVALID', `a part's salt is at most ${MAX_PART_SALT_BYTES} bytes`);
  if (opts.info.length > Math.ceil((MAX_PART_INFO_BYTES * 4) / 3) + 4) throw new MetadataError('OBJECT_METADATA_TOO_LARGE', `a part's metadata is at most ${MAX_PART_INFO_BYTES} bytes`);
}

export function validPartNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_PART_NUMBER;
}

export function checkPartNumber(n: number): void {
  if (!validPartNumber(n)) throw new MetadataError('PART_NUMBER_INVALID', `part numbers are 1 to ${MAX_PART_NUMBER}, not ${n}`);
}

/** A part upload's pending record: a stream of its own named under its upload (so a range read finds it). */
export function partUploadRecord(upload: ObjectRecord, uploadId: string, partNumber: number, suffix: string, createdAt: number): ObjectRecord {
  const part: ObjectRecord = { ...upload, streamId: `${uploadId}.${suffix}`, multipart: false, part: { upload: uploadId, number: partNumber }, createdAt };
  delete part.multipart;
  return part;
}

/** The committed part made from a part upload's segments (from 0, without gaps, at least one). */
export function partRecord(rec: ObjectRecord, partStreamId: string, segs: readonly SegmentRecord[], opts: { salt: string; info: string }, committedAt: number): PartRecord {
  checkContiguous(segs, ' of the part');
  if (segs.length === 0) throw new MetadataError('OBJECT_SEGMENTS_MISSING', 'the part has no segment');
  return {
    number: rec.part!.number,
    streamId: partStreamId,
    size: segs.reduce((n, x) => n + x.plainSize, 0),
    segmentCount: segs.length,
    salt: opts.salt,
    info: opts.info,
    committedAt
  };
}

/**
 * The parts a CompleteMultipart names, checked in order against the upload's (`find` reads one by
 * number): PART_ORDER_INVALID unless at least one and ascending, PART_NOT_FOUND for a part not
 * uploaded or uploaded again since it was listed, SEGMENT_INDEX_INVALID past the segment limit.
 */
export async function chooseParts(parts: readonly { number: number; streamId: string }[], find: (n: number) => Promise<PartRecord | undefined>): Promise<PartRecord[]> {
  if (parts.length === 0) throw new MetadataError('PART_ORDER_INVALID', 'a multipart upload is completed from at least one part');
  const chosen: PartRecord[] = [];
  for (const [i, p] of parts.entries()) {
    if (i > 0 && p.number <= parts[i - 1]!.number) throw new MetadataError('PART_ORDER_INVALID', `part ${p.number} follows part ${parts[i - 1]!.number}: parts are listed in ascending order`);
    const part = validPartNumber(p.number) ? await find(p.number) : undefined;
    if (!part || part.streamId !== p.streamId) throw new MetadataError('PART_NOT_FOUND', `part ${p.number} was not uploaded (or was uploaded again since it was listed)`);
    chosen.push(part);
  }
  // Refused before any segment record is read.
  if (chosen.reduce((n, p) => n + p.segmentCount, 0) > MAX_SEGMENT_INDEX + 1) throw tooManySegments();
  return chosen;
}

function tooManySegments(): MetadataError {
  return new MetadataError('SEGMENT_INDEX_INVALID', `an object has at most ${MAX_SEGMENT_INDEX + 1} segments`);
}

/**
 * The object's segments made from its parts' (each part's read in index order by `segmentsOf`),
 * numbered on, each with its place in its part and the part's leaf and proof in the parts tree
 * (PROTOCOL.md, format v3); and the object's size.
 */
export async function assembleParts(
  chosen: readonly PartRecord[],
  segmentsOf: (streamId: string) => Promise<readonly SegmentRecord[]>
): Promise<{ segments: SegmentRecord[]; size: number }> {
  const segments: SegmentRecord[] = [];
  let size = 0;
  const proofs = partProofs(placeParts(chosen.map((p) => ({ number: p.number, size: p.size, salt: Buffer.from(p.salt, 'hex') }))));
  for (const [leaf, part] of chosen.entries()) {
    const proof = proofs[leaf]!.map((h) => Buffer.from(h).toString('base64'));
    // A part's segments are read in index order: each starts where the ones before it end.
    let offset = 0;
    for (const seg of await segmentsOf(part.streamId)) {
      if (segments.length > MAX_SEGMENT_INDEX) throw tooManySegments();
      segments.push({ ...seg, index: segments.length, part: { number: part.number, index: seg.index, offset, size: part.size, salt: part.salt, partOffset: size, leaf, proof } });
      offset += seg.plainSize;
    }
    size += part.size;
  }
  return { segments, size };
}

/** The object a commit makes of its upload record. */
export function committedObject(rec: ObjectRecord, committedAt: number, fields: { segmentCount: number; size: number; partCount?: number }, metadata: string | undefined): ObjectRecord {
  return { ...rec, status: 'committed', committedAt, ...(metadata !== undefined ? { metadata } : {}), ...fields };
}

/**
 * Where part `partNumber` lies in an object completed from parts: a binary search of its segment
 * records by part number (parts ascend with segment index; `at` reads one), about 20 reads for a
 * million segments. Objects completed before segments kept their part's offset are walked (`walk`
 * gives the object's segments in order). PART_NOT_FOUND when it has none such.
 */
export async function findPartRange(
  object: ObjectRecord,
  partNumber: number,
  at: (index: number) => Promise<SegmentRecord | undefined>,
  walk: () => AsyncIterable<SegmentRecord>
): Promise<{ offset: number; size: number; place?: SegmentPartPlace }> {
  const notFound = (): MetadataError => new MetadataError('PART_NOT_FOUND', `the object has no part ${partNumber}`);
  if (!object.partCount || !validPartNumber(partNumber)) throw notFound();
  const read = async (i: number): Promise<SegmentRecord> => {
    const seg = await at(i);
    if (!seg) throw objectGone(object);
    return seg;
  };
  // The first segment whose part number is at least partNumber.
  let lo = 0;
  let hi = object.segmentCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (((await read(mid)).part?.number ?? 0) < partNumber) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= object.segmentCount) throw notFound();
  const first = await read(lo);
  if (first.part?.number !== partNumber) throw notFound();
  if (first.part.partOffset !== undefined) return { offset: first.part.partOffset, size: first.part.size, place: first.part };
  let offset = 0;
  for await (const seg of walk()) {
    if (!seg.part || seg.part.number > partNumber) break;
    if (seg.part.number === partNumber) return { offset, size: seg.part.size };
    offset += seg.plainSize;
  }
  throw notFound();
}

/** SEGMENT_CHANGED unless the segment is there with the pieces `expected` was read with. */
function checkUnchanged(now: SegmentRecord | undefined, expected: SegmentRecord): asserts now is SegmentRecord {
  if (!now || !samePieces(now.pieces, expected.pieces)) {
    throw new MetadataError('SEGMENT_CHANGED', 'the segment was deleted or changed while it was repaired');
  }
}

function samePieces(a: readonly SegmentPiece[], b: readonly SegmentPiece[]): boolean {
  return a.length === b.length && a.every((p, i) => p.number === b[i]!.number && p.nodeId === b[i]!.nodeId && p.size === b[i]!.size && p.root === b[i]!.root);
}

/** The segment after a repair: each added piece takes the place of the piece with its number. SEGMENT_CHANGED when stale. */
export function withPiecesReplaced(now: SegmentRecord | undefined, expected: SegmentRecord, added: readonly SegmentPiece[]): SegmentRecord {
  checkUnchanged(now, expected);
  const numbers = new Set(added.map((p) => p.number));
  const pieces = [...now.pieces.filter((p) => !numbers.has(p.number)), ...added].sort((a, b) => a.number - b.number);
  return { ...now, pieces };
}

/** The segment without the pieces of these numbers. SEGMENT_CHANGED when stale. */
export function withPiecesRemoved(now: SegmentRecord | undefined, expected: SegmentRecord, numbers: readonly number[]): SegmentRecord {
  checkUnchanged(now, expected);
  const drop = new Set(numbers);
  return { ...now, pieces: now.pieces.filter((p) => !drop.has(p.number)) };
}

/** A listObjects limit: 1 to MAX_LIST_LIMIT (LIST_LIMIT_INVALID otherwise), MAX_LIST_LIMIT when absent. */
export function listLimit(limit: number | undefined): number {
  const n = limit ?? MAX_LIST_LIMIT;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT) throw new MetadataError('LIST_LIMIT_INVALID', `limit must be 1 to ${MAX_LIST_LIMIT}`);
  return n;
}

/** A listParts or listUploads limit: clamped to 1..MAX_LIST_LIMIT, MAX_LIST_LIMIT when absent or 0. */
export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIST_LIMIT, Math.max(1, limit || MAX_LIST_LIMIT));
}

/**
 * A page being filled: at most `limit` entries and, with `fit`, no more than fit in `fit.bytes` by
 * their sizes (always one). take() is false when the entry does not fit: the page ends before it.
 */
export class PageBudget<T> {
  private count = 0;
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly fit?: { bytes: number; size: (entry: T) => number }
  ) {}

  take(entry: T): boolean {
    const size = this.fit ? this.fit.size(entry) : 0;
    if (this.count >= this.limit || (this.fit && this.count > 0 && this.used + size > this.fit.bytes)) return false;
    this.used += size;
    this.count++;
    return true;
  }
}

/** The common prefix a key rolls into in a delimited listing (the prefix through the delimiter), or null. */
export function commonPrefix(key: string, prefix: string, delimiter: string | undefined): string | null {
  const rest = key.slice(prefix.length);
  const cut = delimiter ? rest.indexOf(delimiter) : -1;
  return cut >= 0 ? prefix + rest.slice(0, cut + delimiter!.length) : null;
}
