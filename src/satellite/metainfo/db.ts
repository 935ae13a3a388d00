// The metainfo part's store: its records, the limits every backend enforces, and the MetadataDB
// interface (the LevelDB implementation is store/leveldb/metadata.ts).
import type { ProjectLimits, ProjectUsage } from './limits.js';
import type { RedundancyProfile } from './profile.js';

export interface SegmentPiece {
  number: number;
  nodeId: string;
  size: number;
  /** Hex of the RFC 6962 root from the node's receipt. */
  root: string;
}

export interface SegmentRecord {
  index: number;
  plainSize: number;
  /** Size of each piece. */
  pieceSize: number;
  rootPieceId: string;
  profile: RedundancyProfile;
  pieces: SegmentPiece[];
  /** Base64 of the client-encrypted segment when it is stored inline. */
  inline: string | null;
  createdAt: number;
  /** Where the segment sits in its part, for an object completed from parts. */
  part?: SegmentPartPlace;
}

/** A segment's place in its part (see CompleteMultipart in PROTOCOL.md). */
export interface SegmentPartPlace {
  number: number;
  /** The segment's index in the part. */
  index: number;
  /** Where its plaintext starts in the part. */
  offset: number;
  /** The part's plaintext size. */
  size: number;
  /** Hex of the part upload's salt. */
  salt: string;
  /** Where the part starts in the object (absent in objects completed before it was kept). */
  partOffset?: number;
  /** The part's leaf in the object's parts tree, and its inclusion proof (base64 hashes). */
  leaf?: number;
  proof?: string[];
}

/** A part of a multipart upload, committed. */
export interface PartRecord {
  number: number;
  /** The part upload's own stream (its segments are kept under it until the upload completes). */
  streamId: string;
  size: number;
  segmentCount: number;
  /** Hex of the client's random salt. */
  salt: string;
  /** Base64 of the client-sealed part metadata. */
  info: string;
  committedAt: number;
}

/** A multipart upload in progress. */
export interface UploadListing {
  key: string;
  streamId: string;
  createdAt: number;
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  streamId: string;
  status: 'pending' | 'committed';
  createdAt: number;
  committedAt: number | null;
  size: number;
  segmentCount: number;
  /** Base64 of client-encrypted user metadata. */
  metadata: string;
  /** Encryption parameters the client chose (never keys). */
  encryption: string;
  /** Base64 of the object's content key wrapped by the client (unreadable here); '' for older objects. */
  encryptedKey?: string;
  expiresAt: number | null;
  /** A multipart upload (pending), or an object completed from one. */
  multipart?: boolean;
  /** A part upload in progress: the multipart upload and the part number it is for. */
  part?: { upload: string; number: number };
  /** An object completed from parts: how many. */
  partCount?: number;
}

/** A piece by where it comes from: its segment's root piece id, its node and its number. */
export interface PlannedPiece {
  rootPieceId: string;
  nodeId: string;
  number: number;
}

export interface PendingSegment {
  rootPieceId: string;
  pieceSize: number;
  profile: RedundancyProfile;
  nodes: { nodeId: string; number: number }[];
  /** Hex of the raw public key put in the segment's PUT orders: the client's piece hashes must verify with it. */
  uplinkKey?: string;
}

export interface ReceiptContent {
  nodeId: string;
  pieceId: Uint8Array;
  size: number;
  root: Uint8Array;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  cursor?: string;
  limit?: number;
}

export const MAX_LIST_LIMIT = 1000;
export const MAX_KEY_BYTES = 1024;
/** Client-encrypted user metadata per object. */
export const MAX_METADATA_BYTES = 8 * 1024;
/** Segments per object (64 MiB each: 64 TiB). */
export const MAX_SEGMENT_INDEX = 1_000_000;
/** Part numbers run from 1 to this (S3's limit). */
export const MAX_PART_NUMBER = 10_000;
/** A part's salt and sealed metadata at most. */
export const MAX_PART_SALT_BYTES = 32;
export const MAX_PART_INFO_BYTES = 1024;
/** The largest wrapped object key an object or upload holds. */
export const MAX_WRAPPED_KEY_BYTES = 256;
/** How long a multipart upload may stay open (S3 keeps them until aborted; a week here). */
export const DEFAULT_MULTIPART_TTL_MS = 7 * 24 * 3600 * 1000;

/** The metadata store: what every backend of it provides (the contract tests hold each to it). */
export interface MetadataDB {
  createBucket(project: string, name: string): Promise<void>;
  listBuckets(project: string): Promise<{
      name: string;
      createdAt: number;
  }[]>;
  /** Every bucket of every project (the admin API). */
  allBuckets(): Promise<{
      project: string;
      name: string;
      createdAt: number;
  }[]>;
  /** Removes an empty bucket (BUCKET_NOT_EMPTY while it holds objects) with its multipart uploads in progress, whose pieces are returned for deletion. */
  deleteBucket(project: string, name: string): Promise<{ rootPieceId: string; pieces: SegmentPiece[] }[]>;
  beginObject(project: string, bucket: string, key: string, opts?: {
      metadata?: string;
      encryption?: string;
      encryptedKey?: string;
      expiresAt?: number | null;
      multipart?: boolean;
  }): Promise<ObjectRecord>;
  /**
   * A part upload of a multipart upload: a pending stream of its own (its segments are begun and
   * committed as an object's are), with the upload's wrapped key. NO_SUCH_UPLOAD when the upload
   * is not in progress; PART_NUMBER_INVALID outside 1..MAX_PART_NUMBER.
   */
  beginPart(uploadId: string, partNumber: number): Promise<ObjectRecord>;
  /**
   * Ends a part upload: its segments (from 0, without gaps) become the part under its number; a
   * part uploaded before under that number is replaced and its pieces returned for deletion.
   */
  commitPart(partStreamId: string, opts: { salt: string; info: string }): Promise<{ part: PartRecord; replaced: SegmentPiece[] }>;
  /**
   * Parts of an upload in progress, by number, above `after`: at most `limit` and, with `fit`,
   * no more than fit in `fit.bytes` by `fit.size` (always one), `more` when parts were left.
   */
  listParts(
    uploadId: string,
    opts: { after?: number; limit?: number },
    fit?: { bytes: number; size: (part: PartRecord) => number }
  ): Promise<{ parts: PartRecord[]; more: boolean; encryptedKey: string; metadata: string }>;
  /**
   * Makes the object from the named parts, in ascending order, without moving data: the parts'
   * segment records become the object's, numbered on. Parts not named are freed (returned for
   * deletion with any object replaced). An upload completed before into the same key answers
   * `already` with that object; NO_SUCH_UPLOAD otherwise; PART_NOT_FOUND for a part not uploaded
   * (or uploaded again since it was listed); PART_ORDER_INVALID when numbers do not ascend.
   */
  completeMultipart(
    project: string,
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly { number: number; streamId: string }[],
    opts: { metadata?: string }
  ): Promise<{ object: ObjectRecord; replaced: SegmentPiece[]; already: boolean }>;
  /** Ends an upload without an object; every part's pieces are returned for deletion. */
  abortMultipart(uploadId: string): Promise<{ rootPieceId: string; pieces: SegmentPiece[] }[]>;
  /** Multipart uploads in progress in a bucket, by key then upload id, after the markers; a page is cut as listParts' is. */
  listUploads(
    project: string,
    bucket: string,
    opts: { prefix?: string; keyMarker?: string; uploadMarker?: string; limit?: number },
    fit?: { bytes: number; size: (upload: UploadListing) => number }
  ): Promise<{ uploads: UploadListing[]; more: boolean }>;
  /**
   * Where part `partNumber` of an object completed from parts lies in it, and its first segment's
   * place (the part's leaf and proof in the parts tree); PART_NOT_FOUND when it has none such.
   */
  partRange(object: ObjectRecord, partNumber: number): Promise<{ offset: number; size: number; place?: SegmentPartPlace }>;
  /** The project, bucket and key of an upload in progress; OBJECT_NOT_PENDING when there is none (never begun, committed or expired). */
  pendingPlace(streamId: string): Promise<{ project: string; bucket: string; key: string }>;
  /**
   * Records the nodes chosen for a segment; commitSegment checks the receipts against them. The
   * segment counts toward its project's usage from now on; with `limits`, PROJECT_STORAGE_LIMIT or
   * PROJECT_SEGMENT_LIMIT when it would pass them (checked and counted in one step).
   */
  beginSegment(streamId: string, index: number, plan: PendingSegment, limits?: ProjectLimits): Promise<void>;
  /** A segment begun and not committed yet. */
  pendingSegment(streamId: string, index: number): Promise<PendingSegment>;
  /**
   * Replaces failed nodes of a pending segment (long tail, replacement orders); with `maxNodes`,
   * SEGMENT_REPLACEMENT_LIMIT (adding none) when the plan would hold more nodes than that.
   */
  addSegmentNodes(streamId: string, index: number, nodes: {
      nodeId: string;
      number: number;
  }[], maxNodes?: number): Promise<PendingSegment>;
  /**
   * Stores a segment from the contents of its (signature-checked) receipts: each must come from a
   * node of the plan, for the piece id derived for that node, of the planned size; at least
   * `success` distinct pieces.
   */
  commitSegment(streamId: string, index: number, plainSize: number, receipts: readonly ReceiptContent[]): Promise<SegmentRecord>;
  /** An inline segment, counted toward its project's usage as beginSegment does (its bytes). */
  commitInlineSegment(streamId: string, index: number, plainSize: number, data: Uint8Array, maxInline: number, limits?: ProjectLimits): Promise<SegmentRecord>;
  /** What the project uses now (stored bytes and segments, this month's egress). */
  usage(project: string): Promise<ProjectUsage>;
  /**
   * Counts `bytes` of GET orders against the project's egress this month; PROJECT_BANDWIDTH_LIMIT
   * (counting nothing) when that would pass `maxEgressBytesPerMonth`.
   */
  addEgress(project: string, bytes: number, limits: ProjectLimits): Promise<void>;
  /**
   * Makes the object visible. Segments must run from 0 without gaps. An object already at that key
   * is replaced; its pieces are returned for deletion. `metadata` (base64, client-encrypted)
   * replaces what was given at begin.
   */
  commitObject(streamId: string, opts?: { metadata?: string }): Promise<{
      object: ObjectRecord;
      replaced: SegmentPiece[];
  }>;
  /**
   * A committed object with all its segments, or (`segments: false`) the object alone: downloads
   * read their segments a page at a time with segmentsFrom().
   */
  getObject(project: string, bucket: string, key: string, opts?: {
      segments?: boolean;
  }): Promise<{
      object: ObjectRecord;
      segments: SegmentRecord[];
  }>;
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
  segmentsFrom(object: ObjectRecord, start: {
      index: number;
  } | {
      offset: number;
  }): AsyncGenerator<{
      segment: SegmentRecord;
      plainOffset: number;
  }>;
  /**
   * Objects by key order; with a delimiter, keys sharing a prefix up to it come back once (the
   * keys that roll into a prefix are all consumed with it, on the same page). A page holds at most
   * `limit` entries and, with `fit`, stops before the entries' encoded sizes (`fit.size` of an
   * object or a prefix) would sum past `fit.bytes`; it always holds one entry. `nextCursor` is the
   * last key the page consumed: the next page starts right after it.
   */
  listObjects(project: string, bucket: string, opts?: ListOptions, fit?: {
      bytes: number;
      size: (entry: ObjectRecord | string) => number;
  }): Promise<{
      objects: ObjectRecord[];
      prefixes: string[];
      nextCursor: string | null;
  }>;
  /** Removes the object's metadata at once and returns its pieces for deletion from the nodes. */
  deleteObject(project: string, bucket: string, key: string): Promise<{
      rootPieceId: string;
      pieces: SegmentPiece[];
  }[]>;
  /** Drops uploads begun longer ago than the pending TTL; returns how many. */
  expirePending(): Promise<number>;
  /** Every segment with pieces on nodes, one at a time (the audit and repair loops walk these). */
  remoteSegments(): AsyncGenerator<{
      key: string;
      segment: SegmentRecord;
  }>;
  /** Every piece planned for segments not committed yet (uploads in progress). */
  pendingPieces(): AsyncGenerator<PlannedPiece>;
  /** A committed object's segment with the key remoteSegments() gives it; undefined when there is none. */
  objectSegment(project: string, bucket: string, key: string, index: number): Promise<{
      key: string;
      segment: SegmentRecord;
  } | undefined>;
  /** A segment by the key remoteSegments() gave; undefined once its object is gone. */
  segmentByKey(key: string): Promise<SegmentRecord | undefined>;
  /**
   * Replaces pieces of a segment after repair, in one batch with `extraOps` (the repair queue's
   * entry): each new piece takes the place of the old piece with its number. Fails when the
   * segment is gone or changed since `expected` was read (a delete, another repair).
   */
  replacePieces(key: string, expected: SegmentRecord, added: readonly SegmentPiece[]): Promise<SegmentRecord>;
  /**
   * Drops pieces of a segment by number (a piece the repairer found corrupt: it must not be handed
   * to clients or counted again). Fails like replacePieces when the segment is gone or changed
   * since `expected` was read.
   */
  removePieces(key: string, expected: SegmentRecord, numbers: readonly number[]): Promise<SegmentRecord>;
}
