// Garbage collection: a Bloom filter per node of the pieces it must keep; the node trashes the rest.
export { GC_DEFAULTS, GarbageCollector, type GcConfig, type GcResult, type GcDeps } from './service.js';
