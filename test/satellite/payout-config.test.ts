// Payout, egress and chain settings from the config file and the environment are checked as they
// load (hostile review 13 #11, review 12): a rate the file gives as a JSON number is its decimal
// text; a rate that is not an amount, a window that is not a positive number, a "push" that is a
// string, or a claim batch past a block's room stop the satellite with a ConfigError.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSatelliteConfig } from '../../src/satellite/load-config.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

afterAll(() => removeTempDirs());

function withFile(content: object): string[] {
  const file = join(tempDir(), 'satellite.json');
  writeFileSync(file, JSON.stringify(content));
  return ['--config', file];
}
const chain = { rpcUrl: 'http://127.0.0.1:8545', token: `0x${'1'.repeat(40)}`, distributor: `0x${'2'.repeat(40)}`, payerKeyFile: '/k' };

describe('payout and settlement settings', () => {
  it('has the documented defaults, takes the file, and the environment over the file', () => {
    const d = loadSatelliteConfig([], {});
    expect(d.payout).toMatchObject({ egressRate: '2', repairEgressRate: '2', minimumPayout: '0' });
    expect(d.settlementWindowMs).toBe(48 * 3_600_000);
    expect(d.settlementsPerSecond).toBe(1);
    const file = withFile({ payout: { egressRate: 3, repairEgressRate: '0.5', minimumPayout: '10' }, settlementWindowMs: 3_600_000, settlementsPerSecond: 4 });
    expect(loadSatelliteConfig(file, {}).payout).toMatchObject({ egressRate: '3', repairEgressRate: '0.5', minimumPayout: '10' });
    const env = { STOWAGE_SATELLITE_EGRESS_RATE: '7', STOWAGE_SATELLITE_REPAIR_EGRESS_RATE: '8', STOWAGE_SATELLITE_MINIMUM_PAYOUT: '9', STOWAGE_SATELLITE_SETTLEMENT_WINDOW_MS: '60000', STOWAGE_SATELLITE_SETTLEMENTS_PER_SECOND: '2' };
    const both = loadSatelliteConfig(file, env);
    expect(both.payout).toMatchObject({ egressRate: '7', repairEgressRate: '8', minimumPayout: '9' });
    expect([both.settlementWindowMs, both.settlementsPerSecond]).toEqual([60_000, 2]);
  });

  it.each([
    [{ payout: { egressRate: 'two' } }, /payout.egressRate must be a token amount/],
    [{ payout: { minimumPayout: '1.0000001' } }, /payout.minimumPayout must be a token amount with at most 6 decimals/],
    [{ payout: { storageRate: '-1' } }, /payout.storageRate must not be negative/],
    [{ payout: { auditRate: null } }, /payout.auditRate must be a token amount/],
    [{ payout: { heldBack: 'yes' } }, /payout.heldBack must be true or false/],
    [{ settlementWindowMs: 'a day' }, /settlementWindowMs must be a non-negative number/],
    [{ settlementWindowMs: 0 }, /settlementWindowMs must be more than 0/],
    [{ settlementsPerSecond: -1 }, /settlementsPerSecond must be a non-negative number/],
    [{ chain: { ...chain, push: 'false' } }, /chain.push must be true or false/],
    [{ chain: { ...chain, claimBatchSize: 501 } }, /claimBatchSize must be an integer from 1 to 500/],
    [{ chain: { ...chain, retryMs: 'soon' } }, /chain.retryMs must be a non-negative number/]
  ])('refuses %j', (content, message) => {
    expect(() => loadSatelliteConfig(withFile(content), {})).toThrow(message);
  });

  it('refuses a bad amount in the environment by its name', () => {
    expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_EGRESS_RATE: '1e3' })).toThrow(/STOWAGE_SATELLITE_EGRESS_RATE must be a token amount/);
    expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_SETTLEMENT_WINDOW_MS: '-5' })).toThrow(/STOWAGE_SATELLITE_SETTLEMENT_WINDOW_MS must be a non-negative number/);
  });
});
