// The clock-skew boundary the README promises (clockSkewMs, 60 s by default): an order limit is
// taken up to exactly skew after its expiration and from exactly skew before its creation, and
// refused one millisecond past either (ORDER_EXPIRED, ORDER_FROM_THE_FUTURE); a serial is burned
// once (ORDER_REPLAYED). On the node's real OrderChecker and LevelDB, with the test's clock.
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OrderChecker } from '../../src/node/orders.js';
import { PieceAction } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';
import { TestSatellite } from './fixtures/network.js';

const NODE = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA';
const SKEW = 60_000;
let satellite: TestSatellite;
let db: Level<string, unknown>;
let clock = 0;
let checker: OrderChecker;

beforeAll(async () => {
  satellite = await TestSatellite.create();
  db = new Level<string, unknown>(join(tempDir(), 'orders'), { valueEncoding: 'json' });
  await db.open();
  checker = new OrderChecker({ nodeId: NODE, trustedSatellites: new Set([satellite.id]), clockSkewMs: SKEW, now: () => clock, db });
});

afterAll(async () => {
  await db.close();
  await satellite.stop();
  removeTempDirs();
});

const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'no code'
  );

it('takes an order up to exactly the skew past its expiration and before its creation, not a millisecond more', async () => {
  const created = 1_000_000_000;
  const expires = created + 3_600_000;
  const order = () => satellite.order(NODE, PieceAction.GET, new Uint8Array(32), { orderCreation: BigInt(created), orderExpiration: BigInt(expires) });
  const at = async (t: number): Promise<string> => {
    clock = t;
    return outcome(checker.check(await order(), [PieceAction.GET]));
  };
  expect(await at(created - SKEW - 1)).toBe('ORDER_FROM_THE_FUTURE');
  expect(await at(created - SKEW)).toBe('ok');
  expect(await at(expires + SKEW)).toBe('ok');
  expect(await at(expires + SKEW + 1)).toBe('ORDER_EXPIRED');
  // One serial, once.
  clock = created;
  const once = await order();
  expect(await outcome(checker.check(once, [PieceAction.GET]))).toBe('ok');
  expect(await outcome(checker.check(once, [PieceAction.GET]))).toBe('ORDER_REPLAYED');
});
