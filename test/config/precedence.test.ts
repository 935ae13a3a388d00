// The README promises every setting comes from a flag, else the environment, else the config
// file, else the default written down: checked here key by key for both programs, with the file
// named by --config and by the environment, and a bad value in any one refused with a message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNodeConfig, NODE_DEFAULTS } from '../../src/node/index.js';
import { loadSatelliteConfig, SATELLITE_DEFAULTS } from '../../src/satellite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'stowage-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAT = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('node settings: flag > environment > file > default', () => {
  const cfg = file('node.json', { dataDir: '/from/file', wallet: '0xfile', capacity: '3GB', satellites: [{ peerId: SAT, address: '/ip4/127.0.0.1/tcp/1' }] });
  const sat = ['--satellite', `${SAT}@/ip4/127.0.0.1/tcp/2`];

  it('a flag beats the environment and the file', () => {
    const c = loadNodeConfig(['--config', cfg, ...sat, '--data-dir', '/from/flag', '--wallet', '0xflag', '--capacity', '1GB'], {
      STOWAGE_NODE_DATA_DIR: '/from/env',
      STOWAGE_NODE_WALLET: '0xenv',
      STOWAGE_NODE_CAPACITY: '2GB'
    });
    expect([c.dataDir, c.wallet, c.capacity]).toEqual(['/from/flag', '0xflag', 1e9]);
    expect(c.satellites).toEqual([{ peerId: SAT, address: '/ip4/127.0.0.1/tcp/2' }]);
  });

  it('the environment beats the file', () => {
    const c = loadNodeConfig(['--config', cfg], { STOWAGE_NODE_DATA_DIR: '/from/env', STOWAGE_NODE_WALLET: '0xenv', STOWAGE_NODE_CAPACITY: '2GB' });
    expect([c.dataDir, c.wallet, c.capacity]).toEqual(['/from/env', '0xenv', 2e9]);
  });

  it('the file beats the default, found by --config or STOWAGE_NODE_CONFIG', () => {
    for (const c of [loadNodeConfig(['--config', cfg], {}), loadNodeConfig([], { STOWAGE_NODE_CONFIG: cfg })]) {
      expect([c.dataDir, c.wallet, c.capacity]).toEqual(['/from/file', '0xfile', 3e9]);
      expect(c.satellites).toEqual([{ peerId: SAT, address: '/ip4/127.0.0.1/tcp/1' }]);
    }
  });

  it('the default when nothing sets it', () => {
    const c = loadNodeConfig(sat, {});
    expect([c.dataDir, c.wallet, c.capacity, c.maxConcurrentUploads]).toEqual([NODE_DEFAULTS.dataDir, NODE_DEFAULTS.wallet, NODE_DEFAULTS.capacity, NODE_DEFAULTS.maxConcurrentUploads]);
  });

  it('a bad value is refused with a message, wherever it came from', () => {
    expect(() => loadNodeConfig([...sat, '--capacity', 'lots'], {})).toThrow(/capacity/);
    expect(() => loadNodeConfig(sat, { STOWAGE_NODE_CAPACITY: 'lots' })).toThrow(/capacity/);
    expect(() => loadNodeConfig(['--config', file('bad-node.json', { capacity: 'lots' }), ...sat], {})).toThrow(/capacity/);
    expect(() => loadNodeConfig(['--config', join(dir, 'missing.json'), ...sat], {})).toThrow();
  });
});

describe('satellite settings: flag > environment > file > default', () => {
  const cfg = file('sat.json', { dataDir: '/from/file', admin: '127.0.0.1:1', dialTimeoutMs: 111, allowPrivateAddresses: false });

  it('a flag beats the environment and the file', () => {
    const c = loadSatelliteConfig(['--config', cfg, '--data-dir', '/from/flag', '--admin', '127.0.0.1:3', '--allow-private-addresses', 'true'], {
      STOWAGE_SATELLITE_DATA_DIR: '/from/env',
      STOWAGE_SATELLITE_ADMIN: '127.0.0.1:2',
      STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES: 'auto'
    });
    expect([c.dataDir, c.admin, c.allowPrivateAddresses]).toEqual(['/from/flag', '127.0.0.1:3', true]);
  });

  it('the environment beats the file', () => {
    const c = loadSatelliteConfig(['--config', cfg], { STOWAGE_SATELLITE_DATA_DIR: '/from/env', STOWAGE_SATELLITE_ADMIN: '127.0.0.1:2', STOWAGE_SATELLITE_DIAL_TIMEOUT_MS: '222', STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES: 'auto' });
    expect([c.dataDir, c.admin, c.dialTimeoutMs, c.allowPrivateAddresses]).toEqual(['/from/env', '127.0.0.1:2', 222, 'auto']);
  });

  it('the file beats the default, found by --config or STOWAGE_SATELLITE_CONFIG', () => {
    for (const c of [loadSatelliteConfig(['--config', cfg], {}), loadSatelliteConfig([], { STOWAGE_SATELLITE_CONFIG: cfg })]) {
      expect([c.dataDir, c.admin, c.dialTimeoutMs, c.allowPrivateAddresses]).toEqual(['/from/file', '127.0.0.1:1', 111, false]);
    }
  });

  it('the default when nothing sets it', () => {
    const c = loadSatelliteConfig([], {});
    expect([c.dataDir, c.admin, c.dialTimeoutMs, c.allowPrivateAddresses]).toEqual([SATELLITE_DEFAULTS.dataDir, SATELLITE_DEFAULTS.admin, SATELLITE_DEFAULTS.dialTimeoutMs, 'auto']);
  });

  it('a bad value is refused with a message, wherever it came from', () => {
    expect(() => loadSatelliteConfig(['--allow-private-addresses', 'maybe'], {})).toThrow(/allowPrivateAddresses|allow-private-addresses/);
    expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_DIAL_TIMEOUT_MS: 'soon' })).toThrow(/STOWAGE_SATELLITE_DIAL_TIMEOUT_MS/);
    expect(() => loadSatelliteConfig(['--config', file('bad-sat.json', { allowPrivateAddresses: 'maybe' })], {})).toThrow(/allowPrivateAddresses/);
  });
});
