// Metainfo: buckets, objects and segments (metadata), and the client API over it (service, endpoint).
export { parseProfile, DEFAULT_PROFILE, type RedundancyProfile } from './profile.js';
export { MetadataError, MAX_LIST_LIMIT, MAX_KEY_BYTES, MAX_METADATA_BYTES, MAX_SEGMENT_INDEX, Metadata, type SegmentPiece, type SegmentRecord, type ObjectRecord, type PlannedPiece, type PendingSegment, type ReceiptContent, type ListOptions } from './metadata.js';
export { MAX_REPORTED_NODES, MetainfoService, handleMetainfo, type MetainfoOptions, type MetainfoDeps } from './service.js';
