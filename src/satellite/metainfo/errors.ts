// The metainfo part's errors: a code per refusal (OBJECT_NOT_FOUND, BUCKET_INVALID, ...).
import { StowageError } from '../../common/index.js';

export class MetadataError extends StowageError {}
