// The PostgreSQL implementations of the satellite's stores (several satellite processes may share
// one database), its versioned schema and the chore leases.
export { PostgresSatelliteDB, openPostgresSatelliteDB, type PostgresOptions } from './open.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './schema.js';
export { PgLeases, type LeaseHolder } from './leases.js';
export { DatabaseError, redactUrl } from './sql.js';
