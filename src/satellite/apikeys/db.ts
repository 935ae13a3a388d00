// API keys: the satellite hands a key out once and keeps only its SHA-256, so a leaked database
// does not leak keys. The ApiKeyDB interface, and what every backend shares (the key format and
// its digest); the LevelDB implementation is store/leveldb/apikeys.ts (ApiKeys).
import { createHash } from 'node:crypto';
import { StowageError } from '../../common/index.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  createdAt: number;
  revokedAt: number | null;
}

export class ApiKeyError extends StowageError {}

/** Every key starts with this. */
export const API_KEY_PREFIX = 'stk_';

/** What is stored of a key. */
export function apiKeyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The API key store: every backend provides this (the contract tests hold each to it). */
export interface ApiKeyDB {
  /** A new key; the only time it is seen in full. */
  create(name?: string): Promise<{
      id: string;
      key: string;
  }>;
  /** The key's record, or API_KEY_INVALID / API_KEY_REVOKED. */
  verify(key: unknown): Promise<ApiKeyRecord>;
  revoke(id: string): Promise<ApiKeyRecord>;
  list(): AsyncIterable<ApiKeyRecord>;
}
