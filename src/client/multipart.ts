// Multipart uploads (format v3, see crypto.ts): an object made of parts uploaded separately, in
// any order and at once, each part straight into segments of its own stream on the satellite (no
// buffering); completing it commits the object from the parts chosen, in ascending order, without
// moving data. The S3 gateway's multipart operations stand on these.
import { randomBytes } from 'node:crypto';
import { PARTS_ROOT_BYTES, partsRoot, placeParts, verifyPartProof, type PartInfo } from '../protocol/index.js';
import type { ClientContext } from './context.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { ENCRYPTION_NAME_V3, PART_SALT_BYTES, createObjectKey, openObjectKey, openObjectMetadata, partContentKey, sealObjectMetadata } from './crypto.js';
import { objectVersion } from './download.js';
import type { Source } from './segments.js';
import { uploadSegments, type UploadOptions, type UploadPlan } from './upload.js';

export interface PartStat {
  number: number;
  size: number;
  created: Date;
  /** The part upload (Complete names it, so a part uploaded again meanwhile is not taken by mistake). */
  streamId: string;
  /** The part upload's salt (public: its key is derived from it and the object's content key). */
  salt: Uint8Array;
  /** What uploadPart's `info` gave (opened). */
  info?: Uint8Array;
}

export interface UploadListing {
  key: string;
  uploadId: string;
  created: Date;
}

export interface PartUploadOptions extends Pick<UploadOptions, 'onProgress' | 'signal' | 'replacementRounds' | 'sizeHint'> {
  /** Bytes kept sealed with the part (an ETag, say); a function is called once the part's bytes are stored. */
  info?: Uint8Array | (() => Uint8Array | Promise<Uint8Array>);
}

export async function beginMultipart(ctx: ClientContext, bucket: string, key: string, metadata?: Uint8Array): Promise<string> {
  const objectKey = createObjectKey(ctx.secret, bucket, key);
  const sealed = metadata ? new Uint8Array(sealObjectMetadata(objectKey, metadata)) : new Uint8Array(0);
  const res = await ctx.metainfo({
    beginObject: { bucket, key, metadata: sealed, encryption: ENCRYPTION_NAME_V3, expires: 0n, encryptedKey: new Uint8Array(objectKey.encryptedKey), multipart: true }
  });
  return res.beginObject!.streamId;
}

export async function uploadPart(
  plan: Pick<UploadPlan, 'ctx' | 'segmentSize' | 'coder'>,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  source: Source,
  options: PartUploadOptions = {}
): Promise<PartStat> {
  const { ctx } = plan;
  const begun = (await ctx.metainfo({ beginPart: { streamId: uploadId, partNumber, bucket, key } })).beginPart!;
  const objectKey = openObjectKey(ctx.secret, bucket, key, begun.encryptedKey);
  const salt = new Uint8Array(randomBytes(PART_SALT_BYTES));
  const { stored } = await uploadSegments(
    plan,
    { streamId: begun.partStreamId, scheme: begun.scheme!, maxInline: Number(begun.maxInline), contentKey: partContentKey(objectKey.contentKey, partNumber, salt), version: objectKey.version },
    source,
    options
  );
  const info = typeof options.info === 'function' ? await options.info() : options.info;
  // The info is sealed with the part upload it belongs to (number, size, salt), so a satellite
  // cannot pair one part upload's info (its ETag) with another's bytes (review 17 M1).
  const sealed = info ? new Uint8Array(sealObjectMetadata(objectKey, Buffer.concat([partInfoHeader(partNumber, stored, salt), info]))) : new Uint8Array(0);
  const res = await ctx.metainfo({ commitPart: { partStreamId: begun.partStreamId, salt, info: sealed } });
  return { ...partStat(res.commitPart!.part!, undefined), ...(info ? { info } : {}) };
}

/** u32be number || u64be size || salt (16): what a part's sealed info starts with. */
function partInfoHeader(number: number, size: number, salt: Uint8Array): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(number, 0);
  b.writeBigUInt64BE(BigInt(size), 4);
  return Buffer.concat([b, salt]);
}

function partStat(p: PartInfo, open: ((sealed: Uint8Array) => Uint8Array) | undefined): PartStat {
  let info: Uint8Array | undefined;
  if (open && p.info.length > 0) {
    const opened = open(p.info);
    const header = partInfoHeader(p.number, Number(p.size), p.salt);
    if (opened.length < header.length || !Buffer.from(opened.subarray(0, header.length)).equals(header)) {
      throw new ClientError(ClientErrorCode.Tampered, `the satellite's part ${p.number} is not the part upload its info was sealed with`);
    }
    info = opened.subarray(header.length);
  }
  return {
    number: p.number,
    size: Number(p.size),
    created: new Date(Number(p.committed)),
    streamId: p.partStreamId,
    salt: p.salt,
    ...(info ? { info } : {})
  };
}

export async function listParts(
  ctx: ClientContext,
  bucket: string,
  key: string,
  uploadId: string,
  opts: { after?: number; limit?: number } = {}
): Promise<{ parts: PartStat[]; more: boolean; metadata?: Uint8Array }> {
  const res = (await ctx.metainfo({ listParts: { streamId: uploadId, after: opts.after ?? 0, limit: opts.limit ?? 0, bucket, key } })).listParts!;
  const objectKey = openObjectKey(ctx.secret, bucket, key, res.encryptedKey);
  const open = (sealed: Uint8Array): Uint8Array => openObjectMetadata(objectKey, sealed);
  return { parts: res.parts.map((p) => partStat(p, open)), more: res.more, ...(res.metadata.length > 0 ? { metadata: open(res.metadata) } : {}) };
}

/** A part as Complete names it: its number and the tag its part upload's stream id ends with. */
function completePart(p: Pick<PartStat, 'number' | 'streamId'>): { number: number; partTag: Uint8Array<ArrayBuffer> } {
  const tag = p.streamId.slice(p.streamId.lastIndexOf('.') + 1);
  return { number: p.number, partTag: new Uint8Array(Buffer.from(/^[0-9a-f]{16}$/.test(tag) ? tag : '', 'hex')) };
}

export async function completeMultipart(
  ctx: ClientContext,
  bucket: string,
  key: string,
  uploadId: string,
  named: readonly Pick<PartStat, 'number' | 'streamId' | 'size' | 'salt'>[],
  metadata?: Uint8Array
): Promise<{ size: number; created: Date; version: string; already: boolean; partCount: number }> {
  // Parts of 0 bytes add nothing to the object and would hide at its ends from a whole read's
  // check that it met every part: left out (one stays when all are empty).
  const nonEmpty = named.filter((p) => p.size > 0);
  const parts = nonEmpty.length > 0 || named.length === 0 ? nonEmpty : named.slice(0, 1);
  // The upload's wrapped key comes with a listing of its parts (one is enough). An upload no
  // longer in progress may have been completed already (a retried Complete): the satellite says.
  let encryptedKey: Uint8Array | undefined;
  try {
    encryptedKey = (await ctx.metainfo({ listParts: { streamId: uploadId, after: 0, limit: 1, bucket, key } })).listParts!.encryptedKey;
  } catch (err) {
    if ((err as { code?: string }).code !== 'NO_SUCH_UPLOAD') throw err;
  }
  if (!encryptedKey) {
    const res = (await ctx.metainfo({ completeMultipart: { streamId: uploadId, bucket, key, parts: parts.map(completePart), metadata: new Uint8Array(0) } })).completeMultipart!;
    const o = res.object!;
    return { size: Number(o.size), created: new Date(Number(o.created)), version: objectVersion(o), already: res.already, partCount: o.partCount ?? parts.length };
  }
  const objectKey = openObjectKey(ctx.secret, bucket, key, encryptedKey);
  // The parts tree's root leads the sealed metadata: readers check each part they meet against it.
  const body = new Uint8Array(PARTS_ROOT_BYTES + (metadata?.length ?? 0));
  body.set(partsRoot(placeParts(parts)), 0);
  if (metadata) body.set(metadata, PARTS_ROOT_BYTES);
  const res = (
    await ctx.metainfo({
      completeMultipart: { streamId: uploadId, bucket, key, parts: parts.map(completePart), metadata: new Uint8Array(sealObjectMetadata(objectKey, body)) }
    })
  ).completeMultipart!;
  const o = res.object!;
  return { size: Number(o.size), created: new Date(Number(o.created)), version: objectVersion(o), already: res.already, partCount: o.partCount ?? parts.length };
}

/**
 * Where part `partNumber` lies in an object completed from parts: the satellite's answer, proved
 * by the part's leaf and proof in the parts tree against the root sealed in the object's metadata
 * (a part of 0 bytes too, which no read would check).
 */
export async function partRange(ctx: ClientContext, bucket: string, key: string, partNumber: number): Promise<{ offset: number; size: number }> {
  const res = (await ctx.metainfo({ getObject: { bucket, key, statOnly: true, partNumber } })).getObject!;
  const o = res.object!;
  const offset = Number(res.partOffset ?? 0n);
  const size = Number(res.partSize ?? 0n);
  if (o.encryption !== ENCRYPTION_NAME_V3) throw new ClientError(ClientErrorCode.RangeInvalid, `object ${key.slice(0, 200)} was not completed from parts`);
  const sealed = o.metadata.length > 0 ? openObjectMetadata(openObjectKey(ctx.secret, bucket, key, o.encryptedKey ?? new Uint8Array(0)), o.metadata) : new Uint8Array(0);
  const p = res.partPlace;
  const proved =
    p !== undefined &&
    sealed.length >= PARTS_ROOT_BYTES &&
    p.number === partNumber &&
    Number(p.partOffset) === offset &&
    Number(p.size) === size &&
    verifyPartProof(sealed.subarray(0, PARTS_ROOT_BYTES), o.partCount ?? 0, p.leaf, { number: partNumber, size, offset, salt: p.salt }, p.proof);
  if (!proved) throw new ClientError(ClientErrorCode.Tampered, `object ${key.slice(0, 200)}: the satellite's part ${partNumber} at ${offset}..${offset + size} is not one it was completed from`);
  return { offset, size };
}

/** Aborts an upload; with `of`, only if it is an upload of that bucket and key (NO_SUCH_UPLOAD otherwise). */
export async function abortMultipart(ctx: ClientContext, uploadId: string, of?: { bucket: string; key: string }): Promise<void> {
  await ctx.metainfo({ abortMultipart: { streamId: uploadId, bucket: of?.bucket ?? '', key: of?.key ?? '' } });
}

export async function listUploads(
  ctx: ClientContext,
  bucket: string,
  opts: { prefix?: string; keyMarker?: string; uploadMarker?: string; limit?: number } = {}
): Promise<{ uploads: UploadListing[]; more: boolean }> {
  const res = (await ctx.metainfo({ listUploads: { bucket, prefix: opts.prefix ?? '', keyMarker: opts.keyMarker ?? '', uploadMarker: opts.uploadMarker ?? '', limit: opts.limit ?? 0 } })).listUploads!;
  return { uploads: res.uploads.map((u) => ({ key: u.key, uploadId: u.streamId, created: new Date(Number(u.created)) })), more: res.more };
}
