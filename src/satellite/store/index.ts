// The satellite's stores: the SatelliteDB interface (db.ts), its LevelDB backend (leveldb/, the
// embedded default) and its PostgreSQL backend (postgres/), opened by open.ts from the config.
export { type LeaseStore, type SatelliteDB, type SatelliteDBOptions } from './db.js';
export { openLevelSatelliteDB } from './leveldb/index.js';
export { PostgresSatelliteDB, openPostgresSatelliteDB, DatabaseError, redactUrl, SCHEMA_VERSION, migrate } from './postgres/index.js';
export { openSatelliteDB } from './open.js';
export { migrateLevelToPostgres, MigrationError, type MigrationSummary, type LedgerCheck } from './migrate.js';
