// The gateway against the AWS SDK (its defaults: aws-chunked bodies with CRC32 trailers), over a
// real satellite and nodes: buckets, objects, metadata, ranges, conditions, copies, deletes.
import { randomBytes, createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccess, serializeAccess } from '../../src/client/index.js';
import { TEST_SEGMENT, startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

let net: GatewayNetwork;
let s3: S3Client;

beforeAll(async () => {
  net = await startGatewayNetwork();
  s3 = net.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

const md5 = (b: Uint8Array): string => `"${createHash('md5').update(b).digest('hex')}"`;

async function bodyOf(res: { Body?: unknown }): Promise<Buffer> {
  return Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

describe('buckets', () => {
  it('creates, lists, heads, locates and deletes a bucket; S3 errors for the wrong ones', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'b-life' }));
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain('b-life');
    await s3.send(new HeadBucketCommand({ Bucket: 'b-life' }));
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'b-life' }));
    expect(loc.LocationConstraint ?? '').toBe('');
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'b-life' }))).rejects.toMatchObject({ name: 'BucketAlreadyOwnedByYou', $metadata: { httpStatusCode: 409 } });
    await s3.send(new PutObjectCommand({ Bucket: 'b-life', Key: 'x', Body: 'x' }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'b-life' }))).rejects.toMatchObject({ name: 'BucketNotEmpty' });
    await s3.send(new DeleteObjectCommand({ Bucket: 'b-life', Key: 'x' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'b-life' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'b-life' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'b-life', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
  });
});

describe('objects', () => {
  it('puts and gets objects of 0, 1, one segment and several segments byte for byte, ETag the MD5', async () => {
    for (const size of [0, 1, TEST_SEGMENT - 7, 3 * TEST_SEGMENT + 4321]) {
      const bytes = new Uint8Array(randomBytes(size));
      const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: `sized/${size}`, Body: bytes }));
      expect(put.ETag).toBe(md5(bytes));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: `sized/${size}` }));
      expect(got.ETag).toBe(md5(bytes));
      expect(got.ContentLength).toBe(size);
      expect((await bodyOf(got)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('keeps Content-Type, user metadata and the standard headers; response-* overrides them on GET', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'meta/a.json',
        Body: '{"a":1}',
        ContentType: 'application/json',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="a.json"',
        ContentLanguage: 'en',
        Metadata: { colour: 'blue', 'two-words': 'x y' }
      })
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'meta/a.json' }));
    expect(head.ContentType).toBe('application/json');
    expect(head.CacheControl).toBe('max-age=60');
    expect(head.ContentDisposition).toBe('attachment; filename="a.json"');
    expect(head.ContentLanguage).toBe('en');
    expect(head.Metadata).toEqual({ colour: 'blue', 'two-words': 'x y' });
    expect(head.ContentLength).toBe(7);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'meta/a.json', ResponseContentType: 'text/plain', ResponseCacheControl: 'no-store' }));
    expect(got.ContentType).toBe('text/plain');
    expect(got.CacheControl).toBe('no-store');
    expect((await bodyOf(got)).toString()).toBe('{"a":1}');
  });

  it('serves ranges (first-last, open, suffix, across segments) and refuses one outside the object', async () => {
    const bytes = new Uint8Array(randomBytes(2 * TEST_SEGMENT + 1000));
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'range', Body: bytes }));
    const cases: [string, number, number][] = [
      ['bytes=0-0', 0, 1],
      ['bytes=10-99', 10, 90],
      [`bytes=${TEST_SEGMENT - 5}-${TEST_SEGMENT + 5}`, TEST_SEGMENT - 5, 11],
      [`bytes=${2 * TEST_SEGMENT}-`, 2 * TEST_SEGMENT, 1000],
      ['bytes=-300', bytes.length - 300, 300],
      [`bytes=5-${10 * TEST_SEGMENT}`, 5, bytes.length - 5]
    ];
    for (const [range, offset, length] of cases) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range', Range: range }));
      expect(got.$metadata.httpStatusCode, range).toBe(206);
      expect(got.ContentRange, range).toBe(`bytes ${offset}-${offset + length - 1}/${bytes.length}`);
      expect((await bodyOf(got)).equals(Buffer.from(bytes.subarray(offset, offset + length))), range).toBe(true);
    }
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range', Range: `bytes=${bytes.length}-` }))).rejects.toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });
  });

  it('answers If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since as S3', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'conditional' }));
    const etag = put.ETag!;
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    expect((await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfMatch: etag }))).$metadata.httpStatusCode).toBe(200);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfMatch: '"0123"' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfNoneMatch: etag }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 304 } });
    expect((await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfNoneMatch: '"0123"' }))).$metadata.httpStatusCode).toBe(200);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfModifiedSince: future }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 304 } });
    expect((await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfModifiedSince: past }))).$metadata.httpStatusCode).toBe(200);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfUnmodifiedSince: past }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    // If-Match true wins over If-Unmodified-Since false.
    expect((await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfMatch: etag, IfUnmodifiedSince: past }))).$metadata.httpStatusCode).toBe(200);
  });

  it('gets part 1 of a single upload as the whole object, and refuses part 2', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'parts1', Body: 'whole' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'parts1', PartNumber: 1 }));
    expect(got.PartsCount).toBe(1);
    expect((await bodyOf(got)).toString()).toBe('whole');
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'parts1', PartNumber: 2 }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 416 } });
  });

  it('copies with the metadata (COPY) or with new metadata (REPLACE), in place too', async () => {
    const bytes = new Uint8Array(randomBytes(TEST_SEGMENT + 99));
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'copy/src', Body: bytes, ContentType: 'image/png', Metadata: { a: '1' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/dst', CopySource: 'objects/copy/src' }));
    expect(copied.CopyObjectResult?.ETag).toBe(md5(bytes));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'copy/dst' }));
    expect(head.ContentType).toBe('image/png');
    expect(head.Metadata).toEqual({ a: '1' });
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'copy/dst' })))).equals(Buffer.from(bytes))).toBe(true);
    await expect(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/src', CopySource: 'objects/copy/src' }))).rejects.toMatchObject({ name: 'InvalidRequest' });
    await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/src', CopySource: 'objects/copy/src', MetadataDirective: 'REPLACE', ContentType: 'text/plain', Metadata: { b: '2' } }));
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'copy/src' }));
    expect(replaced.ContentType).toBe('text/plain');
    expect(replaced.Metadata).toEqual({ b: '2' });
    await expect(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/x', CopySource: 'objects/copy/none' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/x', CopySource: 'objects/copy/src', CopySourceIfMatch: '"00"' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
  });

  it('lists a bucket holding an object of another access of the same project (metadata it cannot open)', async () => {
    const other = await net.gateway.register(serializeAccess({ ...parseAccess(net.access), secret: new Uint8Array(randomBytes(32)) }));
    const s3b = net.s3({ credentials: { accessKeyId: other.accessKeyId, secretAccessKey: other.secretKey } });
    await s3b.send(new PutObjectCommand({ Bucket: 'objects', Key: 'foreign/one', Body: 'not yours to open' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'objects', Prefix: 'foreign/' }));
    expect(listed.Contents?.map((c) => [c.Key, c.Size])).toEqual([['foreign/one', 17]]);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'foreign/one' }))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(await (await s3b.send(new GetObjectCommand({ Bucket: 'objects', Key: 'foreign/one' }))).Body!.transformToString()).toBe('not yours to open');
  });

  it('deletes one object (absent ones too) and many at once, quietly or not', async () => {
    for (const k of ['d/1', 'd/2', 'd/3']) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: k, Body: k }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'd/1' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'd/never' }));
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'd/1' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'd/2' }, { Key: 'd/3' }, { Key: 'd/none' }] } }));
    expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(['d/2', 'd/3', 'd/none']);
    expect(res.Errors ?? []).toEqual([]);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'd/3' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
