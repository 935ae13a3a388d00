// The PostgreSQL ApiKeyDB: one row per key by its digest (what verify looks up), its id unique
// beside it (what the admin API names it by); the key itself is never kept.
import { randomBytes } from 'node:crypto';
import { API_KEY_PREFIX as PREFIX, ApiKeyError, apiKeyDigest as digest, type ApiKeyDB, type ApiKeyRecord, type ProjectLimits } from '../../apikeys/index.js';
import { keyset, type Pool } from './sql.js';

export const APIKEYS_SCHEMA: readonly string[] = [
  `CREATE TABLE api_keys (digest TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_at BIGINT NOT NULL,
     revoked_at BIGINT, limits JSON)`
];

const COLUMNS = 'id, name, created_at, revoked_at, limits';

interface Row {
  digest: string;
  id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
  limits: Partial<ProjectLimits> | null;
}

function recordOf(r: Row): ApiKeyRecord {
  const rec: ApiKeyRecord = { id: r.id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at };
  if (r.limits !== null) rec.limits = r.limits;
  return rec;
}

export class PgApiKeyDB implements ApiKeyDB {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => number
  ) {}

  async create(name = ''): Promise<{ id: string; key: string }> {
    const key = PREFIX + randomBytes(32).toString('base64url');
    const hash = digest(key);
    const id = hash.slice(0, 16);
    await this.pool.query('INSERT INTO api_keys (digest, id, name, created_at) VALUES ($1, $2, $3, $4)', [hash, id, name.slice(0, 128), this.now()]);
    return { id, key };
  }

  async verify(key: unknown): Promise<ApiKeyRecord> {
    if (typeof key !== 'string' || !key.startsWith(PREFIX) || key.length > 128) {
      throw new ApiKeyError('API_KEY_INVALID', 'the API key is malformed');
    }
    const { rows } = await this.pool.query<Row>(`SELECT digest, ${COLUMNS} FROM api_keys WHERE digest = $1`, [digest(key)]);
    const rec = rows[0] && recordOf(rows[0]);
    if (!rec) throw new ApiKeyError('API_KEY_INVALID', 'the API key is not known to this satellite');
    if (rec.revokedAt !== null) throw new ApiKeyError('API_KEY_REVOKED', `the API key ${rec.id} was revoked`);
    return rec;
  }

  /** Revokes the key (a key revoked already keeps its first revocation time). */
  async revoke(id: string): Promise<ApiKeyRecord> {
    return this.found(id, await this.pool.query<Row>(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING digest, ${COLUMNS}`, [id, this.now()]));
  }

  async get(id: string): Promise<ApiKeyRecord> {
    return this.found(id, await this.pool.query<Row>(`SELECT digest, ${COLUMNS} FROM api_keys WHERE id = $1`, [id]));
  }

  async setLimits(id: string, limits: Partial<ProjectLimits>): Promise<ApiKeyRecord> {
    const value = Object.keys(limits).length === 0 ? null : JSON.stringify(limits);
    return this.found(id, await this.pool.query<Row>(`UPDATE api_keys SET limits = $2 WHERE id = $1 RETURNING digest, ${COLUMNS}`, [id, value]));
  }

  /** The record a query by id returned, or API_KEY_NOT_FOUND. */
  private found(id: string, result: { rows: Row[] }): ApiKeyRecord {
    const row = result.rows[0];
    if (!row) throw new ApiKeyError('API_KEY_NOT_FOUND', `no API key ${id}`);
    return recordOf(row);
  }

  async *list(): AsyncIterable<ApiKeyRecord> {
    for await (const row of keyset<Row>(this.pool, 'api_keys', 'digest', COLUMNS)) yield recordOf(row);
  }
}
