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
