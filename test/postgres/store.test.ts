// The store contract on the PostgreSQL backend: each test on a fresh database; reopen closes the
// pool and opens the same database again.
import { openPostgresSatelliteDB } from '../../src/satellite/index.js';
import { describeSatelliteDB } from '../satellite/store/contract.js';
import { freshDatabase } from './databases.js';

const urls = new WeakMap<object, string>();

describeSatelliteDB('PostgreSQL', async (options, reopen) => {
  let url = reopen ? urls.get(reopen) : undefined;
  if (reopen) await reopen.close();
  url ??= await freshDatabase();
  const db = await openPostgresSatelliteDB(url, options);
  urls.set(db, url);
  return db;
});
