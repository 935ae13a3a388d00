// Garbage collection: a Bloom filter per node of the pieces it must keep; the node trashes the rest.
export { GC_DEFAULTS, type GcConfig } from './config.js';
export { GarbageCollector, type GcDeps } from './service.js';
export { type GcResult } from './sender.js';
export { type GcFilters, type NodeFilter } from './filters.js';
