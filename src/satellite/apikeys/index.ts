// API keys: project keys, stored as hashes, with their permissions.
export { ApiKeyError, ApiKeys, type ApiKeyRecord } from './apikeys.js';
