// A node's data directory is its operator's alone: created 0700 whatever the umask, also when the
// identity lives elsewhere (the identity's own directory was the only one created 0700 before).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { NODE_DEFAULTS, StorageNode } from '../../src/node/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';

afterAll(() => removeTempDirs());

it('creates its data directory 0700, with the identity kept elsewhere', async () => {
  const dataDir = join(tempDir(), 'deep', 'data');
  const identityDir = join(tempDir(), 'identity');
  const old = process.umask(0o022);
  try {
    const node = await StorageNode.start(
      { ...NODE_DEFAULTS, dataDir, identityDir, dashboard: '', listen: ['/ip4/127.0.0.1/tcp/0'], capacity: 1e6, satellites: [], checkInIntervalMs: 0 },
      { logger: pino({ level: 'silent' }) }
    );
    await node.stop();
  } finally {
    process.umask(old);
  }
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  expect(statSync(identityDir).mode & 0o777).toBe(0o700);
  // The private key itself is the operator's only (README: mode 0600), whatever the umask.
  expect(statSync(join(identityDir, 'identity.key')).mode & 0o777).toBe(0o600);
});
