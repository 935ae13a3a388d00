// The registry's settings (issue 19): defaults, the config file, and the environment over the file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SATELLITE_DEFAULTS } from '../../src/satellite/index.js';
import { loadSatelliteConfig } from '../../src/satellite/load-config.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

afterAll(() => removeTempDirs());

const KEYS = {
  dialTimeoutMs: 'STOWAGE_SATELLITE_DIAL_TIMEOUT_MS',
  checkInIntervalMs: 'STOWAGE_SATELLITE_CHECK_IN_INTERVAL_MS',
  uptimeCheckIntervalMs: 'STOWAGE_SATELLITE_UPTIME_CHECK_INTERVAL_MS',
  uptimeConcurrency: 'STOWAGE_SATELLITE_UPTIME_CONCURRENCY',
  uptimeWindowMs: 'STOWAGE_SATELLITE_UPTIME_WINDOW_MS',
  uptimePeriodMs: 'STOWAGE_SATELLITE_UPTIME_PERIOD_MS',
  minIdentityDifficulty: 'STOWAGE_SATELLITE_MIN_IDENTITY_DIFFICULTY',
  checkInsPerSecond: 'STOWAGE_SATELLITE_CHECK_INS_PER_SECOND',
  checkInBurst: 'STOWAGE_SATELLITE_CHECK_IN_BURST',
  maxConcurrentDialBacks: 'STOWAGE_SATELLITE_MAX_CONCURRENT_DIAL_BACKS',
  metainfoRequestsPerSecond: 'STOWAGE_SATELLITE_METAINFO_REQUESTS_PER_SECOND',
  metainfoBurst: 'STOWAGE_SATELLITE_METAINFO_BURST',
  selectionCacheMs: 'STOWAGE_SATELLITE_SELECTION_CACHE_MS',
  nodeStatsCacheMs: 'STOWAGE_SATELLITE_NODE_STATS_CACHE_MS',
  pruneUnreachedAfterMs: 'STOWAGE_SATELLITE_PRUNE_UNREACHED_AFTER_MS'
} as const;

it('has the documented defaults', () => {
  expect(SATELLITE_DEFAULTS).toMatchObject({
    minIdentityDifficulty: 0,
    checkInsPerSecond: 20,
    checkInBurst: 200,
    maxConcurrentDialBacks: 32,
    metainfoRequestsPerSecond: 200,
    metainfoBurst: 2000,
    selectionCacheMs: 60_000,
    nodeStatsCacheMs: 60_000,
    uptimeConcurrency: 32,
    dialTimeoutMs: 10_000,
    pruneUnreachedAfterMs: 7 * 24 * 60 * 60 * 1000,
    allowPrivateAddresses: 'auto'
  });
});

it('takes every registry setting from the file, and from the environment over the file', () => {
  const file = join(tempDir(), 'satellite.json');
  const fromFile = Object.fromEntries(Object.keys(KEYS).map((k, i) => [k, 100 + i]));
  writeFileSync(file, JSON.stringify(fromFile));
  expect(loadSatelliteConfig(['--config', file], {})).toMatchObject(fromFile);
  const env = Object.fromEntries(Object.values(KEYS).map((name, i) => [name, String(7 + i)]));
  const fromEnv = Object.fromEntries(Object.keys(KEYS).map((k, i) => [k, 7 + i]));
  expect(loadSatelliteConfig(['--config', file], env)).toMatchObject(fromEnv);
  expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_CHECK_IN_BURST: 'lots' })).toThrow(/STOWAGE_SATELLITE_CHECK_IN_BURST/);
});
