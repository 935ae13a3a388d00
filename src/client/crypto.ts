// Client-side encryption. Two formats, told apart by ObjectInfo.encryption:
// - v1 (ENCRYPTION_NAME, read-only now): AES-256-GCM per segment, with a key derived (HKDF-SHA256,
//   @noble/hashes) from the user's secret and the bucket, object key and segment index. A random
//   12-byte nonce leads each encrypted segment and the 16-byte tag ends it.
// - v2 (ENCRYPTION_NAME_V2, below): a random content key per object, wrapped for the satellite, and
//   segments sealed in authenticated 64 KiB blocks bound to their place in the object.
// Object keys themselves travel in the clear to the satellite (it needs them to list and page); the
// README says so.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ClientError, ClientErrorCode } from './errors.js';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const ENCRYPTION_OVERHEAD = NONCE_BYTES + TAG_BYTES;
export const ENCRYPTION_NAME = 'aes-256-gcm/hkdf-sha256/v1';

const encoder = new TextEncoder();

export function segmentKey(secret: Uint8Array, bucket: string, key: string, index: number): Uint8Array {
  const info = encoder.encode(`stowage/segment/v1\0${bucket}\0${key}\0${index}`);
  return hkdf(sha256, secret, encoder.encode('stowage'), info, 32);
}

/** AES-256-GCM into a caller's buffer as plaintext arrives: nonce first, then ciphertext, then the tag. */
export class SegmentCipher {
  private readonly cipher;
  private offset = NONCE_BYTES;

  constructor(
    key: Uint8Array,
    private readonly into: Uint8Array
  ) {
    const nonce = randomBytes(NONCE_BYTES);
    this.cipher = createCipheriv('aes-256-gcm', key, nonce);
    into.set(nonce, 0);
  }

  update(plain: Uint8Array): void {
    const out = this.cipher.update(plain);
    this.into.set(out, this.offset);
    this.offset += out.length;
  }

  /** Writes the tag; returns the sealed length. */
  final(): number {
    this.cipher.final();
    this.into.set(this.cipher.getAuthTag(), this.offset);
    return this.offset + TAG_BYTES;
  }
}

/**
 * Decrypts and authenticates a sealed segment; the plaintext comes back in slices of `slice` bytes, so a consumer that
 * is done with one can let it go. Nothing is returned before the tag has been checked.
 */
export function decryptSegmentSlices(key: Uint8Array, sealed: Uint8Array, slice = 1024 * 1024): Uint8Array[] {
  if (sealed.length < ENCRYPTION_OVERHEAD) throw new ClientError(ClientErrorCode.Decrypt, 'encrypted segment is too short');
  const n = sealed.length - ENCRYPTION_OVERHEAD;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(sealed.subarray(NONCE_BYTES + n));
  const out: Uint8Array[] = [];
  try {
    for (let off = 0; off < n; off += slice) out.push(decipher.update(sealed.subarray(NONCE_BYTES + off, NONCE_BYTES + Math.min(n, off + slice))));
    decipher.final();
  } catch (err) {
    throw new ClientError(ClientErrorCode.Decrypt, 'a segment does not decrypt: wrong secret, or the data was altered', { cause: err });
  }
  return out;
}

/** Metadata the satellite keeps for the client, sealed under a key of its own. */
export function metadataKey(secret: Uint8Array, bucket: string, key: string): Uint8Array {
  return hkdf(sha256, secret, encoder.encode('stowage'), encoder.encode(`stowage/metadata/v1\0${bucket}\0${key}`), 32);
}

// ---------------------------------------------------------------------------------------------
// Format v2: a random content key per object, segments sealed in authenticated blocks.
//
// v1 authenticates each segment on its own, but the list of segments and their sizes comes from
// the satellite unauthenticated, so it can truncate an object at a segment boundary, reorder or
// repeat segments, or splice segments of two versions of one key, and a reader does not notice.
// v2 binds every block to its place in the object:
//
// - At upload start the client makes a random 32-byte content key and a random 16-byte version id.
//   The content key travels to the satellite wrapped (AES-256-GCM) under a key derived from the
//   user's secret, the bucket and the object key (`encryptedKey`, see createObjectKey), so the
//   satellite cannot read it and cannot move it to another object.
// - A segment's plaintext is cut into blocks of BLOCK_SIZE bytes (the last one shorter; an empty
//   segment is one block of 0 bytes). Each block is sealed with AES-256-GCM under the content key:
//   sealed block = ciphertext || 16-byte tag, and a sealed segment is its blocks back to back.
// - The nonce of a block is derived from (segment index, block index): u32be segment || u64be
//   block. INVARIANT: each (segment index, block index) is sealed exactly once under a content key.
//   That holds because the content key is fresh (random) for every object version, and the sealer
//   numbers segments and blocks itself and seals each once. Never reuse a content key for a second
//   upload, a retry that re-reads the source, or a re-uploaded part: GCM under a repeated nonce
//   leaks the XOR of the plaintexts and lets anyone forge tags.
// - The associated data of every block names its place (see blockAd): the version, the segment
//   index, the segment's plaintext offset in the object, the block index, and flags for "last block
//   of its segment" and "last segment of the object". Reordering, repeating, splicing segments of
//   another version, wrong offsets or sizes, and truncation at any block or segment boundary (the
//   last block seen lacks its flag) all fail authentication. What v2 cannot catch by itself is a
//   whole, consistent older version handed back in place of the newest (a rollback of the entire
//   object, key blob included): that needs state the client keeps.

/** Plaintext bytes per block. 64 KiB: the tag costs 16 B per block (0.02%), one cipher set-up
 * per 64 KiB is negligible next to the AES-GCM work itself at AES-NI speeds, it is the chunk size
 * of Node's streams (so blocks pass on as they are), and the format lets a reader authenticate and
 * release plaintext block by block (openSegment itself waits for all of a segment's blocks, so a
 * truncated segment gives nothing). Smaller blocks (4-16 KiB) measured markedly slower per byte
 * in Node, where each block needs a cipher object of its own. */
export const BLOCK_SIZE = 64 * 1024;
export const SEALED_BLOCK_SIZE = BLOCK_SIZE + TAG_BYTES;
export const ENCRYPTION_NAME_V2 = 'aes-256-gcm/blocks-64k/v2';
/**
 * Format v4: v2's sealing, pieces striped (stripes.ts): piece i is share i of each stripe of
 * k shares, so a segment is coded and sent a few stripes at a time, never held whole.
 */
export const ENCRYPTION_NAME_V4 = 'aes-256-gcm/blocks-64k-striped/v4';
/** First byte of an encryptedKey blob of this format. */
export const OBJECT_KEY_FORMAT = 2;
export const CONTENT_KEY_BYTES = 32;
export const VERSION_BYTES = 16;
/** format (1) || version (16) || nonce (12) || wrapped content key (32) || tag (16). */
export const ENCRYPTED_KEY_BYTES = 1 + VERSION_BYTES + NONCE_BYTES + CONTENT_KEY_BYTES + TAG_BYTES;

const TAMPERED = '(the satellite or the nodes returned data that is not this object\'s: truncated, reordered, spliced or altered)';
const BLOCK_AD_PREFIX = encoder.encode('stowage/block/v2\0');
const BLOCK_AD_BYTES = BLOCK_AD_PREFIX.length + VERSION_BYTES + 4 + 8 + 4 + 1;
const FLAG_LAST_BLOCK = 1;
const FLAG_LAST_SEGMENT = 2;
const U32_MAX = 0xffff_ffff;

/** A segment's place in its object: what the associated data of its blocks binds. */
export interface SegmentPosition {
  index: number;
  /** Where the segment's plaintext starts in the object (the sum of the plain sizes before it). */
  plainOffset: number;
  plainSize: number;
  /** The object's last segment. */
  last: boolean;
}

export interface ObjectKey {
  contentKey: Uint8Array;
  version: Uint8Array;
}

/** Bytes a segment of `plainSize` plaintext bytes seals to: 16 per block, at least one block. */
export function sealedSizeOf(plainSize: number): number {
  return plainSize + TAG_BYTES * blocksOf(plainSize);
}

/** The plaintext size that seals to `sealedSize` bytes; a RangeError when none does. */
export function plainSizeOf(sealedSize: number): number {
  if (!Number.isSafeInteger(sealedSize) || sealedSize < TAG_BYTES) throw new RangeError(`no segment seals to ${sealedSize} bytes`);
  const plain = sealedSize - TAG_BYTES * Math.max(1, Math.ceil(sealedSize / SEALED_BLOCK_SIZE));
  if (plain < 0 || sealedSizeOf(plain) !== sealedSize) throw new RangeError(`no segment seals to ${sealedSize} bytes`);
  return plain;
}

function blocksOf(plainSize: number): number {
  return Math.max(1, Math.ceil(plainSize / BLOCK_SIZE));
}

/** The key that wraps content keys of one object: HKDF over the secret, bucket and object key (length-prefixed bucket, so no two pairs share an input). */
function objectWrapKey(secret: Uint8Array, bucket: string, key: string): Uint8Array {
  const prefix = encoder.encode('stowage/object-key/v2\0');
  const b = encoder.encode(bucket);
  const k = encoder.encode(key);
  const info = new Uint8Array(prefix.length + 4 + b.length + k.length);
  info.set(prefix, 0);
  new DataView(info.buffer).setUint32(prefix.length, b.length);
  info.set(b, prefix.length + 4);
  info.set(k, prefix.length + 4 + b.length);
  return hkdf(sha256, secret, encoder.encode('stowage'), info, 32);
}

/**
 * Makes a fresh content key and version id for an upload of bucket/key, and the encryptedKey blob
 * that carries them to the satellite: format byte (2) || version || nonce || wrapped key || tag,
 * with format byte and version authenticated as associated data.
 */
export function createObjectKey(secret: Uint8Array, bucket: string, key: string): ObjectKey & { encryptedKey: Uint8Array } {
  const contentKey = new Uint8Array(randomBytes(CONTENT_KEY_BYTES));
  const version = new Uint8Array(randomBytes(VERSION_BYTES));
  const blob = new Uint8Array(ENCRYPTED_KEY_BYTES);
  blob[0] = OBJECT_KEY_FORMAT;
  blob.set(version, 1);
  const nonce = randomBytes(NONCE_BYTES);
  blob.set(nonce, 1 + VERSION_BYTES);
  const cipher = createCipheriv('aes-256-gcm', objectWrapKey(secret, bucket, key), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(blob.subarray(0, 1 + VERSION_BYTES));
  const wrapped = cipher.update(contentKey);
  cipher.final();
  blob.set(wrapped, 1 + VERSION_BYTES + NONCE_BYTES);
  blob.set(cipher.getAuthTag(), 1 + VERSION_BYTES + NONCE_BYTES + CONTENT_KEY_BYTES);
  return { contentKey, version, encryptedKey: blob };
}

/** Unwraps an encryptedKey blob of bucket/key; DECRYPTION_FAILED for a wrong secret, an altered blob or an unknown format. */
export function openObjectKey(secret: Uint8Array, bucket: string, key: string, encryptedKey: Uint8Array): ObjectKey {
  if (encryptedKey.length === 0) throw new ClientError(ClientErrorCode.Decrypt, 'the object has no encrypted key (an object of format v1 is read with its segment keys)');
  if (encryptedKey[0] !== OBJECT_KEY_FORMAT) {
    throw new ClientError(ClientErrorCode.Decrypt, `unknown object key format ${encryptedKey[0]} (this client reads format ${OBJECT_KEY_FORMAT}; written by a newer client?)`);
  }
  if (encryptedKey.length !== ENCRYPTED_KEY_BYTES) {
    throw new ClientError(ClientErrorCode.Decrypt, `the object key does not open: ${encryptedKey.length} bytes, not ${ENCRYPTED_KEY_BYTES} (the blob was altered)`);
  }
  const at = 1 + VERSION_BYTES;
  try {
    const decipher = createDecipheriv('aes-256-gcm', objectWrapKey(secret, bucket, key), encryptedKey.subarray(at, at + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(encryptedKey.subarray(0, at));
    decipher.setAuthTag(encryptedKey.subarray(at + NONCE_BYTES + CONTENT_KEY_BYTES));
    const contentKey = decipher.update(encryptedKey.subarray(at + NONCE_BYTES, at + NONCE_BYTES + CONTENT_KEY_BYTES));
    decipher.final();
    return { contentKey: new Uint8Array(contentKey), version: encryptedKey.slice(1, at) };
  } catch (err) {
    throw new ClientError(ClientErrorCode.Decrypt, 'the object key does not open: wrong secret (access) for this object, or the key blob was altered', { cause: err });
  }
}

function checkKeys(contentKey: Uint8Array, version: Uint8Array): void {
  if (contentKey.length !== CONTENT_KEY_BYTES) throw new RangeError(`a content key has ${CONTENT_KEY_BYTES} bytes, not ${contentKey.length}`);
  if (version.length !== VERSION_BYTES) throw new RangeError(`a version id has ${VERSION_BYTES} bytes, not ${version.length}`);
}

/** Why a position cannot be sealed or opened, or undefined when it is sound. */
function badPosition(pos: SegmentPosition): string | undefined {
  const { index, plainOffset, plainSize } = pos;
  if (!Number.isInteger(index) || index < 0 || index > U32_MAX) return `segment ${index}: the index is not a u32`;
  if (!Number.isSafeInteger(plainOffset) || plainOffset < 0) return `segment ${index}: offset ${plainOffset} is not a byte offset`;
  if (!Number.isSafeInteger(plainSize) || plainSize < 0 || !Number.isSafeInteger(plainOffset + plainSize)) return `segment ${index}: size ${plainSize} is not a byte count`;
  if (blocksOf(plainSize) > U32_MAX) return `segment ${index}: ${plainSize} bytes is more blocks than a u32 counts`;
  return undefined;
}

/** Associated data of a segment's blocks; blockAd() sets the block index and flags of one block in it. */
function segmentAd(version: Uint8Array, pos: SegmentPosition): Buffer {
  const ad = Buffer.alloc(BLOCK_AD_BYTES);
  ad.set(BLOCK_AD_PREFIX, 0);
  let at = BLOCK_AD_PREFIX.length;
  ad.set(version, at);
  at += VERSION_BYTES;
  ad.writeUInt32BE(pos.index, at);
  ad.writeUInt32BE(Math.floor(pos.plainOffset / 2 ** 32), at + 4);
  ad.writeUInt32BE(pos.plainOffset >>> 0, at + 8);
  return ad;
}

function blockAd(ad: Buffer, block: number, lastBlock: boolean, lastSegment: boolean): Buffer {
  ad.writeUInt32BE(block, BLOCK_AD_BYTES - 5);
  ad[BLOCK_AD_BYTES - 1] = (lastBlock ? FLAG_LAST_BLOCK : 0) | (lastSegment ? FLAG_LAST_SEGMENT : 0);
  return ad;
}

/** u32be segment index || u64be block index. */
function blockNonce(index: number, block: number): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeUInt32BE(index, 0);
  nonce.writeUInt32BE(block, 8);
  return nonce;
}

/**
 * Seals a segment in place: `buf` holds block b's plaintext at b * SEALED_BLOCK_SIZE (room for its
 * tag after it), and afterwards holds the sealed segment, sealedSizeOf(pos.plainSize) bytes.
 * See the invariant above: each (content key, segment index) is sealed once.
 */
export function sealSegmentInPlace(contentKey: Uint8Array, version: Uint8Array, pos: SegmentPosition, buf: Uint8Array): number {
  checkKeys(contentKey, version);
  const bad = badPosition(pos);
  if (bad) throw new RangeError(bad);
  const sealedSize = sealedSizeOf(pos.plainSize);
  if (buf.length < sealedSize) throw new RangeError(`segment ${pos.index}: ${sealedSize} sealed bytes do not fit a buffer of ${buf.length}`);
  const blocks = blocksOf(pos.plainSize);
  const ad = segmentAd(version, pos);
  for (let b = 0; b < blocks; b++) {
    const at = b * SEALED_BLOCK_SIZE;
    const n = Math.min(BLOCK_SIZE, pos.plainSize - b * BLOCK_SIZE);
    const cipher = createCipheriv('aes-256-gcm', contentKey, blockNonce(pos.index, b), { authTagLength: TAG_BYTES });
    cipher.setAAD(blockAd(ad, b, b === blocks - 1, pos.last));
    // update() returns a new buffer, so writing it back over its own input is safe.
    buf.set(cipher.update(buf.subarray(at, at + n)), at);
    cipher.final();
    buf.set(cipher.getAuthTag(), at + n);
  }
  return sealedSize;
}

/**
 * Seals a segment block by block as its plaintext arrives, for a segment whose size and place are
 * known before its first byte (format v4 streams; the bytes are exactly sealSegmentInPlace's).
 * Same invariant: one BlockSealer per (content key, segment index), each block sealed once.
 */
export class BlockSealer {
  private readonly ad: Buffer;
  readonly blocks: number;
  private next = 0;

  constructor(
    private readonly contentKey: Uint8Array,
    version: Uint8Array,
    private readonly pos: SegmentPosition
  ) {
    checkKeys(contentKey, version);
    const bad = badPosition(pos);
    if (bad) throw new RangeError(bad);
    this.ad = segmentAd(version, pos);
    this.blocks = blocksOf(pos.plainSize);
  }

  /** Plaintext bytes of block b. */
  blockSize(b: number): number {
    return Math.min(BLOCK_SIZE, this.pos.plainSize - b * BLOCK_SIZE);
  }

  /** Seals the next block (blockSize(b) bytes of `plain`) into `out` at `at`: ciphertext then tag. */
  seal(plain: Uint8Array, out: Uint8Array, at: number): number {
    const b = this.next;
    if (b >= this.blocks) throw new RangeError(`segment ${this.pos.index} has only ${this.blocks} blocks`);
    const n = this.blockSize(b);
    if (plain.length !== n) throw new RangeError(`block ${b} of segment ${this.pos.index} holds ${n} bytes, not ${plain.length}`);
    const cipher = createCipheriv('aes-256-gcm', this.contentKey, blockNonce(this.pos.index, b), { authTagLength: TAG_BYTES });
    cipher.setAAD(blockAd(this.ad, b, b === this.blocks - 1, this.pos.last));
    out.set(cipher.update(plain), at);
    cipher.final();
    out.set(cipher.getAuthTag(), at + n);
    this.next++;
    return n + TAG_BYTES;
  }
}

/** Seals a segment's plaintext into a new buffer (sealSegmentInPlace does it without a copy). */
export function sealSegment(contentKey: Uint8Array, version: Uint8Array, pos: Omit<SegmentPosition, 'plainSize'>, plain: Uint8Array): Uint8Array {
  const out = new Uint8Array(sealedSizeOf(plain.length));
  for (let b = 0; b * BLOCK_SIZE < plain.length; b++) out.set(plain.subarray(b * BLOCK_SIZE, (b + 1) * BLOCK_SIZE), b * SEALED_BLOCK_SIZE);
  sealSegmentInPlace(contentKey, version, { ...pos, plainSize: plain.length }, out);
  return out;
}

/**
 * Authenticates and decrypts every block of a sealed segment at `pos`, and only then returns its
 * plaintext: one slice per block (BLOCK_SIZE bytes, the last one shorter), cut in pieces of
 * `slice` bytes when `slice` is below BLOCK_SIZE; no slice is longer than `slice`, and an empty
 * segment gives no slices. OBJECT_TAMPERED when the length or any
 * block does not match the place claimed for it.
 */
export function openSegment(contentKey: Uint8Array, version: Uint8Array, pos: SegmentPosition, sealed: Uint8Array, slice = 1024 * 1024): Uint8Array[] {
  if (!Number.isSafeInteger(slice) || slice < 1) throw new RangeError(`slice ${slice} is not a positive byte count`);
  const blocks = [...openSegmentBlocks(contentKey, version, pos, sealed)];
  const out: Uint8Array[] = [];
  // Each block's plaintext is a buffer of its own already; grouping blocks would cost a copy
  // (measured 15-40% of opening), so slices are blocks, cut only for a slice below BLOCK_SIZE.
  for (const { plain } of blocks) {
    const n = plain.length;
    if (n <= slice) out.push(plain);
    else for (let off = 0; off < n; off += slice) out.push(plain.subarray(off, Math.min(n, off + slice)));
  }
  return out;
}

/**
 * A sealed segment's bytes: in one buffer, or read a range at a time from where they lie (format
 * v4's striped pieces); a range read is valid until the next read.
 */
export type SealedBytes = Uint8Array | { readonly length: number; read(at: number, length: number): Uint8Array };

/** One authenticated block of a segment, as openSegmentBlocks gives it. */
export interface OpenedBlock {
  /** The block's plaintext, a buffer of its own (never a view of the sealed bytes). */
  plain: Uint8Array;
  /** Where the plaintext starts in the segment. */
  plainAt: number;
  /** The sealed bytes before this offset are no longer read: the caller may reuse them. */
  sealedEnd: number;
  /** Where the block's tag is in the sealed segment (-1: opened whole, one tag for it all). */
  tagAt: number;
}

/**
 * Authenticates and decrypts a sealed segment at `pos` block by block, as the caller asks: each
 * block is given only after it authenticated (its place, the segment's and the object's version
 * are in its associated data, so a block given is this object's, wherever the rest fails). Blocks
 * that end at or before plaintext byte `from` of the segment are skipped, not decrypted (a range
 * read). OBJECT_TAMPERED when the length or a block does not match the place claimed for it.
 */
export function* openSegmentBlocks(contentKey: Uint8Array, version: Uint8Array, pos: SegmentPosition, sealed: SealedBytes, from = 0): Generator<OpenedBlock> {
  checkKeys(contentKey, version);
  const bad = badPosition(pos);
  if (bad) throw new ClientError(ClientErrorCode.Tampered, `${bad} ${TAMPERED}`);
  const { index, plainSize } = pos;
  const sealedSize = sealedSizeOf(plainSize);
  if (sealed.length !== sealedSize) {
    throw new ClientError(ClientErrorCode.Tampered, `segment ${index}: ${sealed.length} sealed bytes where ${plainSize} plaintext bytes seal to ${sealedSize} ${TAMPERED}`);
  }
  const blocks = blocksOf(plainSize);
  const ad = segmentAd(version, pos);
  for (let b = Math.max(0, Math.floor(from / BLOCK_SIZE)); b < blocks; b++) {
    const at = b * SEALED_BLOCK_SIZE;
    const n = Math.min(BLOCK_SIZE, plainSize - b * BLOCK_SIZE);
    let plain: Buffer;
    try {
      const bytes = sealed instanceof Uint8Array ? sealed.subarray(at, at + n + TAG_BYTES) : sealed.read(at, n + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', contentKey, blockNonce(index, b), { authTagLength: TAG_BYTES });
      decipher.setAAD(blockAd(ad, b, b === blocks - 1, pos.last));
      decipher.setAuthTag(bytes.subarray(n));
      plain = decipher.update(bytes.subarray(0, n));
      decipher.final();
    } catch (err) {
      throw new ClientError(ClientErrorCode.Tampered, `segment ${index}, block ${b} of ${blocks}: does not authenticate ${TAMPERED}`, { cause: err });
    }
    if (n === 0) continue;
    yield { plain, plainAt: b * BLOCK_SIZE, sealedEnd: at + n + TAG_BYTES, tagAt: at + n };
  }
}

// ---------------------------------------------------------------------------------------------
// Object metadata (format v2): what the client keeps about an object beside its bytes (content
// type, user metadata, an ETag), sealed under a key derived from the object's content key, so it
// belongs to one version of one object like the bytes do, and the satellite cannot read it or
// move it to another object. Sealed form: nonce (12) || ciphertext || tag (16).

const METADATA_INFO = encoder.encode('stowage/metadata/v2');
const METADATA_AD_PREFIX = encoder.encode('stowage/metadata/v2\0');

function metadataCipherKey(contentKey: Uint8Array): Uint8Array {
  return hkdf(sha256, contentKey, encoder.encode('stowage'), METADATA_INFO, 32);
}

function metadataAd(version: Uint8Array): Uint8Array {
  const ad = new Uint8Array(METADATA_AD_PREFIX.length + VERSION_BYTES);
  ad.set(METADATA_AD_PREFIX, 0);
  ad.set(version, METADATA_AD_PREFIX.length);
  return ad;
}

/** Seals an object's metadata under its content key (a fresh random nonce each time). */
export function sealObjectMetadata(objectKey: ObjectKey, plain: Uint8Array): Uint8Array {
  checkKeys(objectKey.contentKey, objectKey.version);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', metadataCipherKey(objectKey.contentKey), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(metadataAd(objectKey.version));
  const body = cipher.update(plain);
  cipher.final();
  return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]));
}

/** Opens what sealObjectMetadata sealed; DECRYPTION_FAILED when it was altered or belongs to another object. */
export function openObjectMetadata(objectKey: ObjectKey, sealed: Uint8Array): Uint8Array {
  if (sealed.length < ENCRYPTION_OVERHEAD) throw new ClientError(ClientErrorCode.Decrypt, `the object's metadata does not open: ${sealed.length} bytes is too short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', metadataCipherKey(objectKey.contentKey), sealed.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(metadataAd(objectKey.version));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES));
    decipher.final();
    return new Uint8Array(plain);
  } catch (err) {
    throw new ClientError(ClientErrorCode.Decrypt, "the object's metadata does not open: it was altered, or it is another object's", { cause: err });
  }
}

// ---------------------------------------------------------------------------------------------
// Format v3: an object completed from parts (the S3 gateway's multipart uploads). Each part
// upload is sealed exactly as a v2 object is (blocks, nonces, associated data), but under a key of
// its own derived from the object's content key, the part number and a random salt drawn for that
// part upload; segment index, offset and "last" are the segment's place in its part. So:
// - the nonce invariant holds per part upload (a part uploaded again draws a new salt, hence a new
//   key), though parts arrive in any order and concurrently;
// - a segment cannot be moved to another part, another place in its part, or another upload of
//   the same part number (the key or the associated data differ);
// - which parts make the object, in which order, of which sizes and where, is sealed in the
//   object's metadata as the root of a Merkle tree over the parts (protocol/parts.ts); the
//   satellite hands each segment its part's proof, so every read, ranged or whole, is checked.

export const ENCRYPTION_NAME_V3 = 'aes-256-gcm/parts-64k/v3';
export const PART_SALT_BYTES = 16;
const PART_KEY_INFO = encoder.encode('stowage/part-key/v3\0');

/** The key a part upload is sealed under: HKDF of the content key, the part number and the upload's salt. */
export function partContentKey(contentKey: Uint8Array, partNumber: number, salt: Uint8Array): Uint8Array {
  if (salt.length !== PART_SALT_BYTES) throw new ClientError(ClientErrorCode.Tampered, `a part's salt is ${PART_SALT_BYTES} bytes, not ${salt.length}`);
  const info = new Uint8Array(PART_KEY_INFO.length + 4 + PART_SALT_BYTES);
  info.set(PART_KEY_INFO, 0);
  new DataView(info.buffer).setUint32(PART_KEY_INFO.length, partNumber);
  info.set(salt, PART_KEY_INFO.length + 4);
  return hkdf(sha256, contentKey, encoder.encode('stowage'), info, 32);
}

