// Opens the satellite's stores where its configuration says: the embedded LevelDB in the data
// directory (database ''), or PostgreSQL (a postgres:// URL).
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { SatelliteDB, SatelliteDBOptions } from './db.js';
import { openLevelSatelliteDB } from './leveldb/index.js';
import { openPostgresSatelliteDB } from './postgres/index.js';

export async function openSatelliteDB(where: { dataDir: string; database: string }, options: SatelliteDBOptions): Promise<SatelliteDB> {
  if (where.database !== '') return openPostgresSatelliteDB(where.database, options);
  const path = join(where.dataDir, 'db');
  const db = await openLevelSatelliteDB(path, options);
  // The operator's alone, as the data directory is.
  await chmod(path, 0o700);
  return db;
}
