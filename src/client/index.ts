// Public face of the client library (the package's main export).
export { Stowage, DEFAULT_SEGMENT_SIZE, type ClientOptions, type UploadOptions, type DownloadOptions, type ObjectStat } from './client.js';
export { DEFAULT_MAX_EXPANSION } from './redundancy.js';
export { createAccess, parseAccess, serializeAccess, type Access } from './access.js';
export { ClientError, ClientErrorCode } from './errors.js';
export type { Source } from './segments.js';
export type { PartStat, PartUploadOptions, UploadListing } from './multipart.js';
