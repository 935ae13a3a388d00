// The CLI against a PostgreSQL satellite database: `satellite api-key create --database URL` with no
// satellite answering writes the key there; a bad --database is a one-line config error.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openPostgresSatelliteDB } from '../../src/satellite/index.js';
import { tempDir } from '../node/fixtures/dirs.js';
import { freshDatabase } from './databases.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');
const run = promisify(execFile);

describe('the satellite CLI on PostgreSQL', () => {
  it('api-key create writes to --database when no satellite answers', async () => {
    const url = await freshDatabase('cli');
    // Port 9 (discard) on loopback: nothing answers there.
    const { stdout } = await run(process.execPath, [cli, 'satellite', 'api-key', 'create', '--name', 'ops', '--database', url, '--admin', '127.0.0.1:9', '--data-dir', tempDir()]);
    const key = stdout.trim();
    expect(key).toMatch(/^stk_/);
    const db = await openPostgresSatelliteDB(url, { now: Date.now, pendingTtlMs: 60_000, uptime: { windowMs: 1000, periodMs: 10_000 } });
    try {
      expect(await db.apiKeys.verify(key)).toMatchObject({ name: 'ops', revokedAt: null });
    } finally {
      await db.close();
    }
  });

  it('refuses a --database that is not a postgres:// URL, and names an unreachable one without its password', async () => {
    const bad = (await run(process.execPath, [cli, 'satellite', 'run', '--data-dir', tempDir(), '--database', 'mysql://x'], { timeout: 20_000 }).catch((e: { code: number; stderr: string }) => e)) as { code?: number; stderr: string };
    expect(bad.code).toBe(2);
    expect((bad as { stderr: string }).stderr).toMatch(/postgres:\/\/ URL/);
    expect((bad as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
    const down = (await run(process.execPath, [cli, 'satellite', 'run', '--data-dir', tempDir(), '--database', 'postgres://me:hunter2@127.0.0.1:9/x', '--listen', '/ip4/127.0.0.1/tcp/0', '--admin', ''], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e)) as { code?: number; stderr: string };
    expect(down.code).toBe(1);
    const err = (down as { stderr: string }).stderr;
    expect(err).toMatch(/cannot open the satellite database at postgres:\/\/me:\*\*\*@127\.0\.0\.1:9\/x/);
    expect(err).not.toMatch(/hunter2/);
  });
});
