// The store contract on the LevelDB backend (each run on a fresh directory; reopen closes and
// opens the same directory again).
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openLevelSatelliteDB } from '../../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../../node/fixtures/dirs.js';
import { describeSatelliteDB } from './contract.js';

const paths = new WeakMap<object, string>();

describeSatelliteDB('LevelDB', async (options, reopen) => {
  let path = reopen ? paths.get(reopen) : undefined;
  if (reopen) await reopen.close();
  path ??= join(tempDir(), 'db');
  const db = await openLevelSatelliteDB(path, options);
  paths.set(db, path);
  return db;
});

afterAll(() => removeTempDirs());
