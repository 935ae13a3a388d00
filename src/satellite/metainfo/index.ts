// Metainfo: buckets, objects and segments (MetadataDB), and the client API over them (service,
// endpoint): segments are planned on selected nodes, committed from signed receipts and piece
// hashes, read back a page at a time.
export { parseProfile, DEFAULT_PROFILE, type RedundancyProfile } from './profile.js';
export { MetadataError } from './errors.js';
export {
  PageBudget,
  assembleParts,
  checkBucketName,
  checkCommittable,
  checkContiguous,
  checkMetadataSize,
  checkNewObject,
  checkPartNumber,
  checkPartOptions,
  checkSegmentIndex,
  checkTakesSegments,
  chooseParts,
  clampLimit,
  commonPrefix,
  committedObject,
  findPartRange,
  inlineSegment,
  listLimit,
  newObjectRecord,
  noSuchUpload,
  notPending,
  objectGone,
  partRecord,
  partUploadRecord,
  remoteSegment,
  segmentBytes,
  segmentNotPending,
  withNodes,
  uploadExpired,
  usageOf,
  validPartNumber,
  withPiecesRemoved,
  withPiecesReplaced
} from './rules.js';
export {
  MAX_LIST_LIMIT,
  MAX_KEY_BYTES,
  MAX_METADATA_BYTES,
  MAX_SEGMENT_INDEX,
  MAX_PART_NUMBER,
  MAX_PART_SALT_BYTES,
  MAX_PART_INFO_BYTES,
  MAX_WRAPPED_KEY_BYTES,
  DEFAULT_MULTIPART_TTL_MS,
  type MetadataDB,
  type PartRecord,
  type SegmentPartPlace,
  type UploadListing,
  type SegmentPiece,
  type SegmentRecord,
  type ObjectRecord,
  type PlannedPiece,
  type PendingSegment,
  type ReceiptContent,
  type ListOptions
} from './db.js';
export { METAINFO_DEFAULTS, type MetainfoConfig } from './config.js';
export { PROJECT_LIMIT_DEFAULTS, checkProjectLimits, checkStorage, effectiveLimits, monthOf, type ProjectLimits, type ProjectUsage } from './limits.js';
export { BACKGROUND_DELETES, MAX_REPORTED_NODES, MetainfoService, type MetainfoOptions, type MetainfoDeps } from './service.js';
export { handleMetainfo, requestCost, workCost } from './endpoint.js';
export { expirySweepInterval } from './expiry.js';
