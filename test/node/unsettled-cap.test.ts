// The node's unsettled bandwidth orders are capped per satellite (review 13 #7): past the cap a new
// serial is not kept (and counted), a kept one still rises, other satellites are not affected, the
// count survives a reopen (counted from LevelDB) and frees up as orders are settled.
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { UnsettledOrders } from '../../src/node/unsettled.js';
import type { OrderLimit } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from './fixtures/dirs.js';

afterAll(() => removeTempDirs());

const signedLimit = { limit: new Uint8Array([1, 2]), signature: new Uint8Array([3]) };
const order = { order: new Uint8Array([4, 5]), signature: new Uint8Array([6]) };
/** The fields of a limit the store keys by: satellite, creation time, serial. */
const limitOf = (satelliteId: string, i: number): OrderLimit => ({ satelliteId, orderCreation: BigInt(1000 + i), serialNumber: new Uint8Array([i]) }) as unknown as OrderLimit;

describe('UnsettledOrders cap', () => {
  it('keeps at most the cap of serials per satellite, raises kept ones past it, and counts again from disk', async () => {
    const path = join(tempDir(), 'db');
    let db = new Level<string, unknown>(path, { valueEncoding: 'json' });
    await db.open();
    let orders = new UnsettledOrders(db, 3);
    const kept: boolean[] = [];
    for (let i = 0; i < 5; i++) kept.push(await orders.keep(signedLimit, limitOf('A', i), order, 100n));
    expect(kept).toEqual([true, true, true, false, false]);
    expect(orders.refused).toBe(2);
    // A kept serial still rises; another satellite has a cap of its own.
    expect(await orders.keep(signedLimit, limitOf('A', 0), order, 500n)).toBe(true);
    expect(await orders.keep(signedLimit, limitOf('B', 0), order, 100n)).toBe(true);
    expect((await orders.of('A', 10)).map((o) => [o.serial, o.amount])).toEqual([
      ['00', '500'],
      ['01', '100'],
      ['02', '100']
    ]);
    // Reopened: counted from LevelDB, still full.
    await db.close();
    db = new Level<string, unknown>(path, { valueEncoding: 'json' });
    await db.open();
    orders = new UnsettledOrders(db, 3);
    expect(await orders.keep(signedLimit, limitOf('A', 7), order, 100n)).toBe(false);
    // Settled (forgotten): room again.
    await orders.forget((await orders.of('A', 1)).map((o) => o));
    expect(await orders.keep(signedLimit, limitOf('A', 7), order, 100n)).toBe(true);
    expect(await orders.keep(signedLimit, limitOf('A', 8), order, 100n)).toBe(false);
    expect((await orders.totals()).orders).toBe(4);
    await db.close();
  });
});
