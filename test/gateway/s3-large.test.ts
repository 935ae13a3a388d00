// The gateway's large cases: a multipart upload of 10,000 small parts (S3's most), and a stream
// through lib-storage with its defaults (aws-chunked bodies, CRC32 trailers, 5 MiB parts, 4 at
// once) of 1 GiB, or STOWAGE_TEST_GATEWAY_STREAM_BYTES (CI's bounded mode sets it lower). The
// satellite's per-IP request rate is off: the gateway is one IP for every client behind it.
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayNetwork, type GatewayNetwork } from './fixtures/network.js';

const STREAM_BYTES = Number(process.env.STOWAGE_TEST_GATEWAY_STREAM_BYTES ?? 1024 ** 3);
/**
 * Parts of the multipart case: S3's most, 10,000 (about 120 s here), or fewer in CI's bounded mode
 * (STOWAGE_TEST_GATEWAY_PARTS): then parts 1.. and the last ten up to 10,000, so the highest part
 * number and the listing past 9990 are still exercised.
 */
const PART_COUNT = Math.min(10_000, Math.max(20, Number(process.env.STOWAGE_TEST_GATEWAY_PARTS ?? 10_000)));
const PART_NUMBERS = Array.from({ length: PART_COUNT }, (_, i) => (i < PART_COUNT - 10 ? i + 1 : 10_000 - (PART_COUNT - 1 - i)));
let net: GatewayNetwork;
let s3: S3Client;

beforeAll(async () => {
  // No per-access request rate: 16 workers at once would spend the test at 100 requests/s, and
  // under a loaded machine the SDK's retries of SlowDown ran out (the rate has its own tests).
  net = await startGatewayNetwork({ gateway: { minPartSize: 1, segmentSize: 8 * 1024 * 1024, accessRequestsPerSecond: 0 }, satellite: { metainfoRequestsPerSecond: 0 } });
  s3 = net.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
}, 60_000);

afterAll(async () => {
  await net?.stop();
});

/** Deterministic bytes (AES-CTR of zeros), 1 MiB at a time, hashed as they pass. */
function* stream(size: number, hash: ReturnType<typeof createHash>): Generator<Buffer> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), Buffer.alloc(16, 0));
  for (let at = 0; at < size; at += 1024 * 1024) {
    const chunk = cipher.update(Buffer.alloc(Math.min(1024 * 1024, size - at)));
    hash.update(chunk);
    yield chunk;
  }
}

describe('large', () => {
  it(`a multipart upload of ${PART_COUNT} parts up to part 10,000, completed and read back in order`, async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'large', Key: 'ten-thousand' }));
    const body = (n: number): string => `part ${n};`;
    const etags = new Map<number, string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < PART_NUMBERS.length) {
          const n = PART_NUMBERS[next++]!;
          etags.set(n, (await s3.send(new UploadPartCommand({ Bucket: 'large', Key: 'ten-thousand', UploadId, PartNumber: n, Body: body(n) }))).ETag!);
        }
      })
    );
    const listed = await s3.send(new ListPartsCommand({ Bucket: 'large', Key: 'ten-thousand', UploadId, PartNumberMarker: '9990' }));
    expect(listed.Parts?.map((p) => p.PartNumber)).toEqual([9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999, 10000]);
    const parts = [...etags.entries()].sort((a, b) => a[0] - b[0]).map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'large', Key: 'ten-thousand', UploadId, MultipartUpload: { Parts: parts } }));
    expect(done.ETag).toMatch(new RegExp(`-${PART_COUNT}"$`));
    const expected = PART_NUMBERS.map(body).join('');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: 'ten-thousand' }));
    expect(await got.Body!.transformToString()).toBe(expected);
    // Part 7777, or one below the last ten in the bounded mode (where number and place agree).
    const nth = Math.min(7777, PART_COUNT - 11);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'large', Key: 'ten-thousand', PartNumber: nth }));
    expect([head.PartsCount, head.ContentLength]).toEqual([PART_COUNT, body(PART_NUMBERS[nth - 1]!).length]);
  }, 600_000);

  it(`lib-storage with its defaults streams ${STREAM_BYTES} bytes in and the same bytes come out`, async () => {
    const sent = createHash('sha256');
    const upload = new Upload({ client: s3, params: { Bucket: 'large', Key: 'stream', Body: Readable.from(stream(STREAM_BYTES, sent)) } });
    const res = await upload.done();
    expect(res.ETag).toMatch(new RegExp(`-${Math.ceil(STREAM_BYTES / (5 * 1024 * 1024))}"$`));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: 'stream' }));
    const back = createHash('sha256');
    let n = 0;
    for await (const chunk of got.Body as Readable) {
      back.update(chunk as Buffer);
      n += (chunk as Buffer).length;
    }
    expect(n).toBe(STREAM_BYTES);
    expect(back.digest('hex')).toBe(sent.digest('hex'));
  }, 900_000);
});
