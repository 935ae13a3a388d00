// A v4 upload of a sized source that is slow (hostile review 23 H3). Nodes cut an upload stream
// that gives less than their minimum rate over a window; a segment sent as its source is read has
// no bytes left for a replacement round. So a segment is sent live only when the source gives its
// first bytes quickly (before any node is dialed), and is held otherwise. Real satellite, 4 real
// nodes on loopback that want 256 KiB/s over 1 s windows, so a 3 s pause of the source is past it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stowage } from '../../src/client/index.js';
import { LIVE_SOURCE_BYTES } from '../../src/client/upload.js';
import type { Satellite } from '../../src/satellite/index.js';
import type { StorageNode } from '../../src/node/index.js';
import { connectClient, startNodes, startSatellite, stopAll } from '../satellite/fixtures.js';

const MiB = 1024 * 1024;
const parts: { satellite?: Satellite; nodes?: StorageNode[]; client?: Stowage } = {};

beforeAll(async () => {
  parts.satellite = await startSatellite({ profile: { minimum: 2, repair: 3, success: 3, total: 4 } });
  parts.nodes = (await startNodes(parts.satellite, 4, () => ({ rateWindowMs: 1000, minTransferRate: 256 * 1024 }))).nodes;
  parts.client = await connectClient(parts.satellite, { segmentSize: 8 * MiB, stripedUploads: true });
  await parts.client.createBucket('slow');
}, 60_000);

afterAll(async () => {
  await stopAll(parts);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The bytes in 256 KiB chunks, pausing `pauseMs` before each offset in `pauses`. */
async function* pausing(data: Uint8Array, pauses: number[], pauseMs: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += 256 * 1024) {
    if (pauses.includes(at)) await sleep(pauseMs);
    yield data.subarray(at, at + 256 * 1024);
  }
}

async function readBack(key: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of parts.client!.download('slow', key)) chunks.push(new Uint8Array(c));
  return Buffer.concat(chunks);
}

describe('a slow source in a v4 upload', () => {
  it('a pause within a segment\'s first bytes holds that segment, and the object reads back', async () => {
    // 20 MiB in 8 MiB segments: segment 0 pauses 3 s at 1 MiB (held), segment 1 is quick (live),
    // segment 2 pauses at its start (held); held and live segments are one layout.
    const data = new Uint8Array(randomBytes(20 * MiB));
    const pauses = [1 * MiB, 16 * MiB];
    const started = Date.now();
    await parts.client!.upload('slow', 'paused', pausing(data, pauses, 3000), { sizeHint: data.length });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
    expect((await readBack('paused')).equals(Buffer.from(data))).toBe(true);
  }, 120_000);

  it('a steady source below the live rate is held, and reads back', async () => {
    // 320 KiB/s: the first 4 MiB take 12.8 s, past the 2 s a live segment waits for. Sent live,
    // each node would get 160 KiB/s, under its 256 KiB/s minimum: held, it gets the piece at once.
    const data = new Uint8Array(randomBytes(5 * MiB));
    async function* steady(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < data.length; at += 64 * 1024) {
        await sleep(200);
        yield data.subarray(at, at + 64 * 1024);
      }
    }
    await parts.client!.upload('slow', 'steady', steady(), { sizeHint: data.length });
    expect((await readBack('steady')).equals(Buffer.from(data))).toBe(true);
  }, 120_000);

  it('a live segment whose source takes longer than the piece timeout is stored (the timeout runs from the piece\'s end)', async () => {
    // Its first 4 MiB at once, then 1 MiB/s: the 8 MiB segment takes 4 s to send, twice the
    // client's 2 s piece timeout (hostile review 24 H1: every stream timed out waiting for its receipt).
    const client = await connectClient(parts.satellite!, { segmentSize: 8 * MiB, stripedUploads: true, pieceTimeoutMs: 2000 });
    try {
      await client.createBucket('timeout');
      const data = new Uint8Array(randomBytes(8 * MiB));
      async function* source(): AsyncGenerator<Uint8Array> {
        yield data.subarray(0, 4 * MiB);
        for (let at = 4 * MiB; at < data.length; at += 128 * 1024) {
          await sleep(125);
          yield data.subarray(at, at + 128 * 1024);
        }
      }
      const started = Date.now();
      await client.upload('timeout', 'o', source(), { sizeHint: data.length });
      expect(Date.now() - started).toBeGreaterThan(3500);
      const chunks: Uint8Array[] = [];
      for await (const c of client.download('timeout', 'o')) chunks.push(new Uint8Array(c));
      expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('a pause past a live segment\'s first bytes fails the upload, naming the pause, and commits nothing', async () => {
    // Segment 0 is quick for its first LIVE_SOURCE_BYTES and pauses 3 s at 6 MiB: its streams are
    // cut and there is nothing to send again. The error says why.
    const data = new Uint8Array(randomBytes(8 * MiB));
    expect(6 * MiB).toBeGreaterThan(LIVE_SOURCE_BYTES);
    const err = await parts.client!.upload('slow', 'cut', pausing(data, [6 * MiB], 8000), { sizeHint: data.length }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string }
    );
    expect(err?.code).toBe('UPLOAD_FAILED');
    expect(err?.message).toMatch(/the source paused \d+\.\d s mid-segment/);
    const keys: string[] = [];
    for await (const page of parts.client!.list('slow')) keys.push(...page.objects.map((o) => o.key));
    expect(keys).not.toContain('cut');
  }, 120_000);
});

it('an upload whose source stalls for good ends when its signal aborts (it waited on the source)', async () => {
  const data = new Uint8Array(randomBytes(6 * MiB));
  async function* stalls(): AsyncGenerator<Uint8Array> {
    yield data;
    await new Promise(() => undefined);
  }
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('the caller gave up')), 1500);
  const started = Date.now();
  const err = await parts.client!.upload('slow', 'stalled', stalls(), { sizeHint: 12 * MiB, signal: controller.signal }).then(
    () => undefined,
    (e: unknown) => e as Error
  );
  expect(err).toBeInstanceOf(Error);
  expect(Date.now() - started).toBeLessThan(8000);
}, 60_000);
