// Multipart uploads in the client library (format v3) against a real satellite and nodes: parts
// in any order and at once, a part uploaded again, completion from a subset, abort, listings,
// part ranges, and a satellite that moves parts around is caught by the reader.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stowage } from '../../src/client/index.js';
import { startGatewayNetwork, TEST_SEGMENT, type GatewayNetwork } from '../gateway/fixtures/network.js';

let net: GatewayNetwork;
let client: Stowage;

beforeAll(async () => {
  net = await startGatewayNetwork();
  client = await Stowage.connect(net.access, { segmentSize: TEST_SEGMENT, pieceTimeoutMs: 5_000 });
  await client.createBucket('mpu');
}, 60_000);

afterAll(async () => {
  await client?.close();
  await net?.stop();
});

async function firstProject(): Promise<string> {
  for await (const k of net.satellite.apiKeys.list()) return k.id;
  throw new Error('no API key');
}

async function read(bucket: string, key: string, opts: { offset?: number; length?: number } = {}): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of client.download(bucket, key, opts)) parts.push(c);
  return Buffer.concat(parts);
}

describe('multipart uploads', () => {
  it('uploads parts out of order and at once, replaces one, completes from a subset, reads it back whole and by part', async () => {
    const id = await client.beginMultipart('mpu', 'big');
    const sizes = [TEST_SEGMENT * 2 + 17, 1000, TEST_SEGMENT + 1, 5];
    const bodies = sizes.map((n) => new Uint8Array(randomBytes(n)));
    // Parts 4, 2, 1, 3 at once.
    await Promise.all([3, 1, 0, 2].map((i) => client.uploadPart('mpu', 'big', id, i + 1, bodies[i]!, { info: new TextEncoder().encode(`etag-${i + 1}`) })));
    // Part 2 again, different bytes: the new one counts.
    bodies[1] = new Uint8Array(randomBytes(2000));
    await client.uploadPart('mpu', 'big', id, 2, bodies[1], { info: new TextEncoder().encode('etag-2b') });
    const { parts } = await client.listParts('mpu', 'big', id);
    expect(parts.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    expect(parts.map((p) => p.size)).toEqual([bodies[0]!.length, 2000, bodies[2]!.length, 5]);
    expect(new TextDecoder().decode(parts[1]!.info)).toBe('etag-2b');
    expect((await client.listUploads('mpu')).uploads.map((u) => u.uploadId)).toContain(id);
    // Parts 1, 2 and 4: part 3 is dropped.
    const chosen = [parts[0]!, parts[1]!, parts[3]!];
    const done = await client.completeMultipart('mpu', 'big', id, chosen, new TextEncoder().encode('user-meta'));
    expect(done.already).toBe(false);
    const expected = Buffer.concat([bodies[0]!, bodies[1], bodies[3]!]);
    expect(done.size).toBe(expected.length);
    expect((await read('mpu', 'big')).equals(expected)).toBe(true);
    const stat = await client.stat('mpu', 'big');
    expect(stat.parts).toBe(3);
    expect(new TextDecoder().decode(stat.metadata)).toBe('user-meta');
    // Ranges across part boundaries, and each part by its number.
    const from = bodies[0]!.length - 10;
    expect((await read('mpu', 'big', { offset: from, length: 2012 })).equals(expected.subarray(from, from + 2012))).toBe(true);
    const p4 = await client.partRange('mpu', 'big', 4);
    expect(p4).toEqual({ offset: bodies[0]!.length + 2000, size: 5 });
    await expect(client.partRange('mpu', 'big', 3)).rejects.toMatchObject({ code: 'PART_NOT_FOUND' });
    // Completing again answers with the object it made.
    const again = await client.completeMultipart('mpu', 'big', id, chosen);
    expect(again.already).toBe(true);
    expect(again.version).toBe(done.version);
    expect((await client.listUploads('mpu')).uploads.map((u) => u.uploadId)).not.toContain(id);
  });

  it('refuses parts out of order, parts never uploaded and a part replaced since it was listed', async () => {
    const id = await client.beginMultipart('mpu', 'refuse');
    const a = await client.uploadPart('mpu', 'refuse', id, 1, new Uint8Array(10));
    const b = await client.uploadPart('mpu', 'refuse', id, 2, new Uint8Array(10));
    await expect(client.completeMultipart('mpu', 'refuse', id, [b, a])).rejects.toMatchObject({ code: 'PART_ORDER_INVALID' });
    await expect(client.completeMultipart('mpu', 'refuse', id, [a, { ...b, number: 3 }])).rejects.toMatchObject({ code: 'PART_NOT_FOUND' });
    await client.uploadPart('mpu', 'refuse', id, 2, new Uint8Array(11));
    await expect(client.completeMultipart('mpu', 'refuse', id, [a, b])).rejects.toMatchObject({ code: 'PART_NOT_FOUND' });
    await expect(client.stat('mpu', 'refuse')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(client.uploadPart('mpu', 'refuse', id, 10_001, new Uint8Array(1))).rejects.toMatchObject({ code: 'PART_NUMBER_INVALID' });
    // Another key or bucket than the upload's: the satellite answers no such upload before any part
    // upload is begun (the client would fail to open the upload's key otherwise: review 17 L2).
    await expect(client.uploadPart('mpu', 'other-key', id, 3, new Uint8Array(1))).rejects.toMatchObject({ code: 'NO_SUCH_UPLOAD' });
    await expect(client.listParts('mpu', 'other-key', id)).rejects.toMatchObject({ code: 'NO_SUCH_UPLOAD' });
    await client.createBucket('mpu-other');
    await expect(client.uploadPart('mpu-other', 'refuse', id, 3, new Uint8Array(1))).rejects.toMatchObject({ code: 'NO_SUCH_UPLOAD' });
  });

  it('completes from empty parts first, last or only, and reads every such object back whole (review 18)', async () => {
    for (const sizes of [[3000, 0], [0, 3000], [0, 0], [0], [0, 5, 0, 7, 0]]) {
      const key = `empty-${sizes.join('-')}`;
      const id = await client.beginMultipart('mpu', key);
      const bodies = sizes.map((n) => new Uint8Array(randomBytes(n)));
      const parts = [];
      for (const [i, body] of bodies.entries()) parts.push(await client.uploadPart('mpu', key, id, i + 1, body));
      const done = await client.completeMultipart('mpu', key, id, parts);
      const whole = Buffer.concat(bodies);
      expect([key, done.size]).toEqual([key, whole.length]);
      expect([key, (await read('mpu', key)).equals(whole)]).toEqual([key, true]);
    }
  });

  it('aborts: the upload and its parts are gone, and the project usage falls back', async () => {
    const project = await firstProject();
    const before = await net.satellite.metadata.usage(project);
    const id = await client.beginMultipart('mpu', 'aborted');
    await client.uploadPart('mpu', 'aborted', id, 1, new Uint8Array(randomBytes(TEST_SEGMENT + 5)));
    await client.uploadPart('mpu', 'aborted', id, 2, new Uint8Array(randomBytes(100)));
    await client.abortMultipart(id);
    await expect(client.listParts('mpu', 'aborted', id)).rejects.toMatchObject({ code: 'NO_SUCH_UPLOAD' });
    await expect(client.uploadPart('mpu', 'aborted', id, 3, new Uint8Array(1))).rejects.toMatchObject({ code: 'NO_SUCH_UPLOAD' });
    const after = await net.satellite.metadata.usage(project);
    expect(after.storedBytes).toBe(before.storedBytes);
    expect(after.segments).toBe(before.segments);
  });

  it('lists parts with the largest infos and uploads with the longest keys a frame at a time, and completes from every page (review 17 M6)', async () => {
    // 1000 such parts or uploads would be over 1 MB: one answer used to exceed the 260 KiB frame.
    const PARTS = 300;
    const id = await client.beginMultipart('mpu', 'many-parts', new Uint8Array(randomBytes(8000)));
    const info = (n: number): Uint8Array => new Uint8Array(Buffer.alloc(960, n % 251));
    for (let n = 1; n <= PARTS; n += 20) {
      await Promise.all(Array.from({ length: Math.min(20, PARTS - n + 1) }, (_, i) => client.uploadPart('mpu', 'many-parts', id, n + i, new Uint8Array([n + i]), { info: info(n + i) })));
    }
    const listed = [];
    let pages = 0;
    for (let after = 0, more = true; more; pages++) {
      const page = await client.listParts('mpu', 'many-parts', id, { after });
      expect(page.parts.length).toBeGreaterThan(0);
      listed.push(...page.parts);
      more = page.more;
      after = page.parts[page.parts.length - 1]!.number;
    }
    expect(pages).toBeGreaterThan(1);
    expect(listed.map((p) => p.number)).toEqual(Array.from({ length: PARTS }, (_, i) => i + 1));
    expect(listed.every((p) => Buffer.from(p.info!).equals(Buffer.from(info(p.number))))).toBe(true);
    const done = await client.completeMultipart('mpu', 'many-parts', id, listed);
    expect(done.size).toBe(PARTS);
    expect([...(await read('mpu', 'many-parts'))]).toEqual(Array.from({ length: PARTS }, (_, i) => (i + 1) & 0xff));

    // Uploads under 1000-byte keys, listed by their markers.
    await client.createBucket('mpu-keys');
    const keys = Array.from({ length: PARTS }, (_, i) => `${String(i).padStart(4, '0')}/${'k'.repeat(995)}`);
    for (let i = 0; i < keys.length; i += 30) await Promise.all(keys.slice(i, i + 30).map((k) => client.beginMultipart('mpu-keys', k)));
    const uploads = [];
    pages = 0;
    for (let marker = { keyMarker: '', uploadMarker: '' }, more = true; more; pages++) {
      const page = await client.listUploads('mpu-keys', marker);
      expect(page.uploads.length).toBeGreaterThan(0);
      uploads.push(...page.uploads);
      more = page.more;
      const last = page.uploads[page.uploads.length - 1]!;
      marker = { keyMarker: last.key, uploadMarker: last.uploadId };
    }
    expect(pages).toBeGreaterThan(1);
    expect(uploads.map((u) => u.key)).toEqual(keys);
  }, 120_000);
});
