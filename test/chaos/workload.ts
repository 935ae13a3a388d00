// The clients: uploaders work through the planned objects (a failed upload is tried again later,
// up to 3 times), a downloader keeps reading back random objects already written. Object bytes
// are AES-CTR keystream from the seed and the key, so nothing is held in memory or on disk: the
// SHA-256 of what was sent is compared with the SHA-256 of what comes back.
import { createCipheriv, createHash } from 'node:crypto';
import { Stowage, type ClientOptions } from '../../src/client/index.js';
import { isStowageError } from '../../src/common/index.js';
import { Prng } from './prng.js';

const CHUNK = 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

export async function* objectBytes(seed: number, key: string, size: number): AsyncGenerator<Uint8Array> {
  const k = createHash('sha256').update(`${seed}/${key}`).digest();
  const cipher = createCipheriv('aes-128-ctr', k.subarray(0, 16), k.subarray(16, 32));
  for (let left = size; left > 0; left -= CHUNK) yield cipher.update(ZEROS.subarray(0, Math.min(CHUNK, left)));
}

export interface OpRecord {
  op: 'upload' | 'download' | 'verify';
  key: string;
  size: number;
  at: number;
  ms: number;
  ok: boolean;
  /** The typed error's code; UNTYPED for anything else (a crash of the client code). */
  code?: string;
  message?: string;
}

export class Workload {
  readonly written = new Map<string, { size: number; sha256: string }>();
  readonly ops: OpRecord[] = [];
  /** Bytes that came back different from what was written: must stay empty. */
  readonly mismatches: { key: string; at: number }[] = [];
  /** Objects given up after three failed uploads. */
  readonly abandoned: string[] = [];
  private stopping = false;
  /** When the last upload began (ms since the epoch). */
  lastUploadStart = 0;
  private loops: Promise<void>[] = [];
  private readonly queue: { key: string; size: number; tries: number }[];

  constructor(
    private readonly seed: number,
    objects: { key: string; size: number }[],
    private readonly access: () => string,
    private readonly bucket: string,
    private readonly started: number,
    private readonly clientOptions: ClientOptions = {}
  ) {
    this.queue = objects.map((o) => ({ ...o, tries: 0 }));
  }

  start(uploaders: number, downloaders: number): void {
    for (let i = 0; i < uploaders; i++) this.loops.push(this.uploadLoop());
    for (let i = 0; i < downloaders; i++) this.loops.push(this.downloadLoop(new Prng(this.seed + 1000 + i)));
  }

  get pending(): number {
    return this.queue.length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private record(op: OpRecord['op'], key: string, size: number, t0: number, err?: unknown): void {
    const rec: OpRecord = { op, key, size, at: t0 - this.started, ms: Date.now() - t0, ok: err === undefined };
    if (err !== undefined) {
      rec.code = isStowageError(err) ? err.code : 'UNTYPED';
      rec.message = err instanceof Error ? err.message : JSON.stringify(err);
    }
    this.ops.push(rec);
  }

  private async client(): Promise<Stowage> {
    return Stowage.connect(this.access(), { segmentSize: 16 * 1024 * 1024, pieceTimeoutMs: 20_000, ...this.clientOptions });
  }

  private async uploadLoop(): Promise<void> {
    let client: Stowage | undefined;
    while (!this.stopping) {
      const item = this.queue.shift();
      if (!item) return;
      const t0 = Date.now();
      this.lastUploadStart = t0;
      const hash = createHash('sha256');
      try {
        client ??= await this.client();
        const source = (async function* (gen: AsyncGenerator<Uint8Array>) {
          for await (const c of gen) {
            hash.update(c);
            yield c;
          }
        })(objectBytes(this.seed, item.key, item.size));
        await client.upload(this.bucket, item.key, source);
        this.written.set(item.key, { size: item.size, sha256: hash.digest('hex') });
        this.record('upload', item.key, item.size, t0);
      } catch (err) {
        this.record('upload', item.key, item.size, t0, err);
        if (++item.tries < 3) this.queue.push(item);
        else this.abandoned.push(item.key);
        // A fresh client after a failure (the satellite may have restarted).
        await client?.close().catch(() => undefined);
        client = undefined;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await client?.close().catch(() => undefined);
  }

  private async downloadLoop(rng: Prng): Promise<void> {
    let client: Stowage | undefined;
    while (!this.stopping) {
      const keys = [...this.written.keys()];
      if (keys.length === 0) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const key = rng.pick(keys);
      const t0 = Date.now();
      try {
        client ??= await this.client();
        const ok = await this.readBack(client, key);
        if (!ok) this.mismatches.push({ key, at: t0 - this.started });
        this.record('download', key, this.written.get(key)!.size, t0);
      } catch (err) {
        this.record('download', key, this.written.get(key)!.size, t0, err);
        await client?.close().catch(() => undefined);
        client = undefined;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await client?.close().catch(() => undefined);
  }

  /** Downloads one object and compares its SHA-256 with what was written. */
  async readBack(client: Stowage, key: string): Promise<boolean> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const c of client.download(this.bucket, key)) {
      hash.update(c);
      size += c.length;
    }
    const w = this.written.get(key)!;
    return size === w.size && hash.digest('hex') === w.sha256;
  }

  /** After the run: every written object, read back once more. */
  async verifyAll(): Promise<{ identical: number; different: string[]; failed: { key: string; code: string }[] }> {
    const client = await this.client();
    const out = { identical: 0, different: [] as string[], failed: [] as { key: string; code: string }[] };
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
    } finally {
      await client.close();
    }
    return out;
  }
}
