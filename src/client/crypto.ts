// Client-side encryption: AES-256-GCM per segment, with a key derived (HKDF-SHA256, @noble/hashes)
// from the user's secret and the bucket, object key and segment index. A random 12-byte nonce
// leads each encrypted segment and the 16-byte tag ends it, so re-uploading an object never
// reuses a key with a nonce. Object keys themselves travel in the clear to the satellite (it needs
// them to list and page); the README says so.
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

/** Encrypts into `into` (at least plain.length + 28 bytes) when given; returns the sealed bytes. */
export function encryptSegment(key: Uint8Array, plain: Uint8Array, into?: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const out = into ? into.subarray(0, plain.length + ENCRYPTION_OVERHEAD) : new Uint8Array(plain.length + ENCRYPTION_OVERHEAD);
  out.set(nonce, 0);
  // In slices, so the cipher's own output buffers stay small.
  const SLICE = 1024 * 1024;
  for (let off = 0; off < plain.length; off += SLICE) out.set(cipher.update(plain.subarray(off, off + SLICE)), NONCE_BYTES + off);
  cipher.final();
  out.set(cipher.getAuthTag(), NONCE_BYTES + plain.length);
  return out;
}

export function decryptSegment(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.length < ENCRYPTION_OVERHEAD) throw new ClientError(ClientErrorCode.Decrypt, 'encrypted segment is too short');
  const n = sealed.length - ENCRYPTION_OVERHEAD;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(sealed.subarray(NONCE_BYTES + n));
  try {
    const plain = decipher.update(sealed.subarray(NONCE_BYTES, NONCE_BYTES + n));
    decipher.final();
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
  } catch (err) {
    throw new ClientError(ClientErrorCode.Decrypt, 'a segment does not decrypt: wrong secret, or the data was altered', { cause: err });
  }
}

/** Metadata the satellite keeps for the client, sealed under a key of its own. */
export function metadataKey(secret: Uint8Array, bucket: string, key: string): Uint8Array {
  return hkdf(sha256, secret, encoder.encode('stowage'), encoder.encode(`stowage/metadata/v1\0${bucket}\0${key}`), 32);
}
