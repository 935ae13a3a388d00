// What the gateway keeps with each object, beside its bytes: the ETag, Content-Type, the other
// standard headers S3 returns as stored, the user metadata (x-amz-meta-*) and a checksum the
// client gave. Stored as JSON in the object's metadata, which the client library seals under the
// object's content key (the satellite sees neither the headers nor the ETag).
import { S3Error } from './errors.js';

export interface ObjectMeta {
  /** Quoted, as S3 sends it: "md5hex" or "md5hex-N" for N parts. */
  etag: string;
  contentType: string;
  /** Standard headers kept as given (names in lowercase). */
  headers: Record<string, string>;
  /** x-amz-meta-* without the prefix (names in lowercase). */
  user: Record<string, string>;
  /** An x-amz-checksum-* the upload carried and the gateway verified. */
  checksum?: { header: string; value: string };
}

/** Headers S3 stores with an object and returns on GET and HEAD. */
export const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'] as const;
/** S3's limit on user metadata: 2 KB of names and values. */
export const MAX_USER_METADATA_BYTES = 2048;
const FORMAT = 1;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The metadata a PUT (or a REPLACE copy, or a multipart create) sets, from its headers. */
export function metaFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Omit<ObjectMeta, 'etag'> {
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);
  const user: Record<string, string> = {};
  let userBytes = 0;
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = one(value);
    if (v === undefined) continue;
    if (name.startsWith('x-amz-meta-')) {
      const n = name.slice('x-amz-meta-'.length);
      user[n] = v;
      userBytes += Buffer.byteLength(n) + Buffer.byteLength(v);
    } else if ((STORED_HEADERS as readonly string[]).includes(name)) {
      stored[name] = v;
    }
  }
  if (userBytes > MAX_USER_METADATA_BYTES) throw new S3Error('MetadataTooLarge', 400, `your metadata headers exceed the maximum allowed metadata size (${userBytes} > ${MAX_USER_METADATA_BYTES} bytes)`);
  return { contentType: one(headers['content-type']) || DEFAULT_CONTENT_TYPE, headers: stored, user };
}

export function encodeObjectMeta(meta: ObjectMeta): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ f: FORMAT, ...meta }));
}

/**
 * The gateway's metadata of an object, or a stand-in for an object the gateway did not write (put
 * by the CLI or the library: no ETag was kept, so one is made from its version, quoted like an MD5
 * but ending in "-0", which no MD5 ETag does).
 */
export function decodeObjectMeta(bytes: Uint8Array | undefined, version: string): ObjectMeta {
  if (bytes && bytes.length > 0) {
    try {
      const raw = JSON.parse(new TextDecoder().decode(bytes)) as Partial<ObjectMeta> & { f?: number };
      if (raw.f === FORMAT && typeof raw.etag === 'string') {
        // Only the headers S3 stores come back: metadata written through the library in this
        // format could name any (transfer-encoding, set-cookie: review 17 L3).
        const headers: Record<string, string> = {};
        for (const [n, v] of Object.entries(raw.headers ?? {})) if ((STORED_HEADERS as readonly string[]).includes(n) && typeof v === 'string') headers[n] = v;
        const user: Record<string, string> = {};
        for (const [n, v] of Object.entries(raw.user ?? {})) if (/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(n) && typeof v === 'string' && !/[\r\n]/.test(v)) user[n] = v;
        return { etag: raw.etag, contentType: typeof raw.contentType === 'string' ? raw.contentType : DEFAULT_CONTENT_TYPE, headers, user, ...(raw.checksum ? { checksum: raw.checksum } : {}) };
      }
    } catch {
      // Not the gateway's: treated as no metadata.
    }
  }
  return { etag: `"${Buffer.from(version).toString('hex').slice(0, 32).padEnd(32, '0')}-0"`, contentType: DEFAULT_CONTENT_TYPE, headers: {}, user: {} };
}
