// The satellite's stores: the SatelliteDB interface (db.ts) and its LevelDB backend (leveldb/).
export { type SatelliteDB, type SatelliteDBOptions } from './db.js';
export { openLevelSatelliteDB } from './leveldb/index.js';
