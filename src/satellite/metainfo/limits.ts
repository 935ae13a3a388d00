// Per-project limits: what one API key's project may store and download, and how many times an
// upload may ask for replacement nodes. A key without limits of its own gets the satellite's
// (`projectLimits` in its config); the admin API sets a key's own (POST /api/keys/:id/limits).
// Usage is kept by the metadata store in the same writes as the segments it counts.
import { ConfigError } from '../../common/index.js';
import type { ProjectLimits } from '../apikeys/index.js';
import { MetadataError } from './errors.js';

export type { ProjectLimits };


export const PROJECT_LIMIT_DEFAULTS: ProjectLimits = {
  maxStoredBytes: 10 * 1024 ** 4,
  maxSegments: 10_000_000,
  maxEgressBytesPerMonth: 10 * 1024 ** 4,
  maxReplacementNodes: 256
};

/** What a project uses now. */
export interface ProjectUsage {
  storedBytes: number;
  segments: number;
  /** The month egress is counted for (YYYY-MM, UTC) and its bytes so far. */
  month: string;
  egressBytes: number;
}

/** The calendar month (UTC) of a time, as egress is counted. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The limits in force for a key: its own where it has them, the satellite's otherwise. */
export function effectiveLimits(defaults: ProjectLimits, own: Partial<ProjectLimits> | undefined): ProjectLimits {
  return { ...defaults, ...(own ?? {}) };
}

/** Refuses limits that are not whole non-negative numbers (config file or admin API). */
export function checkProjectLimits(limits: Partial<ProjectLimits>, where: string): Partial<ProjectLimits> {
  const known = new Set(Object.keys(PROJECT_LIMIT_DEFAULTS));
  const out: Partial<ProjectLimits> = {};
  for (const [name, value] of Object.entries(limits)) {
    if (!known.has(name)) throw new ConfigError(`${where}: unknown limit '${name}' (known: ${[...known].join(', ')})`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new ConfigError(`${where}.${name} must be a whole number of 0 or more, got ${JSON.stringify(value)}`);
    }
    out[name as keyof ProjectLimits] = value;
  }
  return out;
}

/** Throws the typed refusal when adding `bytes` and `segments` would pass the project's limits. */
export function checkStorage(usage: { storedBytes: number; segments: number }, bytes: number, segments: number, limits: ProjectLimits): void {
  if (bytes > 0 && usage.storedBytes + bytes > limits.maxStoredBytes) {
    throw new MetadataError(
      'PROJECT_STORAGE_LIMIT',
      `the project stores ${usage.storedBytes} bytes of its limit of ${limits.maxStoredBytes}: ${bytes} more do not fit (delete objects or ask the operator for more)`
    );
  }
  if (segments > 0 && usage.segments + segments > limits.maxSegments) {
    throw new MetadataError('PROJECT_SEGMENT_LIMIT', `the project holds ${usage.segments} segments of its limit of ${limits.maxSegments}`);
  }
}
