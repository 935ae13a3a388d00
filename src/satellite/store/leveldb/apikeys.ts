// The LevelDB ApiKeyDB (ApiKeys): keys by digest, and digests by id.
import { randomBytes } from 'node:crypto';
import type { Level } from 'level';
import { API_KEY_PREFIX as PREFIX, ApiKeyError, apiKeyDigest as digest, type ApiKeyDB, type ApiKeyRecord, type ProjectLimits } from '../../apikeys/index.js';

export class ApiKeys implements ApiKeyDB {
  private readonly byHash;
  private readonly byId;

  constructor(
    private readonly db: Level<string, unknown>,
    private readonly now: () => number
  ) {
    this.byHash = db.sublevel<string, ApiKeyRecord>('apikeys', { valueEncoding: 'json' });
    this.byId = db.sublevel<string, string>('apikeys-by-id', { valueEncoding: 'utf8' });
  }

  /** A new key; the only time it is seen in full. */
  async create(name = ''): Promise<{ id: string; key: string }> {
    const key = PREFIX + randomBytes(32).toString('base64url');
    const hash = digest(key);
    const id = hash.slice(0, 16);
    const rec: ApiKeyRecord = { id, name: name.slice(0, 128), createdAt: this.now(), revokedAt: null };
    await this.db.batch([
      { type: 'put', sublevel: this.byHash, key: hash, value: rec },
      { type: 'put', sublevel: this.byId, key: id, value: hash }
    ] as never);
    return { id, key };
  }

  /** The key's record, or API_KEY_INVALID / API_KEY_REVOKED. */
  async verify(key: unknown): Promise<ApiKeyRecord> {
    if (typeof key !== 'string' || !key.startsWith(PREFIX) || key.length > 128) {
      throw new ApiKeyError('API_KEY_INVALID', 'the API key is malformed');
    }
    const rec = await this.byHash.get(digest(key));
    if (!rec) throw new ApiKeyError('API_KEY_INVALID', 'the API key is not known to this satellite');
    if (rec.revokedAt !== null) throw new ApiKeyError('API_KEY_REVOKED', `the API key ${rec.id} was revoked`);
    return rec;
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const { hash, rec } = await this.byIdOrThrow(id);
    const revoked = { ...rec, revokedAt: rec.revokedAt ?? this.now() };
    await this.byHash.put(hash, revoked);
    return revoked;
  }

  async get(id: string): Promise<ApiKeyRecord> {
    return (await this.byIdOrThrow(id)).rec;
  }

  async setLimits(id: string, limits: Partial<ProjectLimits>): Promise<ApiKeyRecord> {
    const { hash, rec } = await this.byIdOrThrow(id);
    const updated: ApiKeyRecord = { ...rec, limits: { ...limits } };
    if (Object.keys(limits).length === 0) delete updated.limits;
    await this.byHash.put(hash, updated);
    return updated;
  }

  private async byIdOrThrow(id: string): Promise<{ hash: string; rec: ApiKeyRecord }> {
    const hash = await this.byId.get(id);
    const rec = hash ? await this.byHash.get(hash) : undefined;
    if (!hash || !rec) throw new ApiKeyError('API_KEY_NOT_FOUND', `no API key ${id}`);
    return { hash, rec };
  }

  async *list(): AsyncIterable<ApiKeyRecord> {
    for await (const rec of this.byHash.values()) yield rec;
  }
}
