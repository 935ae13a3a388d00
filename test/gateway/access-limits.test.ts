// Each access's share of the gateway (review 17 M8): a tenant over its request rate, or with its
// share of uploads in progress, is told SlowDown (503) at once, while another tenant on the same
// gateway goes on being served; GETs likewise, and past the download memory they wait their
// turn; an object whose segments are over the gateway's limit is refused before it is fetched.
// Registration over HTTP (review 17 M7): what dialing a satellite
// met is not told back, and one address registers at most 10 at once, then 1 a second.
import { Readable } from 'node:stream';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stowage, createAccess } from '../../src/client/index.js';
import { until } from '../node/fixtures/until.js';
import { startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

const MIB = 1024 * 1024;
let net: GatewayNetwork;
// The gateway's clock, moved by hand: buckets refill only when a test says so, however slow the machine.
let clock = Date.now();
const later = (ms: number): void => void (clock += ms);
let a: S3Client;
let b: S3Client;

beforeAll(async () => {
  // Downloads: 512 KiB segments read at most, so a GET holds 1.5 MiB of the 2 MiB budget at most.
  net = await startGatewayNetwork({
    gateway: { accessRequestsPerSecond: 5, accessRequestBurst: 10, accessUploads: 1, accessDownloads: 1, downloadMemory: 2 * MIB, downloadMaxSegment: MIB / 2 },
    now: () => clock
  });
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

describe('per-access limits', () => {
  it('answers SlowDown to a tenant over its rate, not to another; DeleteObjects counts its keys', async () => {
    later(10_000); // both buckets full again
    const burst = await Promise.all(Array.from({ length: 15 }, () => outcome(a.send(new ListBucketsCommand({})))));
    expect(burst.filter((o) => o === 'ok')).toHaveLength(10);
    expect(burst.filter((o) => o === 'SlowDown 503')).toHaveLength(5);
    // The other tenant is not slowed.
    expect(await outcome(b.send(new ListBucketsCommand({})))).toBe('ok');
    // 20 keys are 20 requests: more than b's bucket holds after one request.
    const many = { Objects: Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}` })) };
    expect(await outcome(b.send(new DeleteObjectsCommand({ Bucket: 'tenant-b', Delete: many })))).toBe('SlowDown 503');
    later(2500);
    expect(await outcome(b.send(new DeleteObjectsCommand({ Bucket: 'tenant-b', Delete: { Objects: [{ Key: 'k1' }, { Key: 'k2' }] } })))).toBe('ok');
  });

  it('answers SlowDown to a second upload of a tenant whose first is in progress; the other tenant uploads', async () => {
    later(10_000);
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
    await until(() => net.gateway.uploadMemory.state.used > 0, 'the first upload running');
    expect(await outcome(a.send(new PutObjectCommand({ Bucket: 'tenant-a', Key: 'second', Body: 'x' })))).toBe('SlowDown 503');
    expect(await outcome(b.send(new PutObjectCommand({ Bucket: 'tenant-b', Key: 'meanwhile', Body: 'y' })))).toBe('ok');
    release();
    expect(await first).toBe('ok');
    // Its upload done, the tenant uploads again.
    expect(await outcome(a.send(new PutObjectCommand({ Bucket: 'tenant-a', Key: 'second', Body: 'x' })))).toBe('ok');
  });

  it('answers SlowDown to a second GET of a tenant whose first is in progress; the other tenant waits for memory, then reads', async () => {
    later(10_000);
    const big = new Uint8Array(20 * MIB).map((_, i) => i % 251);
    await a.send(new PutObjectCommand({ Bucket: 'tenant-a', Key: 'big', Body: big }));
    await b.send(new PutObjectCommand({ Bucket: 'tenant-b', Key: 'mid', Body: new Uint8Array(300 * 1024).fill(3) }));
    // Its body left unread: the gateway's writes stop at the socket's buffers (far below 20 MiB)
    // and the download holds its share of the memory meanwhile.
    const first = await a.send(new GetObjectCommand({ Bucket: 'tenant-a', Key: 'big' }));
    expect(net.gateway.downloadMemory.state.used).toBe(1.5 * MIB);
    expect(await outcome(a.send(new GetObjectCommand({ Bucket: 'tenant-a', Key: 'big' })))).toBe('SlowDown 503');
    // The same grant registered again is the same tenant (review 21 H1: it was a second share).
    const again = await net.gateway.register(net.access);
    const a2 = net.s3({ maxAttempts: 1, credentials: { accessKeyId: again.accessKeyId, secretAccessKey: again.secretKey } });
    expect(await outcome(a2.send(new GetObjectCommand({ Bucket: 'tenant-a', Key: 'big' })))).toBe('SlowDown 503');
    // 900 KiB more does not fit the 2 MiB: tenant b's GET waits its turn.
    const second = b.send(new GetObjectCommand({ Bucket: 'tenant-b', Key: 'mid' }));
    await until(() => net.gateway.downloadMemory.state.waiting === 1, "tenant b's GET waiting for memory");
    const bytes = await first.Body!.transformToByteArray();
    expect(Buffer.from(bytes).equals(Buffer.from(big))).toBe(true);
    const got = await (await second).Body!.transformToByteArray();
    expect(got.length).toBe(300 * 1024);
    await until(() => net.gateway.downloadMemory.state.used === 0, 'the download memory given back');
    expect(await outcome(a.send(new GetObjectCommand({ Bucket: 'tenant-a', Key: 'big', Range: 'bytes=0-9' })))).toBe('ok');
  });

  it('refuses an object whose segments are over the limit before fetching any (SEGMENT_TOO_LARGE)', async () => {
    later(10_000);
    // Uploaded with the library and 1 MiB segments, twice what this gateway reads.
    const client = await Stowage.connect(net.access, { segmentSize: MIB });
    try {
      await client.upload('tenant-a', 'wide', new Uint8Array(MIB).fill(7));
    } finally {
      await client.close();
    }
    const err = (await a.send(new GetObjectCommand({ Bucket: 'tenant-a', Key: 'wide' })).catch((e: unknown) => e)) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['InternalError', 500]);
    expect(err.message).toMatch(/holds 1048576 bytes, over this reader's limit of 524288/);
    expect(net.gateway.downloadMemory.state).toEqual({ used: 0, waiting: 0 });
  });

  it('registers over HTTP without telling what dialing met, at most 10 at once from one address', async () => {
    const post = async (body: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(new URL('/_stowage/register', net.gateway.endpoint), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, text: await res.text() };
    };
    // A satellite that does not exist, at a closed port of the gateway's own machine.
    const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
    const key = (await net.satellite.apiKeys.create('nobody')).key;
    const closed = await post(JSON.stringify({ access: createAccess(`${nobody}@/ip4/127.0.0.1/tcp/1`, key) }));
    expect(closed.status).toBe(503);
    expect(closed.text).toContain('did not answer');
    expect(closed.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|dial/i);
    // Nine more (malformed: cheap), then the eleventh in the same second is refused.
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push((await post('{')).status);
    expect(answers).toEqual(Array(9).fill(400));
    const over = await post('{');
    expect(over.status).toBe(503);
    expect(over.text).toContain('SlowDown');
  });
});
