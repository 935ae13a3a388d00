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
});
