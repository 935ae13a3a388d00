// The clients: uploaders work through the planned objects, overwriting or deleting some once
// written (a failed upload or delete is tried again after a growing pause, up to MAX_TRIES times),
// a downloader keeps reading back random objects already written. Object bytes are AES-CTR
// keystream from the seed, the key and its version, so nothing is held in memory or on disk: the
// SHA-256 of what was sent is compared with the SHA-256 of what comes back.
import { createCipheriv, createHash } from 'node:crypto';
import { Stowage, type ClientOptions } from '../../src/client/index.js';
import { isStowageError } from '../../src/common/index.js';
import { Prng } from './prng.js';
import type { ObjectChange } from './schedule.js';

const CHUNK = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);
/** Tries of one upload or delete before it is given up (which fails the run). */
export const MAX_TRIES = 6;
/** Pause before the second try; doubled before each further one, up to MAX_PAUSE_MS. */
const FIRST_PAUSE_MS = 2000;
const MAX_PAUSE_MS = 30_000;

export async function* objectBytes(seed: number, key: string, size: number, version = 0): AsyncGenerator<Uint8Array> {
  const k = createHash('sha256').update(version === 0 ? `${seed}/${key}` : `${seed}/${key}/v${version}`).digest();
  const cipher = createCipheriv('aes-128-ctr', k.subarray(0, 16), k.subarray(16, 32));
  for (let left = size; left > 0; left -= CHUNK) yield cipher.update(ZEROS.subarray(0, Math.min(CHUNK, left)));
}

export interface OpRecord {
  op: 'upload' | 'delete' | 'download' | 'verify';
  key: string;
  size: number;
  at: number;
  ms: number;
  ok: boolean;
  /** The typed error's code; UNTYPED for anything else (a crash of the client code). */
  code?: string;
  message?: string;
  /** A read that overlapped an overwrite or delete of its object: either answer is right. */
  raced?: boolean;
}

interface Job {
  kind: 'put' | 'delete';
  key: string;
  size: number;
  version: number;
  tries: number;
  /** Not tried again before this (ms since the epoch). */
  notBefore: number;
  then?: ObjectChange;
}

export class Workload {
  readonly written = new Map<string, { size: number; sha256: string; version: number }>();
  /** Objects deleted on purpose: a read must say they are not there. */
  readonly deleted = new Set<string>();
  readonly ops: OpRecord[] = [];
  /** Bytes that came back different from what was written: must stay empty. */
  readonly mismatches: { key: string; at: number }[] = [];
  /** Objects (or their overwrites and deletes) given up after MAX_TRIES failures. */
  readonly abandoned: string[] = [];
  private stopping = false;
  private uploadsUntil = Number.POSITIVE_INFINITY;
  /** When the last upload began (ms since the epoch). */
  lastUploadStart = 0;
  private readonly uploaders: Promise<void>[] = [];
  private readonly downloaders: Promise<void>[] = [];
  private readonly queue: Job[];
  /** Jobs being worked on: the queue is not done while one may come back. */
  private active = 0;
  /** Objects being overwritten or deleted now, and how many changes each has seen. */
  private readonly changing = new Set<string>();
  private readonly changes = new Map<string, number>();

  constructor(
    private readonly seed: number,
    objects: { key: string; size: number; then?: ObjectChange }[],
    private readonly access: () => string,
    private readonly bucket: string,
    private readonly started: number,
    private readonly clientOptions: ClientOptions = {}
  ) {
    this.queue = objects.map((o) => ({ kind: 'put', key: o.key, size: o.size, version: 0, tries: 0, notBefore: 0, ...(o.then ? { then: o.then } : {}) }));
  }

  start(uploaders: number, downloaders: number): void {
    for (let i = 0; i < uploaders; i++) this.uploaders.push(this.uploadLoop());
    for (let i = 0; i < downloaders; i++) this.downloaders.push(this.downloadLoop(new Prng(this.seed + 1000 + i)));
  }

  /** Jobs never done: not tried, or waiting for another try. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Stops the readers at once; the uploaders finish the queue (tries left and their pauses
   * included) or stop at `deadline`, whichever comes first.
   */
  async stop(deadline = Date.now()): Promise<void> {
    this.stopping = true;
    this.uploadsUntil = deadline;
    await Promise.all([...this.downloaders, ...this.uploaders]);
  }

  private record(op: OpRecord['op'], key: string, size: number, t0: number, err?: unknown, raced = false): void {
    const rec: OpRecord = { op, key, size, at: t0 - this.started, ms: Date.now() - t0, ok: err === undefined };
    if (err !== undefined) {
      rec.code = isStowageError(err) ? err.code : 'UNTYPED';
      rec.message = err instanceof Error ? err.message : JSON.stringify(err);
    }
    if (raced) rec.raced = true;
    this.ops.push(rec);
  }

  private async client(): Promise<Stowage> {
    return Stowage.connect(this.access(), { segmentSize: 16 * 1024 * 1024, pieceTimeoutMs: 20_000, ...this.clientOptions });
  }

  /** The next job whose pause is over; undefined when the queue is empty (or only pausing jobs are left). */
  private take(): Job | undefined {
    const now = Date.now();
    const i = this.queue.findIndex((j) => j.notBefore <= now);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async uploadLoop(): Promise<void> {
    let client: Stowage | undefined;
    for (;;) {
      if (Date.now() >= this.uploadsUntil) break;
      const job = this.take();
      if (!job) {
        if (this.queue.length === 0 && this.active === 0) break;
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      this.active++;
      const t0 = Date.now();
      const change = job.version > 0 || job.kind === 'delete';
      if (change) this.begin(job.key);
      try {
        client ??= await this.client();
        if (job.kind === 'put') await this.put(client, job, t0);
        else {
          // A delete whose answer was lost (the satellite went away after doing it) finds nothing
          // the second time: done all the same.
          await client.delete(this.bucket, job.key).catch((err: unknown) => {
            if (!(job.tries > 0 && isStowageError(err) && err.code === 'OBJECT_NOT_FOUND')) throw err;
          });
          this.written.delete(job.key);
          this.deleted.add(job.key);
          this.record('delete', job.key, 0, t0);
        }
        if (job.then) {
          // The change comes later, behind the jobs already queued.
          const next: Job = job.then.kind === 'delete' ? { kind: 'delete', key: job.key, size: 0, version: job.version, tries: 0, notBefore: 0 } : { kind: 'put', key: job.key, size: job.then.size, version: job.version + 1, tries: 0, notBefore: 0 };
          this.queue.push(next);
        }
      } catch (err) {
        this.record(job.kind === 'put' ? 'upload' : 'delete', job.key, job.size, t0, err);
        if (++job.tries < MAX_TRIES) this.queue.push({ ...job, notBefore: Date.now() + Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (job.tries - 1)) });
        else this.abandoned.push(`${job.kind === 'put' ? (job.version > 0 ? 'overwrite' : 'upload') : 'delete'} ${job.key}`);
        // A fresh client after a failure (the satellite may have restarted).
        await client?.close().catch(() => undefined);
        client = undefined;
      } finally {
        if (change) this.end(job.key);
        this.active--;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await client?.close().catch(() => undefined);
  }

  private async put(client: Stowage, job: Job, t0: number): Promise<void> {
    this.lastUploadStart = t0;
    const hash = createHash('sha256');
    const source = (async function* (gen: AsyncGenerator<Uint8Array>) {
      for await (const c of gen) {
        hash.update(c);
        yield c;
      }
    })(objectBytes(this.seed, job.key, job.size, job.version));
    // Format v4 streams a segment only when the size is given: given, so that path is run too.
    await client.upload(this.bucket, job.key, source, this.clientOptions.stripedUploads ? { sizeHint: job.size } : {});
    this.written.set(job.key, { size: job.size, sha256: hash.digest('hex'), version: job.version });
    this.record('upload', job.key, job.size, t0);
  }

  private begin(key: string): void {
    this.changing.add(key);
    this.changes.set(key, (this.changes.get(key) ?? 0) + 1);
  }

  private end(key: string): void {
    this.changing.delete(key);
    this.changes.set(key, (this.changes.get(key) ?? 0) + 1);
  }

  private async downloadLoop(rng: Prng): Promise<void> {
    let client: Stowage | undefined;
    while (!this.stopping) {
      const keys = [...this.written.keys()].filter((k) => !this.changing.has(k));
      if (keys.length === 0) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const key = rng.pick(keys);
      const expected = this.written.get(key)!;
      const generation = this.changes.get(key) ?? 0;
      // Changed (or changing) while it was read: neither old nor new bytes, nor a typed refusal, are wrong.
      const raced = (): boolean => (this.changes.get(key) ?? 0) !== generation;
      const t0 = Date.now();
      try {
        client ??= await this.client();
        const ok = await this.readBack(client, key, expected);
        if (!ok && !raced()) this.mismatches.push({ key, at: t0 - this.started });
        this.record('download', key, expected.size, t0, undefined, raced());
      } catch (err) {
        this.record('download', key, expected.size, t0, err, raced());
        await client?.close().catch(() => undefined);
        client = undefined;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await client?.close().catch(() => undefined);
  }

  /** Downloads one object and compares its SHA-256 with what was written. */
  async readBack(client: Stowage, key: string, expected = this.written.get(key)!): Promise<boolean> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const c of client.download(this.bucket, key)) {
      hash.update(c);
      size += c.length;
    }
    return size === expected.size && hash.digest('hex') === expected.sha256;
  }

  /**
   * After the run: every written object read back once more, and every deleted one asked for
   * (it must be refused as not found).
   */
  async verifyAll(): Promise<{ identical: number; different: string[]; failed: { key: string; code: string }[]; deletedGone: number; deletedFound: { key: string; code: string }[] }> {
    const client = await this.client();
    const out = { identical: 0, different: [] as string[], failed: [] as { key: string; code: string }[], deletedGone: 0, deletedFound: [] as { key: string; code: string }[] };
    try {
      for (const [key, w] of this.written) {
        const t0 = Date.now();
        try {
          if (await this.readBack(client, key)) out.identical++;
          else out.different.push(key);
          this.record('verify', key, w.size, t0);
        } catch (err) {
          this.record('verify', key, w.size, t0, err);
          out.failed.push({ key, code: isStowageError(err) ? err.code : 'UNTYPED' });
        }
      }
      for (const key of this.deleted) {
        try {
          await this.readBack(client, key, { size: -1, sha256: '', version: -1 });
          out.deletedFound.push({ key, code: 'READ' });
        } catch (err) {
          const code = isStowageError(err) ? err.code : 'UNTYPED';
          if (code === 'OBJECT_NOT_FOUND') out.deletedGone++;
          else out.deletedFound.push({ key, code });
        }
      }
    } finally {
      await client.close();
    }
    return out;
  }
}
