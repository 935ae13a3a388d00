// Object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject.
// Bytes stream both ways: the client library uploads from the request as it arrives and the
// response is written as segments are decoded, with backpressure, so an object of any size
// passes with bounded memory.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { ObjectStat } from '../client/index.js';
import { readSmallBody, tap } from './body.js';
import { checkConditions, parseRange } from './conditions.js';
import { httpTime, isoTime, sendEmpty, sendXml, type S3Context } from './context.js';
import { S3Error, toS3Error } from './errors.js';
import { decodeObjectMeta, encodeObjectMeta, metaFromHeaders, type ObjectMeta } from './object-meta.js';
import { parseXmlBody } from './xml.js';

/** Most keys in one DeleteObjects request (S3's limit). */
export const MAX_DELETE_KEYS = 1000;

/** The object and the gateway's metadata of it; NoSuchKey when there is none. */
export async function statObject(ctx: S3Context, bucket: string, key: string): Promise<{ stat: ObjectStat; meta: ObjectMeta }> {
  const stat = await ctx.client.stat(bucket, key);
  return { stat, meta: decodeObjectMeta(stat.metadata, stat.version) };
}

/** Headers of GET and HEAD describing the object (response-* query overrides applied). */
function objectHeaders(ctx: S3Context, stat: ObjectStat, meta: ObjectMeta): Record<string, string> {
  const h: Record<string, string> = {
    etag: meta.etag,
    'last-modified': httpTime(stat.created),
    'content-type': meta.contentType,
    'accept-ranges': 'bytes',
    ...meta.headers
  };
  for (const [name, value] of Object.entries(meta.user)) h[`x-amz-meta-${name}`] = value;
  if (meta.checksum && ctx.headers['x-amz-checksum-mode']?.toUpperCase() === 'ENABLED') h[meta.checksum.header] = meta.checksum.value;
  for (const name of ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding']) {
    const override = ctx.query.get(`response-${name}`);
    if (override !== undefined) h[name] = override;
  }
  return h;
}

/** GetObject and HeadObject: conditions, Range or partNumber, then the bytes (GET). */
export async function getObject(ctx: S3Context, head: boolean): Promise<void> {
  ctx.operation(head ? 'HeadObject' : 'GetObject');
  const { stat, meta } = await statObject(ctx, ctx.bucket, ctx.key);
  const headers = objectHeaders(ctx, stat, meta);
  if (checkConditions(ctx.headers, meta.etag, stat.created) === 'not-modified') {
    ctx.res.writeHead(304, { etag: meta.etag, 'last-modified': headers['last-modified']! });
    ctx.res.end();
    return;
  }
  let range = parseRange(ctx.headers.range, stat.size);
  // The satellite says where a part lies; the read proves it (DownloadOptions.part).
  let provedPart: number | undefined;
  const partNumber = ctx.query.get('partNumber');
  if (partNumber !== undefined) {
    const n = Number(partNumber);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new S3Error('InvalidArgument', 400, 'part number must be an integer between 1 and 10000, inclusive');
    if (ctx.headers.range !== undefined) throw new S3Error('InvalidRequest', 400, 'cannot specify both Range header and partNumber query parameter');
    if (stat.parts) {
      const part = await ctx.client.partRange(ctx.bucket, ctx.key, n).catch((err: unknown) => {
        if ((err as { code?: string }).code === 'PART_NOT_FOUND') throw new S3Error('InvalidPartNumber', 416, 'the requested partnumber is not satisfiable', { cause: err });
        throw err;
      });
      range = { offset: part.offset, length: part.size };
      provedPart = n;
      headers['x-amz-mp-parts-count'] = String(stat.parts);
    } else {
      // An object uploaded in one piece is its own part 1.
      if (n !== 1) throw new S3Error('InvalidPartNumber', 416, 'the requested partnumber is not satisfiable');
      range = undefined;
      headers['x-amz-mp-parts-count'] = '1';
    }
  }
  const offset = range?.offset ?? 0;
  const length = range?.length ?? stat.size;
  if (range) {
    headers['content-range'] = `bytes ${offset}-${offset + length - 1}/${stat.size}`;
    // The stored checksum is the whole object's: S3 sends none with a range.
    if (meta.checksum) delete headers[meta.checksum.header];
  }
  headers['content-length'] = String(length);
  const status = range ? 206 : 200;
  if (head || length === 0) {
    ctx.res.writeHead(status, headers);
    ctx.res.end();
    return;
  }
  await ctx.withDownloadMemory(stat.size, () => streamObject(ctx, stat, { offset, length, ...(provedPart !== undefined ? { part: provedPart } : {}) }, status, headers));
}

/**
 * The largest segment a read of `stat` takes on: the gateway's limit, and never more than the
 * object's size as the satellite stated it, which is what the download memory was charged for (a
 * satellite that states 1 byte and serves 64 MiB segments gets SEGMENT_TOO_LARGE; review 20 H3).
 */
export function readableSegment(ctx: S3Context, stat: ObjectStat): number {
  return Math.min(ctx.config.downloadMaxSegment, stat.size);
}

/** Writes the object's bytes as the response, with backpressure; a failure mid-way cuts the connection. */
async function streamObject(ctx: S3Context, stat: ObjectStat, range: { offset: number; length: number; part?: number }, status: number, headers: Record<string, string>): Promise<void> {
  const stop = new AbortController();
  const closed = Promise.withResolvers<void>();
  const onClose = (): void => {
    stop.abort(new Error('the client went away'));
    closed.resolve();
  };
  ctx.res.once('close', onClose);
  // A client gone before this point (while the request was checked or waited for memory) fired
  // 'close' already: without this the loop below would wait for a 'drain' that never comes,
  // holding the download memory for good (review 20 H1).
  if (ctx.res.closed || ctx.res.destroyed) onClose();
  const chunks = ctx.client.download(ctx.bucket, ctx.key, { ...range, version: stat.version, signal: stop.signal, maxSegmentBytes: readableSegment(ctx, stat) })[Symbol.asyncIterator]();
  try {
    // The first bytes before the status line: an object that cannot be read is an error answer.
    const first = await chunks.next();
    ctx.res.writeHead(status, headers);
    let sent = 0;
    for (let next = first; !next.done; next = await chunks.next()) {
      sent += next.value.length;
      ctx.bytesOut(next.value.length);
      if (!ctx.res.write(next.value)) await Promise.race([once(ctx.res, 'drain', { signal: stop.signal }).catch(() => undefined), closed.promise]);
      if (ctx.res.destroyed) return;
    }
    if (sent !== range.length) throw new Error(`the object gave ${sent} bytes of the ${range.length} announced`);
    ctx.res.end();
  } catch (err) {
    if (!ctx.res.headersSent) throw err;
    // Headers are gone: the only honest signal left is a connection cut short of Content-Length.
    ctx.log.warn({ err: (err as Error).message, bucket: ctx.bucket, key: ctx.key }, 'object download failed mid-response');
    ctx.res.destroy(err as Error);
  } finally {
    ctx.res.off('close', onClose);
    await chunks.return?.(undefined);
  }
}

export async function putObject(ctx: S3Context): Promise<void> {
  ctx.operation('PutObject');
  const base = metaFromHeaders(ctx.req.headers);
  const payload = ctx.payload();
  const stat = await ctx.withUploadMemory(payload.length, () =>
    ctx.client.upload(ctx.bucket, ctx.key, tap(payload.body, (c) => ctx.bytesIn(c.length)), {
      ...(payload.length !== undefined ? { sizeHint: payload.length } : {}),
      metadata: () => {
        const summary = payload.summary;
        if (!summary) throw new S3Error('IncompleteBody', 400, 'the request body ended early');
        return encodeObjectMeta({ ...base, etag: `"${summary.md5}"`, ...(summary.checksum ? { checksum: summary.checksum } : {}) });
      }
    })
  );
  const meta = decodeObjectMeta(stat.metadata, stat.version);
  sendEmpty(ctx, 200, { etag: meta.etag, ...(meta.checksum ? { [meta.checksum.header]: meta.checksum.value } : {}) });
}


export async function deleteObject(ctx: S3Context): Promise<void> {
  ctx.operation('DeleteObject');
  try {
    await ctx.client.delete(ctx.bucket, ctx.key);
  } catch (err) {
    // Deleting what is not there succeeds in S3 (the bucket must exist, though).
    if ((err as { code?: string }).code !== 'OBJECT_NOT_FOUND') throw err;
  }
  sendEmpty(ctx, 204);
}

interface DeleteRequest {
  Quiet?: string;
  Object?: { Key?: unknown }[];
}

export async function deleteObjects(ctx: S3Context): Promise<void> {
  ctx.operation('DeleteObjects');
  const h = ctx.headers;
  const integrity = h['content-md5'] !== undefined || Object.keys(h).some((n) => n.startsWith('x-amz-checksum-') && n !== 'x-amz-checksum-algorithm') || h['x-amz-trailer'] !== undefined;
  if (!integrity) throw new S3Error('InvalidRequest', 400, 'missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)');
  const body = await readSmallBody(ctx.payload(), 2 * 1024 * 1024);
  const doc = parseXmlBody<DeleteRequest>(body.toString('utf8'), 'Delete');
  const objects = doc.Object ?? [];
  if (objects.length === 0) throw new S3Error('MalformedXML', 400, 'the Delete request names no Object');
  if (objects.length > MAX_DELETE_KEYS) throw new S3Error('MalformedXML', 400, `a Delete request names at most ${MAX_DELETE_KEYS} objects`);
  const keys = objects.map((o) => {
    if (typeof o.Key !== 'string' || o.Key === '') throw new S3Error('MalformedXML', 400, 'an Object of the Delete request has no Key');
    return o.Key;
  });
  const quiet = doc.Quiet?.trim().toLowerCase() === 'true';
  // A request per key, as the satellite counts them (the request itself was charged one).
  ctx.charge(keys.length - 1);
  await ctx.client.listPage(ctx.bucket, { limit: 1 });
  const deleted: { Key: string }[] = [];
  const errors: { Key: string; Code: string; Message: string }[] = [];
  // A few at a time: each is a satellite round trip.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      try {
        await ctx.client.delete(ctx.bucket, key);
        deleted.push({ Key: key });
      } catch (err) {
        if ((err as { code?: string }).code === 'OBJECT_NOT_FOUND') deleted.push({ Key: key });
        else {
          const e = toS3Error(err);
          errors.push({ Key: key, Code: e.s3Code, Message: e.message });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  sendXml(ctx, 200, 'DeleteResult', { ...(quiet ? {} : { Deleted: deleted }), ...(errors.length ? { Error: errors } : {}) });
}

/** The bucket and key of an x-amz-copy-source header ("/bucket/key" or "bucket/key", URL-encoded). */
export function parseCopySource(header: string): { bucket: string; key: string } {
  let text = header;
  const q = text.indexOf('?');
  if (q >= 0) {
    const versionId = new URLSearchParams(text.slice(q + 1)).get('versionId');
    if (versionId !== null && versionId !== 'null') throw new S3Error('NoSuchVersion', 404, 'the specified version does not exist (buckets are unversioned)');
    text = text.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidArgument', 400, 'x-amz-copy-source is not URL-encoded correctly');
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw new S3Error('InvalidArgument', 400, 'x-amz-copy-source must name a bucket and a key');
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

export async function copyObject(ctx: S3Context): Promise<void> {
  ctx.operation('CopyObject');
  const src = parseCopySource(ctx.headers['x-amz-copy-source']!);
  const directive = (ctx.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw new S3Error('InvalidArgument', 400, `unknown metadata directive '${directive.slice(0, 40)}'`);
  const { stat, meta } = await statObject(ctx, src.bucket, src.key);
  checkConditions(ctx.headers, meta.etag, stat.created, 'x-amz-copy-source-');
  if (src.bucket === ctx.bucket && src.key === ctx.key && directive === 'COPY') {
    throw new S3Error(
      'InvalidRequest',
      400,
      "this copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes"
    );
  }
  const base = directive === 'REPLACE' ? metaFromHeaders(ctx.req.headers) : { contentType: meta.contentType, headers: meta.headers, user: meta.user };
  // The bytes pass through the gateway: each object has its own content key, wrapped for its own
  // bucket and key, so a copy is a new upload (see README, "Left out (issue 22)").
  const md5 = createHash('md5');
  let size = 0;
  // The read stops with the copy, whatever ends it (hostile review 20, M2: an upload that failed
  // left the source's fetches running, holding their buffers, with the memory given back).
  const stop = new AbortController();
  const hashed = tap(ctx.client.download(src.bucket, src.key, { version: stat.version, maxSegmentBytes: readableSegment(ctx, stat), signal: stop.signal }), (chunk) => {
    md5.update(chunk);
    size += chunk.length;
  });
  // A copy reads and writes: it holds download memory, then upload memory (always in this order).
  const done = await ctx
    .withDownloadMemory(stat.size, () =>
      ctx.withUploadMemory(stat.size, () =>
        ctx.client.upload(ctx.bucket, ctx.key, hashed, {
          sizeHint: stat.size,
          metadata: () => {
            if (size !== stat.size) throw new S3Error('InternalError', 500, `the copy's source gave ${size} of ${stat.size} bytes`);
            return encodeObjectMeta({ ...base, etag: `"${md5.digest('hex')}"`, ...(meta.checksum && directive === 'COPY' ? { checksum: meta.checksum } : {}) });
          }
        })
      )
    )
    .finally(() => stop.abort(new Error('the copy ended')));
  const copied = decodeObjectMeta(done.metadata, done.version);
  sendXml(ctx, 200, 'CopyObjectResult', { ETag: copied.etag, LastModified: isoTime(done.created) });
}
