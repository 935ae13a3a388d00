// Where piece bytes above the inline threshold live. The store talks to this interface only, so a
// log-structured blob store (many pieces per file, one fsync per group) can replace the
// file-per-piece layout without touching the metadata logic.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PieceStoreError, PieceStoreErrorCode, ioError } from './errors.js';

/** A blob being written: bytes go to a temporary place until install(). */
export interface BlobWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the bytes durable (fsync) and closes. */
  finish(): Promise<void>;
  /** Drops the temporary bytes. Never throws. */
  abort(): Promise<void>;
}

export interface BlobStore {
  /** Prepares the layout and removes temporaries left by a crash. Must not scan stored blobs. */
  init(): Promise<void>;
  create(): Promise<BlobWriter>;
  /** Moves a finished writer's bytes to `ref` (from refFor), replacing whatever is there. */
  install(writer: BlobWriter, ref: string): Promise<void>;
  /**
   * Where a new blob of `key` goes (the store records it in a pending marker before installing,
   * then in the piece's record). Never `avoid`: the blob an older copy of the same piece, kept in
   * the trash, still holds, which an upload again must not touch before its commit settles it.
   */
  refFor(key: string, avoid?: string | null): string;
  read(ref: string, start: number, end: number): AsyncIterable<Uint8Array>;
  /** Removes a blob; a missing one is not an error. */
  remove(ref: string): Promise<void>;
}

const READ_CHUNK = 256 * 1024;

class FileBlobWriter implements BlobWriter {
  private closed = false;

  constructor(
    readonly tempPath: string,
    private readonly handle: FileHandle
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    try {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await this.handle.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
    } catch (err) {
      throw ioError(err, 'writing a piece');
    }
  }

  async finish(): Promise<void> {
    try {
      await this.handle.datasync();
      this.closed = true;
      await this.handle.close();
    } catch (err) {
      throw ioError(err, 'syncing a piece');
    }
  }

  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    await rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

/**
 * One file per piece: DIR/blobs/<first two hex digits>/<piece key>, written as DIR/tmp/*.part,
 * fdatasync'ed, then renamed into place. A piece uploaded again while its older copy sits in the
 * trash at that path goes to <piece key>.1 (and the next time to <piece key> again): the two
 * alternate, as the trash holds at most one older copy of an id. DIR/tmp holds only unfinished
 * uploads and is emptied at start; DIR/blobs is never listed.
 */
export class FileBlobStore implements BlobStore {
  private readonly blobs: string;
  private readonly tmp: string;
  private readonly madeDirs = new Set<string>();

  constructor(dir: string) {
    this.blobs = join(dir, 'blobs');
    this.tmp = join(dir, 'tmp');
  }

  async init(): Promise<void> {
    await rm(this.tmp, { recursive: true, force: true });
    await mkdir(this.tmp, { recursive: true });
    await mkdir(this.blobs, { recursive: true });
  }

  async create(): Promise<BlobWriter> {
    const path = join(this.tmp, `${randomBytes(12).toString('hex')}.part`);
    try {
      return new FileBlobWriter(path, await open(path, 'wx'));
    } catch (err) {
      throw ioError(err, 'creating a piece file');
    }
  }

  refFor(key: string, avoid: string | null = null): string {
    const ref = `${key.slice(0, 2)}/${key}`;
    return ref === avoid ? `${ref}.1` : ref;
  }

  async install(writer: BlobWriter, ref: string): Promise<void> {
    const target = join(this.blobs, ref);
    try {
      const dir = dirname(target);
      if (!this.madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      await rename((writer as FileBlobWriter).tempPath, target);
    } catch (err) {
      throw ioError(err, 'installing a piece file');
    }
  }

  async *read(ref: string, start: number, end: number): AsyncIterable<Uint8Array> {
    if (end <= start) return;
    const stream = createReadStream(join(this.blobs, ref), { start, end: end - 1, highWaterMark: READ_CHUNK });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') {
        throw new PieceStoreError(PieceStoreErrorCode.NotFound, `piece file ${ref} is gone (deleted while reading?)`, { cause: err });
      }
      throw ioError(err, 'reading a piece');
    }
  }

  async remove(ref: string): Promise<void> {
    try {
      await rm(join(this.blobs, ref), { force: true });
    } catch (err) {
      throw ioError(err, 'removing a piece file');
    }
  }
}
