// The gateway's credentials: S3 access key ids and secrets, each standing for one Stowage access.
//
// `register` turns an access into an access key id and a secret key. The record is kept in
// LevelDB under SHA-256(access key id), its body (the secret key and the access) sealed with
// AES-256-GCM under a key derived (HKDF) from the access key id. The access key id is therefore
// the record's key in both senses: the gateway's files alone (a stolen disk, a backup) name no
// access key id and open no access. This is what Storj's auth service does (its access key id is
// the encryption key of the stored access grant). The issue asked for a key derived from the
// *secret* key; with SigV4 that cannot work: a request carries the access key id and a signature,
// never the secret, and the gateway needs the secret to check the signature before anything else,
// so the secret cannot be what locks the record.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Level } from 'level';
import { StowageError } from '../common/index.js';

export class CredentialError extends StowageError {}

/** What one access key id stands for. */
export interface Credential {
  accessKeyId: string;
  secretKey: string;
  /** The Stowage access (`stowage1:...`) requests signed with this key act as. */
  access: string;
  /** When it was registered (ms since the epoch). */
  created: number;
}

interface StoredCredential {
  /** nonce (12) || ciphertext || tag (16), base64. */
  sealed: string;
  created: number;
}

const encoder = new TextEncoder();
// 20 characters of A-Z and 2-7, like AWS's own ids (AKIA... is Amazon's; ours start with "GW").
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newAccessKeyId(): string {
  const bytes = randomBytes(18);
  let id = 'GW';
  for (const b of bytes) id += ID_ALPHABET[b & 31];
  return id;
}

const lookupKey = (accessKeyId: string): string => createHash('sha256').update(`stowage/gateway/credential\0${accessKeyId}`).digest('hex');
const sealKey = (accessKeyId: string): Uint8Array => hkdf(sha256, encoder.encode(accessKeyId), encoder.encode('stowage'), encoder.encode('stowage/gateway/credential-seal/v1'), 32);

/** The gateway's credential records (one LevelDB directory). */
export class CredentialStore {
  private readonly cache = new Map<string, Credential | null>();

  private constructor(private readonly db: Level<string, StoredCredential>) {}

  static async open(dir: string): Promise<CredentialStore> {
    const db = new Level<string, StoredCredential>(dir, { valueEncoding: 'json' });
    try {
      await db.open();
    } catch (err) {
      throw new CredentialError('GATEWAY_STORE_UNAVAILABLE', `the credential store at ${dir} cannot be opened (is another gateway running on it?): ${(err as Error).message}`, { cause: err });
    }
    return new CredentialStore(db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** A new access key id and secret key for `access`, stored sealed. */
  async register(access: string, now = Date.now()): Promise<Credential> {
    const accessKeyId = newAccessKeyId();
    const secretKey = randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey(accessKeyId), nonce);
    const body = Buffer.concat([cipher.update(JSON.stringify({ secretKey, access }), 'utf8'), cipher.final()]);
    await this.db.put(lookupKey(accessKeyId), { sealed: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64'), created: now });
    const credential = { accessKeyId, secretKey, access, created: now };
    this.cache.set(accessKeyId, credential);
    return credential;
  }

  /** The credential of an access key id; undefined when the gateway does not know it. */
  async lookup(accessKeyId: string): Promise<Credential | undefined> {
    if (accessKeyId.length === 0 || accessKeyId.length > 128) return undefined;
    const cached = this.cache.get(accessKeyId);
    if (cached !== undefined) return cached ?? undefined;
    const stored = await this.db.get(lookupKey(accessKeyId));
    let credential: Credential | null = null;
    if (stored) {
      const sealed = Buffer.from(stored.sealed, 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey(accessKeyId), sealed.subarray(0, 12));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
        const { secretKey, access } = JSON.parse(plain.toString('utf8')) as { secretKey: string; access: string };
        credential = { accessKeyId, secretKey, access, created: stored.created };
      } catch (err) {
        throw new CredentialError('GATEWAY_STORE_CORRUPT', `the credential record of ${accessKeyId} does not open (altered on disk?)`, { cause: err });
      }
    }
    // Unknown ids are not cached: a flood of made-up ids must not grow the map.
    if (credential) {
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(accessKeyId, credential);
    }
    return credential ?? undefined;
  }

  /** Forgets an access key id; whether it was known. */
  async revoke(accessKeyId: string): Promise<boolean> {
    const known = (await this.lookup(accessKeyId)) !== undefined;
    if (known) await this.db.del(lookupKey(accessKeyId));
    this.cache.delete(accessKeyId);
    return known;
  }

  /** How many credentials are registered. */
  async count(): Promise<number> {
    let n = 0;
    for await (const _ of this.db.keys()) n++;
    return n;
  }
}
