// A peer cycling through payout statements (/stowage/payout/1.0.0): each request of an old
// published period can make the satellite rebuild its Merkle tree (seconds for 10,000 leaves), so
// requests are charged per node id and per address: a backfill's burst (200) passes, the rest get
// RATE_LIMITED at once, and another node on the same address is still answered (an address gets
// 20 a second, burst 1000: nodes behind one NAT share it).
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_PAYOUT, createHost, requestPayoutStatement } from '../../src/protocol/index.js';
import type { Satellite } from '../../src/satellite/index.js';
import { startSatellite, satelliteAddress } from '../satellite/fixtures.js';
import { removeTempDirs } from '../node/fixtures/dirs.js';

let satellite: Satellite;
beforeAll(async () => {
  satellite = await startSatellite({});
});
afterAll(async () => {
  await satellite?.stop();
  removeTempDirs();
});

describe('a peer flooding payout statement requests', () => {
  it('is answered for a burst of 200, then refused with RATE_LIMITED; another node id is charged apart', async () => {
    const flooder = await createHost();
    const target = multiaddr(`${satelliteAddress(satellite)}/p2p/${satellite.id}`);
    const ask = async (host: typeof flooder): Promise<string> => {
      const stream = await host.dialProtocol(target, PROTOCOL_PAYOUT);
      return requestPayoutStatement(stream, 1).then(
        () => 'statement',
        (err: { code?: string }) => err.code ?? 'none'
      );
    };
    try {
      const started = Date.now();
      const codes: string[] = [];
      for (let i = 0; i < 260; i++) codes.push(await ask(flooder));
      const elapsedS = (Date.now() - started) / 1000;
      const answered = codes.filter((c) => c === 'PERIOD_NOT_FOUND').length;
      const limited = codes.filter((c) => c === 'RATE_LIMITED').length;
      expect(answered + limited).toBe(260);
      // The burst, plus what 2 a second refilled meanwhile.
      expect(answered).toBeGreaterThanOrEqual(200);
      expect(answered).toBeLessThanOrEqual(200 + Math.ceil(2 * elapsedS) + 1);
      expect(limited).toBeGreaterThan(0);
      // Another node id on the same address (a NAT, a devnet) is still answered.
      const neighbour = await createHost();
      try {
        expect(await ask(neighbour)).toBe('PERIOD_NOT_FOUND');
      } finally {
        await neighbour.stop();
      }
    } finally {
      await flooder.stop();
    }
  }, 60_000);
});
