// Listings: ListObjects (v1), ListObjectsV2 and ListObjectVersions over the satellite's listing.
//
// The satellite lists in UTF-8 byte order after a cursor (keys greater than it) and folds keys
// under a delimiter into one common prefix per page, continuing after the last key the prefix
// covered; so a cursor it returns never repeats a prefix. A client's own marker may be a prefix
// itself (S3 returns the common prefix as NextMarker, and tools send it back): that prefix is not
// listed again.
import type { ObjectStat } from '../client/index.js';
import { OWNER } from './buckets.js';
import { isoTime, sendXml, type S3Context } from './context.js';
import { S3Error } from './errors.js';
import { decodeObjectMeta } from './object-meta.js';
import { uriEncode } from './sigv4.js';

export const MAX_KEYS = 1000;

interface Collected {
  objects: ObjectStat[];
  prefixes: string[];
  /** The satellite's cursor after the last entry taken; '' when the listing is done. */
  next: string;
}

async function collect(ctx: S3Context, opts: { prefix: string; delimiter: string; after: string; maxKeys: number; skipPrefix?: string }): Promise<Collected> {
  const out: Collected = { objects: [], prefixes: [], next: '' };
  if (opts.maxKeys === 0) return out;
  let cursor = opts.after;
  for (;;) {
    const room = opts.maxKeys - out.objects.length - out.prefixes.length;
    const page = await ctx.client.listPage(ctx.bucket, { prefix: opts.prefix, delimiter: opts.delimiter, cursor, limit: room });
    out.objects.push(...page.objects);
    out.prefixes.push(...page.prefixes.filter((p) => p !== opts.skipPrefix));
    cursor = page.nextCursor;
    out.next = cursor;
    if (cursor === '' || out.objects.length + out.prefixes.length >= opts.maxKeys) return out;
  }
}

function maxKeysOf(ctx: S3Context): number {
  const text = ctx.query.get('max-keys');
  if (text === undefined) return MAX_KEYS;
  if (!/^\d{1,10}$/.test(text)) throw new S3Error('InvalidArgument', 400, 'max-keys must be a non-negative integer');
  return Math.min(MAX_KEYS, Number(text));
}

function encodingOf(ctx: S3Context): (text: string) => string {
  const type = ctx.query.get('encoding-type');
  if (type === undefined) return (t) => t;
  if (type !== 'url') throw new S3Error('InvalidArgument', 400, `invalid encoding method specified in request: '${type.slice(0, 40)}'`);
  return (t) => uriEncode(t, true);
}

function objectEntry(o: ObjectStat, enc: (t: string) => string, owner: boolean): Record<string, unknown> {
  return {
    Key: enc(o.key),
    LastModified: isoTime(o.created),
    ETag: decodeObjectMeta(o.metadata, o.version).etag,
    Size: o.size,
    ...(owner ? { Owner: OWNER } : {}),
    StorageClass: 'STANDARD'
  };
}

const optional = (name: string, value: string | undefined, enc: (t: string) => string): Record<string, string> => (value ? { [name]: enc(value) } : {});

/** ListObjects (v1): marker, NextMarker (always, when truncated). */
export async function listObjectsV1(ctx: S3Context): Promise<void> {
  ctx.operation('ListObjects');
  const enc = encodingOf(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const maxKeys = maxKeysOf(ctx);
  const got = await collect(ctx, { prefix, delimiter, after: marker, maxKeys, skipPrefix: marker });
  const truncated = got.next !== '';
  sendXml(ctx, 200, 'ListBucketResult', {
    Name: ctx.bucket,
    Prefix: enc(prefix),
    Marker: enc(marker),
    ...(truncated ? { NextMarker: enc(got.next) } : {}),
    MaxKeys: maxKeys,
    ...optional('Delimiter', delimiter, enc),
    IsTruncated: truncated,
    ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
    Contents: got.objects.map((o) => objectEntry(o, enc, true)),
    CommonPrefixes: got.prefixes.map((p) => ({ Prefix: enc(p) }))
  });
}

const TOKEN_PREFIX = 'stow1.';

function decodeToken(token: string): string {
  if (!token.startsWith(TOKEN_PREFIX)) throw new S3Error('InvalidArgument', 400, 'the continuation token provided is incorrect');
  return Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8');
}

/** ListObjectsV2: continuation-token (opaque: the satellite's cursor), start-after, fetch-owner. */
export async function listObjectsV2(ctx: S3Context): Promise<void> {
  ctx.operation('ListObjectsV2');
  const enc = encodingOf(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after') ?? '';
  const maxKeys = maxKeysOf(ctx);
  const after = token !== undefined ? decodeToken(token) : startAfter;
  const got = await collect(ctx, { prefix, delimiter, after, maxKeys, skipPrefix: token === undefined ? startAfter : undefined });
  const truncated = got.next !== '';
  const owner = ctx.query.get('fetch-owner') === 'true';
  sendXml(ctx, 200, 'ListBucketResult', {
    Name: ctx.bucket,
    Prefix: enc(prefix),
    ...optional('StartAfter', startAfter, enc),
    ...(token !== undefined ? { ContinuationToken: token } : {}),
    ...(truncated ? { NextContinuationToken: TOKEN_PREFIX + Buffer.from(got.next).toString('base64url') } : {}),
    KeyCount: got.objects.length + got.prefixes.length,
    MaxKeys: maxKeys,
    ...optional('Delimiter', delimiter, enc),
    IsTruncated: truncated,
    ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
    Contents: got.objects.map((o) => objectEntry(o, enc, owner)),
    CommonPrefixes: got.prefixes.map((p) => ({ Prefix: enc(p) }))
  });
}

/** ListObjectVersions: buckets are unversioned, so each object once, as version "null". */
export async function listObjectVersions(ctx: S3Context): Promise<void> {
  ctx.operation('ListObjectVersions');
  const enc = encodingOf(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionMarker = ctx.query.get('version-id-marker');
  if (versionMarker !== undefined && versionMarker !== '' && versionMarker !== 'null') throw new S3Error('InvalidArgument', 400, 'invalid version id specified');
  const maxKeys = maxKeysOf(ctx);
  const got = await collect(ctx, { prefix, delimiter, after: keyMarker, maxKeys, skipPrefix: keyMarker });
  const truncated = got.next !== '';
  sendXml(ctx, 200, 'ListVersionsResult', {
    Name: ctx.bucket,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionMarker ?? '',
    ...(truncated ? { NextKeyMarker: enc(got.next), NextVersionIdMarker: 'null' } : {}),
    MaxKeys: maxKeys,
    ...optional('Delimiter', delimiter, enc),
    IsTruncated: truncated,
    ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
    Version: got.objects.map((o) => ({ ...objectEntry(o, enc, true), VersionId: 'null', IsLatest: true })),
    CommonPrefixes: got.prefixes.map((p) => ({ Prefix: enc(p) }))
  });
}
