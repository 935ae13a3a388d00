// Each access's share of the gateway (review 17 M8): a tenant over its request rate, or with its
// share of uploads in progress, is told SlowDown (503) at once, while another tenant on the same
// gateway goes on being served.
import { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectsCommand, ListBucketsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccess } from '../../src/client/index.js';
import { startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

let net: GatewayNetwork;
let a: S3Client;
let b: S3Client;

beforeAll(async () => {
  net = await startGatewayNetwork({ gateway: { accessRequestsPerSecond: 5, accessRequestBurst: 10, accessUploads: 1 } });
  // No retries: the SDK would wait SlowDown out.
  a = net.s3({ maxAttempts: 1 });
  const satAddr = net.satellite.multiaddrs()[0]!.replace(/\/p2p\/.*$/, '');
  const other = await net.gateway.register(createAccess(`${net.satellite.id}@${satAddr}`, (await net.satellite.apiKeys.create('tenant-b')).key));
  b = net.s3({ maxAttempts: 1, credentials: { accessKeyId: other.accessKeyId, secretAccessKey: other.secretKey } });
  await a.send(new CreateBucketCommand({ Bucket: 'tenant-a' }));
  await b.send(new CreateBucketCommand({ Bucket: 'tenant-b' }));
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (err: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${err.name} ${err.$metadata?.httpStatusCode}`
  );
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('per-access limits', () => {
  it('answers SlowDown to a tenant over its rate, not to another; DeleteObjects counts its keys', async () => {
    await pause(2500); // both buckets full again
    const burst = await Promise.all(Array.from({ length: 15 }, () => outcome(a.send(new ListBucketsCommand({})))));
    expect(burst.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(9);
    expect(burst.filter((o) => o === 'SlowDown 503').length).toBeGreaterThanOrEqual(4);
    expect(burst.every((o) => o === 'ok' || o === 'SlowDown 503')).toBe(true);
    // The other tenant is not slowed.
    expect(await outcome(b.send(new ListBucketsCommand({})))).toBe('ok');
    // 20 keys are 20 requests: more than b's bucket holds after one request.
    const many = { Objects: Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}` })) };
    expect(await outcome(b.send(new DeleteObjectsCommand({ Bucket: 'tenant-b', Delete: many })))).toBe('SlowDown 503');
    await pause(2500);
    expect(await outcome(b.send(new DeleteObjectsCommand({ Bucket: 'tenant-b', Delete: { Objects: [{ Key: 'k1' }, { Key: 'k2' }] } })))).toBe('ok');
  });

  it('answers SlowDown to a second upload of a tenant whose first is in progress; the other tenant uploads', async () => {
    await pause(2500);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const body = Readable.from(
      (async function* () {
        yield Buffer.alloc(1000, 1);
        await held;
        yield Buffer.alloc(1000, 2);
      })()
    );
    const first = outcome(a.send(new PutObjectCommand({ Bucket: 'tenant-a', Key: 'slow', Body: body, ContentLength: 2000 })));
    await pause(500);
    expect(await outcome(a.send(new PutObjectCommand({ Bucket: 'tenant-a', Key: 'second', Body: 'x' })))).toBe('SlowDown 503');
    expect(await outcome(b.send(new PutObjectCommand({ Bucket: 'tenant-b', Key: 'meanwhile', Body: 'y' })))).toBe('ok');
    release();
    expect(await first).toBe('ok');
    // Its upload done, the tenant uploads again.
    expect(await outcome(a.send(new PutObjectCommand({ Bucket: 'tenant-a', Key: 'second', Body: 'x' })))).toBe('ok');
  });
});
