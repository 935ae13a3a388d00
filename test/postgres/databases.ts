// A fresh database of the test cluster per use (CREATE DATABASE from template0 takes ~50 ms).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The cluster's postgres:// URL (global-setup.ts starts it). */
export function clusterUrl(): string {
  return inject('postgresUrl');
}

/** Creates an empty database and returns its URL. */
export async function freshDatabase(prefix = 't'): Promise<string> {
  const url = new URL(clusterUrl());
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}
