// API keys: project keys, stored as digests (ApiKeyDB), checked on every client request.
export { ApiKeyError, API_KEY_PREFIX, apiKeyDigest, type ApiKeyDB, type ApiKeyRecord, type ProjectLimits } from './db.js';
