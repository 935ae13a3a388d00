// The storage node's piece store: every piece's record, the used-space counters, the indexes and
// small pieces' bytes in LevelDB; larger pieces' bytes in a BlobStore beside it.
//
// Crash safety, in order of a put: bytes stream into a temporary file, a "pending" marker naming
// the final blob is written, the file is renamed into place, then ONE synced LevelDB batch writes
// the record, the indexes, the satellite's new used-space total, removes the marker and writes an
// "unsynced" marker naming the blob. The file's fdatasync runs beside all that (one sync's wait
// instead of two, issue 23); the put returns (and a node sends its receipt) only once both are on
// disk, and then the unsynced marker goes. At open, a piece whose unsynced marker is left (power
// lost between the batch and the file's sync) is checked against its record (size and Merkle
// root) and removed when its bytes did not all reach the disk: nobody had a receipt for it. A delete is one synced batch (record, indexes, counter, marker) then the unlink. At
// open, temporaries are wiped and each marker left by a crash is settled: blob kept if a record
// names it (the piece's, or its older copy's in the trash), removed otherwise. A piece uploaded
// again while its older copy is in the trash never writes over that copy's blob: the new blob goes
// to another ref, and the old one is removed only once the batch that settles the trash entry is
// on disk. Open never lists the blob directory.
import { mkdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Level, type BatchOperation } from 'level';
import { StowageError, guardWrites } from '../../common/index.js';
import { DEFAULT_LEAF_SIZE, PieceHasher, proveLeaves, type LeafProof } from '../../merkle/index.js';
import { FileBlobStore, type BlobStore, type BlobWriter } from './blobs.js';
import { PieceStoreError, PieceStoreErrorCode, ioError } from './errors.js';
import { checkSatelliteId, pieceKey } from './ids.js';
import { expiryKey, fromStored, toStored, type PieceRecord, type StoredRecord } from './records.js';

export interface PieceStoreOptions {
  /** Directory of the store: db/ (LevelDB), blobs/, tmp/. */
  dir: string;
  /** Bytes the store may hold (sum of piece sizes). */
  capacity: number;
  /** Pieces smaller than this are LevelDB values (RocksDB BlobDB's min_blob_size). Default 64 KiB. */
  inlineThreshold?: number;
  /** Merkle leaf size for new pieces. Default 4 KiB. */
  leafSize?: number;
  /** Clock, in ms since the epoch. */
  now?: () => number;
  /** Where large pieces live. Default: one file per piece under `dir`. */
  blobs?: BlobStore;
  /** Bytes always left free on the filesystem. Default DISK_RESERVE. */
  diskReserve?: number;
}

export interface PutOptions {
  satelliteId: string;
  /** The order limit's byte limit: more is refused as it arrives, and capacity is reserved for it. */
  maxSize: number;
  /** The exact size, when known: a stream that ends short is refused. */
  size?: number;
  orderLimit?: Uint8Array;
  expiresAt?: number | null;
  signal?: AbortSignal;
  /**
   * Called with the piece's digest once all bytes are in, before anything is committed: throws to
   * refuse the piece (nothing is stored), or returns the uploader's signed hash, kept beside the
   * piece as the node's proof of what it was given.
   */
  seal?: (digest: PutResult) => Promise<Uint8Array> | Uint8Array;
}

export interface PutResult {
  size: number;
  root: Uint8Array;
  /** The Merkle leaf size the root was computed over. */
  leafSize: number;
}

export interface ReadRange {
  offset?: number;
  length?: number;
}

export const DEFAULT_INLINE_THRESHOLD = 64 * 1024;
/**
 * Bytes left free on the store's filesystem whatever the capacity says: LevelDB's log and
 * compactions need room, and a disk smaller than the configured capacity (or shared with other
 * data) must not be promised to the satellite.
 */
export const DISK_RESERVE = 16 * 1024 * 1024;
/** How often the filesystem's free space is sampled (and after every disk-full error). */
const DISK_SAMPLE_MS = 5000;

type Json = StoredRecord;

interface QueuedCommit {
  ops: Batch;
  satelliteId: string;
  delta: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}
type Batch = BatchOperation<Level<string, unknown>, string, unknown>[];

export class PieceStore {
  private readonly db: Level<string, unknown>;
  private readonly records;
  private readonly inline;
  private readonly bySatellite;
  private readonly byExpiry;
  private readonly used;
  private readonly pending;
  /** Blobs committed while their file's sync was still running: checked at open if still here. */
  private readonly unsynced;
  /** Pieces moved to the trash by garbage collection: record and when, bytes left in place. */
  private readonly trashed;
  private trashTotal = 0;
  private readonly blobs: BlobStore;
  private readonly inlineThreshold: number;
  private readonly leafSize: number;
  private readonly now: () => number;
  private readonly capacity: number;
  private readonly usedBySatellite = new Map<string, number>();
  private usedTotal = 0;
  private reserved = 0;
  /** The filesystem's free bytes at the last sample (statfs), less DISK_RESERVE. */
  private diskFree = Number.POSITIVE_INFINITY;
  /** Bytes the store held (used and trash) at that sample: what it stored since is taken off. */
  private heldAtSample = 0;
  private sampling: Promise<void> | undefined;
  private diskSampler: NodeJS.Timeout | undefined;
  private readonly dir: string;
  private readonly diskReserve: number;
  /** Pieces being uploaded or deleted: no second put or delete of them meanwhile. */
  private readonly inFlight = new Set<string>();
  private readonly commitQueue: QueuedCommit[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(options: PieceStoreOptions) {
    this.db = new Level<string, unknown>(join(options.dir, 'db'), { valueEncoding: 'json' });
    // A write the disk cut short must not take the writes after it down with it (level-guard.ts).
    guardWrites(this.db, options.dir);
    this.records = this.db.sublevel<string, Json>('p', { valueEncoding: 'json' });
    this.inline = this.db.sublevel<string, Uint8Array>('d', { valueEncoding: 'view' });
    this.bySatellite = this.db.sublevel<string, string>('s', { valueEncoding: 'utf8' });
    this.byExpiry = this.db.sublevel<string, string>('e', { valueEncoding: 'utf8' });
    this.used = this.db.sublevel<string, number>('u', { valueEncoding: 'json' });
    this.pending = this.db.sublevel<string, string>('q', { valueEncoding: 'utf8' });
    this.unsynced = this.db.sublevel<string, string>('v', { valueEncoding: 'utf8' });
    this.trashed = this.db.sublevel<string, { r: StoredRecord; t: number }>('t', { valueEncoding: 'json' });
    this.blobs = options.blobs ?? new FileBlobStore(options.dir);
    this.inlineThreshold = options.inlineThreshold ?? DEFAULT_INLINE_THRESHOLD;
    this.leafSize = options.leafSize ?? DEFAULT_LEAF_SIZE;
    this.now = options.now ?? Date.now;
    this.capacity = options.capacity;
    this.dir = options.dir;
    this.diskReserve = options.diskReserve ?? DISK_RESERVE;
  }

  static async open(options: PieceStoreOptions): Promise<PieceStore> {
    if (!Number.isSafeInteger(options.capacity) || options.capacity < 0) {
      throw new PieceStoreError(PieceStoreErrorCode.InvalidOptions, `capacity must be a non-negative integer of bytes, got ${options.capacity}`);
    }
    await mkdir(options.dir, { recursive: true });
    const store = new PieceStore(options);
    try {
      await store.db.open();
      await store.blobs.init();
      await store.recover();
      await store.refreshDiskSpace();
    } catch (err) {
      await store.db.close().catch(() => undefined);
      throw ioError(err, 'opening the piece store');
    }
    store.diskSampler = setInterval(() => void store.refreshDiskSpace(), DISK_SAMPLE_MS);
    store.diskSampler.unref();
    return store;
  }

  /**
   * Opens the store, waiting while the disk is too full for LevelDB to open (recovery writes a
   * table, a log and a manifest): a node restarted on a disk full to the last byte starts once
   * there is room, instead of exiting. `onWait` is told each time it waits; `signal` stops waiting.
   */
  static async openWhenRoom(options: PieceStoreOptions, wait: { retryMs?: number; onWait?: (err: PieceStoreError, attempt: number) => void; signal?: AbortSignal } = {}): Promise<PieceStore> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await PieceStore.open(options);
      } catch (err) {
        if (!(err instanceof PieceStoreError && err.code === PieceStoreErrorCode.DiskFull) || wait.signal?.aborted) throw err;
        wait.onWait?.(err, attempt);
        await new Promise((r) => setTimeout(r, wait.retryMs ?? DISK_SAMPLE_MS));
      }
    }
  }

  /** Reads the filesystem's free space now (done every few seconds; a failed read keeps the last figure). */
  async refreshDiskSpace(): Promise<void> {
    // One at a time (a slow filesystem must not pile statfs calls up on libuv's pool).
    this.sampling ??= this.sampleDisk().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async sampleDisk(): Promise<void> {
    try {
      const held = this.usedTotal + this.trashTotal;
      const fs = await statfs(this.dir);
      this.diskFree = Math.max(0, fs.bavail * fs.bsize - this.diskReserve);
      this.heldAtSample = held;
    } catch {
      // statfs is missing on some filesystems: the capacity alone then bounds what is promised
    }
  }

  /** Settles what a crash interrupted: markers of installs and deletes; loads the counters. */
  private async recover(): Promise<void> {
    for await (const [key, ref] of this.pending.iterator()) {
      const rec = await this.records.get(key);
      // A blob the trash still names is that piece's older copy, whatever marker names it too.
      const trashed = await this.trashed.get(key);
      if (rec?.b !== ref && trashed?.r.b !== ref) await this.blobs.remove(ref);
      await this.pending.del(key);
    }
    for await (const [satellite, bytes] of this.used.iterator()) {
      this.usedBySatellite.set(satellite, bytes);
      this.usedTotal += bytes;
    }
    for await (const t of this.trashed.values()) this.trashTotal += t.r.z;
    const unsynced: [string, string][] = [];
    for await (const entry of this.unsynced.iterator()) unsynced.push(entry);
    for (const [key, ref] of unsynced) {
      const rec = await this.records.get(key);
      if (rec?.b === ref && !(await this.blobIsWhole(key, rec))) {
        // Its bytes did not all reach the disk before the power went: no receipt was sent for it.
        await this.commit([...this.unlistOps(key, rec), { type: 'put', sublevel: this.pending, key, value: ref }] as unknown as Batch, rec.s, -rec.z);
        await this.blobs.remove(ref);
        await this.pending.del(key);
      }
      await this.unsynced.del(key);
    }
  }

  /** Whether a blob holds exactly its record's bytes: its size and Merkle root. */
  private async blobIsWhole(key: string, rec: StoredRecord): Promise<boolean> {
    const want = fromStored(key, rec);
    try {
      const hasher = new PieceHasher(want.leafSize);
      let size = 0;
      for await (const chunk of this.blobs.read(rec.b!, 0, want.size + 1)) {
        size += chunk.length;
        hasher.update(chunk);
      }
      return size === want.size && Buffer.from(hasher.digest().root).equals(Buffer.from(want.root));
    } catch {
      return false;
    }
  }

  /** Bytes of pieces in the trash (they still take disk space until it is emptied). */
  trashSpace(): number {
    return this.trashTotal;
  }

  /** Bytes of committed pieces, of one satellite or of all. */
  usedSpace(satelliteId?: string): number {
    return satelliteId === undefined ? this.usedTotal : (this.usedBySatellite.get(satelliteId) ?? 0);
  }

  /**
   * Capacity not used by committed pieces nor reserved by uploads in progress, and never more than
   * the filesystem has free (less DISK_RESERVE; uploads in progress counted again: conservative).
   */
  freeSpace(): number {
    const held = this.usedTotal + this.trashTotal;
    // Pieces stored since the last sample are off the disk's figure already (deletes wait for the next).
    const disk = this.diskFree - Math.max(0, held - this.heldAtSample);
    return Math.max(0, Math.min(this.capacity - held, disk) - this.reserved);
  }

  async put(id: Uint8Array | string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: PutOptions): Promise<PutResult> {
    this.checkOpen();
    const key = pieceKey(id);
    const satelliteId = checkSatelliteId(options.satelliteId);
    const { maxSize, size: declared, signal } = options;
    if (!Number.isSafeInteger(maxSize) || maxSize < 0) {
      throw new PieceStoreError(PieceStoreErrorCode.InvalidOptions, `maxSize must be a non-negative integer, got ${maxSize}`);
    }
    if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0 || declared > maxSize)) {
      throw new PieceStoreError(PieceStoreErrorCode.InvalidOptions, `size must be an integer in [0, maxSize=${maxSize}], got ${declared}`);
    }
    const expiresAt = options.expiresAt ?? null;
    if (expiresAt !== null && !Number.isSafeInteger(expiresAt)) {
      throw new PieceStoreError(PieceStoreErrorCode.InvalidOptions, `expiresAt must be integer milliseconds or null, got ${expiresAt}`);
    }
    const exists = (): PieceStoreError => new PieceStoreError(PieceStoreErrorCode.Exists, `piece ${key} is already stored or being stored`);
    if (this.inFlight.has(key)) throw exists();
    const limit = declared ?? maxSize;
    if (limit > this.freeSpace()) {
      throw new PieceStoreError(
        PieceStoreErrorCode.Full,
        `not enough space for a piece of up to ${limit} bytes: ${this.freeSpace()} of ${this.capacity} free`
      );
    }
    // Claimed before the first await, so two uploads of one id cannot both pass the check.
    this.inFlight.add(key);
    this.reserved += limit;
    let writer: BlobWriter | undefined;
    try {
      if ((await this.records.get(key)) !== undefined) throw exists();
      const hasher = new PieceHasher(this.leafSize);
      let size = 0;
      let held: Uint8Array[] = [];
      let inFlight: Promise<void> = Promise.resolve();
      try {
        for await (const chunk of source) {
          if (signal?.aborted) throw new PieceStoreError(PieceStoreErrorCode.Aborted, 'upload aborted');
          if (!(chunk instanceof Uint8Array)) {
            throw new PieceStoreError(PieceStoreErrorCode.InvalidOptions, 'a piece source must yield Uint8Array chunks');
          }
          size += chunk.length;
          if (size > limit) {
            throw new PieceStoreError(PieceStoreErrorCode.TooLarge, `piece ${key} exceeds its limit of ${limit} bytes`);
          }
          if (writer) {
            // The write runs on libuv's pool while this thread hashes the same bytes and reads
            // the next chunk: one write stays in flight (waited for before the next), so the
            // sender's window keeps moving while the disk works.
            await inFlight;
            inFlight = writer.write(chunk);
            inFlight.catch(() => undefined);
            hasher.update(chunk);
          } else {
            hasher.update(chunk);
            held.push(chunk.slice());
            if (size >= this.inlineThreshold) {
              writer = await this.blobs.create();
              for (const c of held) await writer.write(c);
              held = [];
            }
          }
        }
        await inFlight;
      } catch (err) {
        await inFlight.catch(() => undefined);
        // Our own errors and the source's typed ones (a protocol timeout, say) keep their codes.
        if (err instanceof StowageError) throw err;
        throw new PieceStoreError(PieceStoreErrorCode.Aborted, `upload of piece ${key} failed: ${(err as Error).message}`, { cause: err });
      }
      if (signal?.aborted) throw new PieceStoreError(PieceStoreErrorCode.Aborted, 'upload aborted');
      if (declared !== undefined && size !== declared) {
        throw new PieceStoreError(PieceStoreErrorCode.SizeMismatch, `piece ${key} ended after ${size} of ${declared} bytes`);
      }
      const { root } = hasher.digest();
      // The file's sync runs on libuv's pool while the seal (a signature check) runs here; a
      // refused seal waits for the sync to end, then the blob goes (finally).
      const synced = writer ? writer.finish() : Promise.resolve();
      synced.catch(() => undefined);
      let pieceHash: Uint8Array;
      try {
        pieceHash = options.seal ? await options.seal({ size, root, leafSize: this.leafSize }) : new Uint8Array(0);
      } catch (err) {
        await synced.catch(() => undefined);
        throw err;
      }
      const record: PieceRecord = {
        pieceId: key,
        satelliteId,
        size,
        root,
        leafSize: this.leafSize,
        orderLimit: options.orderLimit ?? new Uint8Array(0),
        pieceHash,
        createdAt: this.now(),
        expiresAt
      };
      const data = writer ? undefined : concat(held, size);
      const w = writer;
      writer = undefined;
      await this.commitPut(record, w, data, synced);
      return { size, root, leafSize: this.leafSize };
    } catch (err) {
      // The disk filled before the capacity did: what is promised shrinks at once.
      if (err instanceof PieceStoreError && err.code === PieceStoreErrorCode.DiskFull) await this.refreshDiskSpace();
      throw err;
    } finally {
      await writer?.abort();
      this.reserved -= limit;
      this.inFlight.delete(key);
    }
  }

  /**
   * Installs and commits a put whose file `synced` is being synced meanwhile; returns once both are
   * on disk. A sync that fails after the commit leaves the piece's unsynced marker (checked at the
   * next open) and fails the put: no receipt goes out for it.
   */
  private async commitPut(rec: PieceRecord, writer: BlobWriter | undefined, data: Uint8Array | undefined, synced: Promise<void>): Promise<void> {
    const key = rec.pieceId;
    let ref: string | null = null;
    let old: { r: StoredRecord; t: number } | undefined;
    try {
      this.checkOpen();
      // An older copy of this id in the trash (garbage collection took it, then repair or a
      // retry brought it back here) is settled in the commit batch below. Until that batch is on
      // disk it stays whole: the new blob goes to a ref other than the one it holds (the put's
      // claim on the id keeps trash() and emptyTrash() off this entry meanwhile).
      old = await this.trashed.get(key);
      if (writer) {
        ref = this.blobs.refFor(key, old?.r.b ?? null);
        // Not synced: it guards against process crashes between rename and commit; a power loss
        // there can at worst leave an unreferenced file, never a record without bytes.
        await this.pending.put(key, ref);
        await this.blobs.install(writer, ref);
      }
      const oldBlob = old && old.r.b !== null && old.r.b !== ref ? old.r.b : null;
      const ops = [
        { type: 'put', sublevel: this.records, key, value: toStored(rec, ref) },
        { type: 'put', sublevel: this.bySatellite, key: `${rec.satelliteId}!${key}`, value: '' },
        ...(rec.expiresAt !== null ? [{ type: 'put', sublevel: this.byExpiry, key: expiryKey(rec.expiresAt, key), value: '' }] : []),
        ...(data ? [{ type: 'put', sublevel: this.inline, key, value: data }] : []),
        ...(old ? [{ type: 'del', sublevel: this.trashed, key }] : []),
        // The old copy's inline bytes, when this one is a blob; its blob, when it had one
        // (removed after the commit; the marker lets recovery finish that after a crash).
        ...(old && old.r.b === null && !data ? [{ type: 'del', sublevel: this.inline, key }] : []),
        ...(oldBlob !== null ? [{ type: 'put', sublevel: this.pending, key, value: oldBlob }] : ref ? [{ type: 'del', sublevel: this.pending, key }] : []),
        ...(ref ? [{ type: 'put', sublevel: this.unsynced, key, value: ref }] : [])
      ];
      await this.commit(ops as unknown as Batch, rec.satelliteId, rec.size);
    } catch (err) {
      // Not committed: the new blob goes (the trashed copy, elsewhere, is untouched).
      await synced.catch(() => undefined);
      await writer?.abort();
      if (ref) {
        await this.blobs.remove(ref).catch(() => undefined);
        await this.pending.del(key).catch(() => undefined);
      }
      throw ioError(err, `committing piece ${key}`);
    }
    // Committed. The piece counts as stored once its file is synced too; until then the old copy
    // (in the trash) stays. A failed sync keeps the unsynced marker: the next open checks the file.
    // The trash entry went with the commit, whatever the sync does.
    if (old) this.trashTotal -= old.r.z;
    try {
      await synced;
    } catch (err) {
      throw ioError(err, `syncing piece ${key}`);
    }
    if (ref) await this.unsynced.del(key).catch(() => undefined);
    // Removing the old copy's blob is left to recovery if it fails here (the marker written with the commit).
    if (old) {
      if (old.r.b !== null && old.r.b !== ref) {
        try {
          await this.blobs.remove(old.r.b);
          await this.pending.del(key);
        } catch {
          // the marker stays: the next open removes that blob
        }
      }
    }
  }

  /**
   * Group commit: batches queued while one is being written go together in the next, with one
   * sync for all and each satellite's used-space total written once, computed from the totals
   * the batch before left. Memory counters change only once the batch is on disk.
   */
  private commit(ops: Batch, satelliteId: string, delta: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.commitQueue.push({ ops, satelliteId, delta, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.commitQueue.length > 0) {
      const group = this.commitQueue.splice(0);
      const totals = new Map<string, number>();
      for (const c of group) totals.set(c.satelliteId, (totals.get(c.satelliteId) ?? this.usedSpace(c.satelliteId)) + c.delta);
      const ops = [...group.flatMap((c) => c.ops), ...[...totals].map(([key, value]) => ({ type: 'put', sublevel: this.used, key, value }))];
      try {
        await this.db.batch(ops as unknown as Batch, { sync: true });
        for (const [satellite, total] of totals) {
          this.usedTotal += total - this.usedSpace(satellite);
          this.usedBySatellite.set(satellite, total);
        }
        for (const c of group) c.resolve();
      } catch (err) {
        for (const c of group) c.reject(err);
      }
    }
    this.flushing = undefined;
  }

  async stat(id: Uint8Array | string): Promise<PieceRecord> {
    this.checkOpen();
    const key = pieceKey(id);
    return fromStored(key, await this.stored(key));
  }

  async has(id: Uint8Array | string): Promise<boolean> {
    this.checkOpen();
    return (await this.records.get(pieceKey(id))) !== undefined;
  }

  /** The piece's bytes [offset, offset + length) as a stream of chunks. */
  async get(id: Uint8Array | string, range: ReadRange = {}): Promise<AsyncIterable<Uint8Array>> {
    return (await this.getWithRecord(id, () => range)).data;
  }

  /**
   * The piece's record and the bytes of the range `rangeOf` picks from it (it may throw to refuse):
   * one record read for a download that checks the piece's owner and size first.
   */
  async getWithRecord(id: Uint8Array | string, rangeOf: (record: PieceRecord) => ReadRange): Promise<{ record: PieceRecord; data: AsyncIterable<Uint8Array> }> {
    this.checkOpen();
    const key = pieceKey(id);
    const rec = await this.stored(key);
    const record = fromStored(key, rec);
    return { record, data: await this.bytesOf(key, rec, rangeOf(record)) };
  }

  private async bytesOf(key: string, rec: StoredRecord, range: ReadRange): Promise<AsyncIterable<Uint8Array>> {
    const offset = range.offset ?? 0;
    const length = range.length ?? rec.z - offset;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > rec.z) {
      throw new PieceStoreError(
        PieceStoreErrorCode.RangeInvalid,
        `range offset ${range.offset} length ${range.length} is outside piece ${key} of ${rec.z} bytes`
      );
    }
    if (rec.b !== null) return this.blobs.read(rec.b, offset, offset + length);
    const data = await this.inline.get(key);
    if (!data) throw new PieceStoreError(PieceStoreErrorCode.NotFound, `piece ${key} has no bytes`);
    return (async function* () {
      if (length > 0) yield data.subarray(offset, offset + length);
    })();
  }

  /** The leaves an audit asks for and their multi-leaf proof, from the stored bytes. */
  async readLeaves(id: Uint8Array | string, indices: readonly number[]): Promise<LeafProof> {
    const rec = await this.stat(id);
    return proveLeaves(await this.get(id), indices, rec.leafSize);
  }

  async delete(id: Uint8Array | string): Promise<void> {
    this.checkOpen();
    const key = pieceKey(id);
    if (this.inFlight.has(key)) {
      throw new PieceStoreError(PieceStoreErrorCode.NotFound, `piece ${key} is not stored here (it is being uploaded or deleted)`);
    }
    this.inFlight.add(key);
    try {
      const rec = await this.stored(key);
      const ops = [...this.unlistOps(key, rec), ...(rec.b === null ? [{ type: 'del', sublevel: this.inline, key }] : [{ type: 'put', sublevel: this.pending, key, value: rec.b }])];
      try {
        await this.commit(ops as unknown as Batch, rec.s, -rec.z);
      } catch (err) {
        throw ioError(err, `deleting piece ${key}`);
      }
      if (rec.b !== null) {
        await this.blobs.remove(rec.b);
        await this.pending.del(key);
      }
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * Moves a piece to the trash (garbage collection): it is no longer served or counted as used,
   * but its bytes stay until emptyTrash() so a mistaken filter can be undone by hand.
   */
  async trash(id: Uint8Array | string, now = this.now()): Promise<void> {
    this.checkOpen();
    const key = pieceKey(id);
    if (this.inFlight.has(key)) throw new PieceStoreError(PieceStoreErrorCode.NotFound, `piece ${key} is being uploaded or deleted`);
    this.inFlight.add(key);
    try {
      const rec = await this.stored(key);
      const ops = [...this.unlistOps(key, rec), { type: 'put', sublevel: this.trashed, key, value: { r: rec, t: now } }];
      try {
        await this.commit(ops as unknown as Batch, rec.s, -rec.z);
      } catch (err) {
        throw ioError(err, `moving piece ${key} to the trash`);
      }
      this.trashTotal += rec.z;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Deletes for good what went to the trash at or before `olderThan`; returns how many. */
  async emptyTrash(olderThan: number): Promise<number> {
    this.checkOpen();
    const due: string[] = [];
    for await (const [key, entry] of this.trashed.iterator()) if (entry.t <= olderThan) due.push(key);
    let emptied = 0;
    for (const key of due) {
      // An id being uploaded again is left alone: that upload settles its trashed copy.
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      try {
        const entry = await this.trashed.get(key);
        if (!entry || entry.t > olderThan) continue;
        const { r } = entry;
        // A live piece of the same id (stored before uploads settled the trash) owns the bytes
        // at its blob path and its inline value: those stay.
        const live = await this.records.get(key);
        const keepInline = live !== undefined && live.b === null;
        const removeBlob = r.b !== null && !(live !== undefined && live.b === r.b);
        const ops = [
          { type: 'del', sublevel: this.trashed, key },
          ...(r.b === null && !keepInline ? [{ type: 'del', sublevel: this.inline, key }] : []),
          ...(removeBlob ? [{ type: 'put', sublevel: this.pending, key, value: r.b }] : [])
        ];
        try {
          await this.db.batch(ops as unknown as Batch, { sync: true });
        } catch (err) {
          throw ioError(err, `emptying piece ${key} from the trash`);
        }
        this.trashTotal -= r.z;
        emptied++;
        if (removeBlob) {
          await this.blobs.remove(r.b!);
          await this.pending.del(key);
        }
      } finally {
        this.inFlight.delete(key);
      }
    }
    return emptied;
  }

  /** Records of one satellite's pieces, in piece id order. */
  async *list(satelliteId: string): AsyncIterable<PieceRecord> {
    this.checkOpen();
    const prefix = `${checkSatelliteId(satelliteId)}!`;
    for await (const key of this.bySatellite.keys({ gte: prefix, lt: `${prefix}\xff` })) {
      const pieceId = key.slice(prefix.length);
      const rec = await this.records.get(pieceId);
      if (rec) yield fromStored(pieceId, rec);
    }
  }

  /** Deletes every piece whose expiry is at or before `now`; returns how many. */
  async sweepExpired(now = this.now()): Promise<number> {
    this.checkOpen();
    const due: string[] = [];
    for await (const key of this.byExpiry.keys({ lte: expiryKey(now, '\xff') })) due.push(key.slice(key.indexOf('!') + 1));
    let removed = 0;
    for (const pieceId of due) {
      try {
        await this.delete(pieceId);
        removed++;
      } catch (err) {
        if (!(err instanceof PieceStoreError && err.code === PieceStoreErrorCode.NotFound)) throw err;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.diskSampler);
    await this.flushing;
    await this.db.close();
  }

  /** Removes a piece's record and its index entries (delete and trash both start so). */
  private unlistOps(key: string, rec: StoredRecord): unknown[] {
    return [
      { type: 'del', sublevel: this.records, key },
      { type: 'del', sublevel: this.bySatellite, key: `${rec.s}!${key}` },
      ...(rec.e !== null ? [{ type: 'del', sublevel: this.byExpiry, key: expiryKey(rec.e, key) }] : [])
    ];
  }

  private async stored(key: string): Promise<StoredRecord> {
    const rec = await this.records.get(key);
    if (!rec) throw new PieceStoreError(PieceStoreErrorCode.NotFound, `piece ${key} is not stored here`);
    return rec;
  }

  private checkOpen(): void {
    if (this.closed) throw new PieceStoreError(PieceStoreErrorCode.Closed, 'the piece store is closed');
  }

}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
