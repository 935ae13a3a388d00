// Multipart uploads: Create, UploadPart, UploadPartCopy, Complete, Abort, ListParts and
// ListMultipartUploads, over the client library's multipart uploads (format v3): each part goes
// straight into segments as it arrives; Complete commits the object from the parts named without
// moving data. ETag of the object: MD5 of the parts' MD5s, "-N", as S3.
import { createHash } from 'node:crypto';
import type { PartStat } from '../client/index.js';
import { readSmallBody, tap } from './body.js';
import { OWNER } from './buckets.js';
import { checkConditions, parseRange } from './conditions.js';
import { isoTime, sendEmpty, sendXml, type S3Context } from './context.js';
import { S3Error } from './errors.js';
import { decodeObjectMeta, encodeObjectMeta, metaFromHeaders, type ObjectMeta } from './object-meta.js';
import { parseCopySource, readableSegment, statObject } from './objects.js';
import { parseXmlBody } from './xml.js';

/** S3's limits: part numbers 1..10000, parts at most 5 GiB. */
export const MAX_PART_NUMBER = 10_000;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the gateway seals with each part: its MD5 (the part's ETag) and a checksum the client sent. */
interface PartMeta {
  md5: string;
  checksum?: { header: string; value: string };
}

function partMetaOf(p: PartStat): PartMeta {
  try {
    const m = JSON.parse(decoder.decode(p.info)) as Partial<PartMeta>;
    if (typeof m.md5 === 'string') return m as PartMeta;
  } catch {
    // A part the gateway did not write: no MD5 kept.
  }
  return { md5: '0'.repeat(32) };
}

const partEtag = (m: PartMeta): string => `"${m.md5}"`;

function uploadIdOf(ctx: S3Context): string {
  const id = ctx.query.get('uploadId') ?? '';
  if (!/^[0-9a-f]{32}$/.test(id)) throw new S3Error('NoSuchUpload', 404, 'the specified upload does not exist: the upload ID may be invalid, or the upload may have been aborted or completed');
  return id;
}

function partNumberOf(ctx: S3Context): number {
  const text = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) throw new S3Error('InvalidArgument', 400, `part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
  return n;
}

/** The satellite's "no such upload" as S3 says it. */
function noSuchUpload(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (code === 'NO_SUCH_UPLOAD' || code === 'OBJECT_NOT_PENDING') throw new S3Error('NoSuchUpload', 404, 'the specified upload does not exist: the upload ID may be invalid, or the upload may have been aborted or completed', { cause: err });
  throw err;
}

export async function createMultipartUpload(ctx: S3Context): Promise<void> {
  ctx.operation('CreateMultipartUpload');
  const base = metaFromHeaders(ctx.req.headers);
  const id = await ctx.client.beginMultipart(ctx.bucket, ctx.key, encodeObjectMeta({ ...base, etag: '' }));
  sendXml(ctx, 200, 'InitiateMultipartUploadResult', { Bucket: ctx.bucket, Key: ctx.key, UploadId: id });
}

export async function uploadPart(ctx: S3Context): Promise<void> {
  ctx.operation('UploadPart');
  const id = uploadIdOf(ctx);
  const number = partNumberOf(ctx);
  const payload = ctx.payload(MAX_PART_BYTES);
  const counted = tap(payload.body, (chunk) => ctx.bytesIn(chunk.length));
  let meta: PartMeta | undefined;
  await ctx
    .withUploadMemory(payload.length, () =>
      ctx.client.uploadPart(ctx.bucket, ctx.key, id, number, counted, {
        ...(payload.length !== undefined ? { sizeHint: payload.length } : {}),
        info: () => {
          const s = payload.summary;
          if (!s) throw new S3Error('IncompleteBody', 400, 'the request body ended early');
          meta = { md5: s.md5, ...(s.checksum ? { checksum: s.checksum } : {}) };
          return encoder.encode(JSON.stringify(meta));
        }
      })
    )
    .catch(noSuchUpload);
  sendEmpty(ctx, 200, { etag: partEtag(meta!), ...(meta!.checksum ? { [meta!.checksum.header]: meta!.checksum.value } : {}) });
}

export async function uploadPartCopy(ctx: S3Context): Promise<void> {
  ctx.operation('UploadPartCopy');
  const id = uploadIdOf(ctx);
  const number = partNumberOf(ctx);
  const src = parseCopySource(ctx.headers['x-amz-copy-source']!);
  const { stat, meta } = await statObject(ctx, src.bucket, src.key);
  checkConditions(ctx.headers, meta.etag, stat.created, 'x-amz-copy-source-');
  const rangeHeader = ctx.headers['x-amz-copy-source-range'];
  let range = { offset: 0, length: stat.size };
  if (rangeHeader !== undefined) {
    if (!/^bytes=\d+-\d+$/.test(rangeHeader)) throw new S3Error('InvalidArgument', 400, 'the x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy');
    const r = parseRange(rangeHeader, stat.size);
    if (!r) throw new S3Error('InvalidArgument', 400, `range ${rangeHeader} is not valid`);
    range = r;
  }
  if (range.length > MAX_PART_BYTES) throw new S3Error('InvalidRequest', 400, `a part is at most ${MAX_PART_BYTES} bytes`);
  const md5 = createHash('md5');
  // The read stops with the copy, whatever ends it (as CopyObject's).
  const stop = new AbortController();
  const hashed = tap(ctx.client.download(src.bucket, src.key, { ...range, version: stat.version, maxSegmentBytes: readableSegment(ctx, stat), signal: stop.signal }), (chunk) => md5.update(chunk));
  let partMeta: PartMeta | undefined;
  // Download memory, then upload memory (always in this order, as CopyObject).
  const part = await ctx
    .withDownloadMemory(stat.size, () =>
      ctx.withUploadMemory(range.length, () =>
        ctx.client.uploadPart(ctx.bucket, ctx.key, id, number, hashed, {
          sizeHint: range.length,
          info: () => encoder.encode(JSON.stringify((partMeta = { md5: md5.digest('hex') })))
        })
      )
    )
    .finally(() => stop.abort(new Error('the copy ended')))
    .catch(noSuchUpload);
  sendXml(ctx, 200, 'CopyPartResult', { ETag: partEtag(partMeta!), LastModified: isoTime(part.created) });
}

/** Every part of the upload (pages of 1000) and the metadata it was created with. */
async function allParts(ctx: S3Context, id: string): Promise<{ parts: PartStat[]; meta: Omit<ObjectMeta, 'etag'> }> {
  const parts: PartStat[] = [];
  let after = 0;
  let metadata: Uint8Array | undefined;
  for (;;) {
    const page = await ctx.client.listParts(ctx.bucket, ctx.key, id, { after }).catch(noSuchUpload);
    metadata ??= page.metadata;
    parts.push(...page.parts);
    if (!page.more || page.parts.length === 0) break;
    after = page.parts[page.parts.length - 1]!.number;
  }
  const { contentType, headers, user } = decodeObjectMeta(metadata, '');
  return { parts, meta: { contentType, headers, user } };
}

interface CompleteRequest {
  Part?: { PartNumber?: unknown; ETag?: unknown }[];
}

export async function completeMultipartUpload(ctx: S3Context): Promise<void> {
  ctx.operation('CompleteMultipartUpload');
  const id = uploadIdOf(ctx);
  const body = await readSmallBody(ctx.payload(), 2 * 1024 * 1024);
  const doc = parseXmlBody<CompleteRequest>(body.toString('utf8'), 'CompleteMultipartUpload');
  const wanted = (doc.Part ?? []).map((p) => {
    const n = typeof p.PartNumber === 'string' && /^\d{1,5}$/.test(p.PartNumber.trim()) ? Number(p.PartNumber.trim()) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) throw new S3Error('InvalidPart', 400, 'one or more of the specified parts could not be found: a part number is not 1 to 10000');
    return { number: n, etag: typeof p.ETag === 'string' ? p.ETag.trim().replace(/^"|"$/g, '') : '' };
  });
  if (wanted.length === 0) throw new S3Error('MalformedXML', 400, 'the XML you provided did not validate: you must specify at least one part');
  for (let i = 1; i < wanted.length; i++) {
    if (wanted[i]!.number <= wanted[i - 1]!.number) throw new S3Error('InvalidPartOrder', 400, 'the list of parts was not in ascending order: parts must be ordered by part number');
  }
  let listed: { parts: PartStat[]; meta: Omit<ObjectMeta, 'etag'> };
  try {
    listed = await allParts(ctx, id);
  } catch (err) {
    if (!(err instanceof S3Error) || err.s3Code !== 'NoSuchUpload') throw err;
    // Completed already (a retry whose answer was lost)? S3 answers it again.
    // Only for the same list of parts (review 17 L1): the ETag of the list asked for is the object's.
    const done = await ctx.client.completeMultipart(ctx.bucket, ctx.key, id, []).catch(noSuchUpload);
    if (!done.already) throw err;
    const { meta } = await statObject(ctx, ctx.bucket, ctx.key);
    const asked = wanted.every((w) => /^[0-9a-f]{32}$/i.test(w.etag)) ? multipartEtag(wanted.map((w) => Buffer.from(w.etag, 'hex'))) : '';
    if (meta.etag !== asked) throw new S3Error('NoSuchUpload', 404, `the upload was completed with other parts than these: ${id.slice(0, 32)}`, { cause: err });
    sendXml(ctx, 200, 'CompleteMultipartUploadResult', { Location: `/${ctx.bucket}/${ctx.key}`, Bucket: ctx.bucket, Key: ctx.key, ETag: meta.etag });
    return;
  }
  const byNumber = new Map(listed.parts.map((p) => [p.number, p]));
  const chosen: PartStat[] = [];
  const md5s: Buffer[] = [];
  for (const w of wanted) {
    const part = byNumber.get(w.number);
    const pm = part && partMetaOf(part);
    if (!part || !pm || pm.md5 !== w.etag.toLowerCase()) {
      throw new S3Error('InvalidPart', 400, `one or more of the specified parts could not be found, or its entity tag did not match: part ${w.number}`);
    }
    chosen.push(part);
    md5s.push(Buffer.from(pm.md5, 'hex'));
  }
  // Sizes once every part is known to be there (S3 names a missing part before a small one).
  for (const [i, part] of chosen.entries()) {
    if (i < chosen.length - 1 && part.size < ctx.config.minPartSize) {
      throw new S3Error('EntityTooSmall', 400, `your proposed upload is smaller than the minimum allowed size: part ${part.number} is ${part.size} bytes, parts but the last are at least ${ctx.config.minPartSize}`);
    }
  }
  const etag = multipartEtag(md5s);
  const done = await ctx.client.completeMultipart(ctx.bucket, ctx.key, id, chosen, encodeObjectMeta({ ...listed.meta, etag })).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'PART_NOT_FOUND') throw new S3Error('InvalidPart', 400, `one or more of the specified parts could not be found: ${(err as Error).message}`, { cause: err });
    return noSuchUpload(err);
  });
  // Completed meanwhile by another Complete: the same answer only for the same parts.
  if (done.already && (await statObject(ctx, ctx.bucket, ctx.key)).meta.etag !== etag) {
    throw new S3Error('NoSuchUpload', 404, `the upload was completed with other parts than these: ${id.slice(0, 32)}`);
  }
  sendXml(ctx, 200, 'CompleteMultipartUploadResult', { Location: `/${ctx.bucket}/${ctx.key}`, Bucket: ctx.bucket, Key: ctx.key, ETag: etag });
}

/** S3's ETag of a multipart object: the MD5 of its parts' MD5s, a dash, the number of parts. */
function multipartEtag(md5s: readonly Buffer[]): string {
  return `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${md5s.length}"`;
}

export async function abortMultipartUpload(ctx: S3Context): Promise<void> {
  ctx.operation('AbortMultipartUpload');
  await ctx.client.abortMultipart(uploadIdOf(ctx), { bucket: ctx.bucket, key: ctx.key }).catch(noSuchUpload);
  sendEmpty(ctx, 204);
}

export async function listParts(ctx: S3Context): Promise<void> {
  ctx.operation('ListParts');
  const id = uploadIdOf(ctx);
  const markerText = ctx.query.get('part-number-marker') ?? '0';
  const maxText = ctx.query.get('max-parts') ?? '1000';
  if (!/^\d{1,6}$/.test(markerText) || !/^\d{1,6}$/.test(maxText)) throw new S3Error('InvalidArgument', 400, 'part-number-marker and max-parts are non-negative integers');
  const maxParts = Math.min(1000, Number(maxText));
  const page = maxParts === 0 ? { parts: [], more: false } : await ctx.client.listParts(ctx.bucket, ctx.key, id, { after: Number(markerText), limit: maxParts }).catch(noSuchUpload);
  const last = page.parts[page.parts.length - 1];
  sendXml(ctx, 200, 'ListPartsResult', {
    Bucket: ctx.bucket,
    Key: ctx.key,
    UploadId: id,
    PartNumberMarker: Number(markerText),
    ...(page.more && last ? { NextPartNumberMarker: last.number } : {}),
    MaxParts: maxParts,
    IsTruncated: page.more,
    Part: page.parts.map((p) => {
      const m = partMetaOf(p);
      return { PartNumber: p.number, LastModified: isoTime(p.created), ETag: partEtag(m), Size: p.size };
    }),
    Initiator: OWNER,
    Owner: OWNER,
    StorageClass: 'STANDARD'
  });
}

export async function listMultipartUploads(ctx: S3Context): Promise<void> {
  ctx.operation('ListMultipartUploads');
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const uploadMarker = ctx.query.get('upload-id-marker') ?? '';
  const maxText = ctx.query.get('max-uploads') ?? '1000';
  if (!/^\d{1,6}$/.test(maxText)) throw new S3Error('InvalidArgument', 400, 'max-uploads is a non-negative integer');
  const maxUploads = Math.min(1000, Number(maxText));
  const page = maxUploads === 0 ? { uploads: [], more: false } : await ctx.client.listUploads(ctx.bucket, { prefix, keyMarker, uploadMarker: keyMarker ? uploadMarker : '', limit: maxUploads });
  // With a delimiter, keys under a common prefix fold into it (within the page).
  const uploads: typeof page.uploads = [];
  const prefixes: string[] = [];
  for (const u of page.uploads) {
    const cut = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const p = u.key.slice(0, cut + delimiter.length);
      if (prefixes[prefixes.length - 1] !== p) prefixes.push(p);
    } else uploads.push(u);
  }
  const last = page.uploads[page.uploads.length - 1];
  sendXml(ctx, 200, 'ListMultipartUploadsResult', {
    Bucket: ctx.bucket,
    KeyMarker: keyMarker,
    UploadIdMarker: uploadMarker,
    ...(page.more && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
    ...(prefix ? { Prefix: prefix } : {}),
    ...(delimiter ? { Delimiter: delimiter } : {}),
    MaxUploads: maxUploads,
    IsTruncated: page.more,
    Upload: uploads.map((u) => ({ Key: u.key, UploadId: u.uploadId, Initiator: OWNER, Owner: OWNER, StorageClass: 'STANDARD', Initiated: isoTime(u.created) })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: p }))
  });
}
