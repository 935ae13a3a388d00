// Multipart uploads through the gateway with the AWS SDK and lib-storage: parts as segments of a
// pending object, Complete from a subset, the S3 ETag, part reads, copies of parts, listings,
// abort, and the refusals S3 makes.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SEGMENT, startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

const MIN_PART = 64 * 1024;
let net: GatewayNetwork;
let s3: S3Client;

beforeAll(async () => {
  net = await startGatewayNetwork({ gateway: { minPartSize: MIN_PART } });
  s3 = net.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();
const multipartEtag = (parts: Uint8Array[]): string => `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-${parts.length}"`;

async function bodyOf(res: { Body?: unknown }): Promise<Buffer> {
  return Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

describe('multipart', () => {
  it('uploads parts in any order, completes from a subset, with the S3 ETag, metadata from Create, and reads parts by number', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'm/1', ContentType: 'video/mp4', Metadata: { who: 'test' } }));
    const bodies = [MIN_PART + 5, TEST_SEGMENT * 2 + 3, MIN_PART, 77].map((n) => new Uint8Array(randomBytes(n)));
    const etags = await Promise.all(
      [2, 0, 3, 1].map(async (i) => [i, (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/1', UploadId, PartNumber: i + 1, Body: bodies[i] }))).ETag!] as const)
    );
    const etagOf = new Map(etags);
    for (const [i, e] of etags) expect(e).toBe(`"${md5(bodies[i]!).toString('hex')}"`);
    const listed = await s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'm/1', UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual(bodies.map((b, i) => [i + 1, b.length]));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi' }));
    expect(uploads.Uploads?.map((u) => u.UploadId)).toContain(UploadId);
    const chosen = [0, 1, 3];
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'm/1', UploadId, MultipartUpload: { Parts: chosen.map((i) => ({ PartNumber: i + 1, ETag: etagOf.get(i)! })) } })
    );
    const parts = chosen.map((i) => bodies[i]!);
    expect(done.ETag).toBe(multipartEtag(parts));
    const whole = Buffer.concat(parts);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'm/1' }));
    expect(got.ETag).toBe(done.ETag);
    expect(got.ContentType).toBe('video/mp4');
    expect(got.Metadata).toEqual({ who: 'test' });
    expect((await bodyOf(got)).equals(whole)).toBe(true);
    const part2 = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'm/1', PartNumber: 2 }));
    expect(part2.PartsCount).toBe(3);
    expect((await bodyOf(part2)).equals(Buffer.from(bodies[1]!))).toBe(true);
    // Part 4 of the upload is the object's third part, numbered 4 still.
    const head4 = await s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'm/1', PartNumber: 4 }));
    expect(head4.ContentLength).toBe(77);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'm/1', PartNumber: 3 }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 416 } });
    // A repeated Complete answers as the first did.
    const again = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'm/1', UploadId, MultipartUpload: { Parts: chosen.map((i) => ({ PartNumber: i + 1, ETag: etagOf.get(i)! })) } })
    );
    expect(again.ETag).toBe(done.ETag);
    // With another list of parts, it is no longer an upload in progress (review 17 L1).
    const other = [0, 1, 2, 3].map((i) => ({ PartNumber: i + 1, ETag: etagOf.get(i)! }));
    await expect(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'm/1', UploadId, MultipartUpload: { Parts: other } }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    // UploadPart and ListParts naming another key than the upload's: NoSuchUpload (review 17 L2).
    await expect(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/other', UploadId, PartNumber: 1, Body: new Uint8Array(1) }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    const { UploadId: open } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'm/open' }));
    await expect(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/other', UploadId: open, PartNumber: 1, Body: new Uint8Array(1) }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'm/other', UploadId: open }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    // Nor is an upload aborted under another key's path (review 18).
    await expect(s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'm/other', UploadId: open }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi' }))).Uploads?.map((u) => u.UploadId)).toContain(open);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'm/open', UploadId: open }));
  });

  it('refuses parts out of order, a wrong ETag, a small part, an unknown upload; nothing becomes visible', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'm/bad' }));
    const a = new Uint8Array(randomBytes(1000));
    const b = new Uint8Array(randomBytes(MIN_PART));
    const ea = (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/bad', UploadId, PartNumber: 1, Body: a }))).ETag!;
    const eb = (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/bad', UploadId, PartNumber: 2, Body: b }))).ETag!;
    const complete = (parts: { PartNumber: number; ETag: string }[]) => s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'm/bad', UploadId, MultipartUpload: { Parts: parts } }));
    await expect(complete([{ PartNumber: 2, ETag: eb }, { PartNumber: 1, ETag: ea }])).rejects.toMatchObject({ name: 'InvalidPartOrder' });
    await expect(complete([{ PartNumber: 1, ETag: eb }, { PartNumber: 2, ETag: eb }])).rejects.toMatchObject({ name: 'InvalidPart' });
    await expect(complete([{ PartNumber: 1, ETag: ea }, { PartNumber: 3, ETag: eb }])).rejects.toMatchObject({ name: 'InvalidPart' });
    await expect(complete([{ PartNumber: 1, ETag: ea }, { PartNumber: 2, ETag: eb }])).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'm/bad' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/bad', UploadId: 'f'.repeat(32), PartNumber: 1, Body: a }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'm/bad', UploadId, PartNumber: 10_001, Body: a }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'm/bad', UploadId }));
    await expect(s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'm/bad', UploadId }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(complete([{ PartNumber: 2, ETag: eb }])).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('copies parts from objects (whole and by range)', async () => {
    const src = new Uint8Array(randomBytes(MIN_PART * 2 + 10));
    await s3.send(new PutObjectCommand({ Bucket: 'multi', Key: 'm/src', Body: src }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'm/copied' }));
    const p1 = await s3.send(new UploadPartCopyCommand({ Bucket: 'multi', Key: 'm/copied', UploadId, PartNumber: 1, CopySource: 'multi/m/src', CopySourceRange: `bytes=0-${MIN_PART - 1}` }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: 'multi', Key: 'm/copied', UploadId, PartNumber: 2, CopySource: 'multi/m/src' }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'm/copied',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.CopyPartResult!.ETag! }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag! }] }
      })
    );
    const got = await bodyOf(await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'm/copied' })));
    expect(got.equals(Buffer.concat([src.subarray(0, MIN_PART), src]))).toBe(true);
  });

  it('lib-storage with its defaults (aws-chunked, CRC32 trailers) uploads a stream in parts', async () => {
    const size = 5 * 1024 * 1024 * 2 + 12345;
    const bytes = new Uint8Array(randomBytes(size));
    const chunks = function* (): Generator<Uint8Array> {
      for (let at = 0; at < size; at += 100_000) yield bytes.subarray(at, at + 100_000);
    };
    const upload = new Upload({ client: s3, params: { Bucket: 'multi', Key: 'm/lib', Body: Readable.from(chunks()) } });
    const res = await upload.done();
    expect(res.ETag).toMatch(/-3"$/);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'm/lib' })))).equals(Buffer.from(bytes))).toBe(true);
  }, 120_000);
});
