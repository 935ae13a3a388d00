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
  /** The key's project's own limits (others: the satellite's); absent on keys never given any. */
  limits?: Partial<ProjectLimits>;
}

export class ApiKeyError extends StowageError {}

/**
 * A project's limits (metainfo/limits.ts enforces them; the satellite's defaults are there). Kept
 * here: a key carries its project's own.
 */
export interface ProjectLimits {
  /**
   * Bytes of segments the project may hold: a remote segment counts its encrypted size (piece
   * size x k), an inline one its bytes. Counted when a segment is begun (so uploads in progress
   * count: their pieces sit on nodes until they expire), released when it is deleted, replaced
   * or expires.
   */
  maxStoredBytes: number;
  /** Segments the project may hold, counted the same way. */
  maxSegments: number;
  /** Piece bytes of GET orders the project may be given per calendar month (UTC). */
  maxEgressBytesPerMonth: number;
  /** Nodes a segment upload may be given beyond its first `total`, all rounds of replacement orders together. */
  maxReplacementNodes: number;
}

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
  /** A key's record by id (revoked ones too); API_KEY_NOT_FOUND. */
  get(id: string): Promise<ApiKeyRecord>;
  /** Sets the key's own limits (replacing earlier ones; {} returns it to the satellite's); API_KEY_NOT_FOUND. */
  setLimits(id: string, limits: Partial<ProjectLimits>): Promise<ApiKeyRecord>;
  list(): AsyncIterable<ApiKeyRecord>;
}
