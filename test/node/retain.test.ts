// Garbage collection on a node whose clock is off: the filter's time is on the satellite's clock,
// and a piece uploaded after the filter was made must survive it even when the node's clock is
// behind by more than the skew allowance (it used to be trashed: seen through the node's clock,
// it looked older than the filter).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { retainPieces } from '../../src/node/retain.js';
import { PieceStore } from '../../src/node/pieces/index.js';
import { BloomFilter, PieceAction, SignedOrderLimit } from '../../src/protocol/index.js';
import { TestSatellite } from './fixtures/network.js';
import { pieceBytes, pieceId } from './fixtures/pieces.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SKEW_MS = 10_000;

async function storeWithClock(offsetMs: number): Promise<{ store: PieceStore; satellite: TestSatellite }> {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-retain-'));
  dirs.push(dir);
  const satellite = await TestSatellite.create();
  const store = await PieceStore.open({ dir, capacity: 1 << 30, now: () => Date.now() + offsetMs });
  return { store, satellite };
}

async function putAt(store: PieceStore, satellite: TestSatellite, seed: number, orderCreation: number | null): Promise<string> {
  const id = pieceId(seed);
  const order = orderCreation === null ? undefined : SignedOrderLimit.encode(await satellite.order('node', PieceAction.PUT, Buffer.from(id, 'hex'), { orderCreation: BigInt(orderCreation) }));
  const bytes = pieceBytes(seed);
  await store.put(id, [bytes], { satelliteId: satellite.id, maxSize: bytes.length, ...(order ? { orderLimit: order } : {}) });
  return id;
}

async function ids(store: PieceStore, satelliteId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const r of store.list(satelliteId)) out.push(r.pieceId);
  return out.sort();
}

describe('retain on a node with a skewed clock', () => {
  for (const offset of [-40_000, -5_000, 0, 40_000]) {
    it(`keeps pieces ordered after the filter and trashes older ones (node clock ${offset / 1000} s)`, async () => {
      const { store, satellite } = await storeWithClock(offset);
      try {
        const filterTime = Date.now();
        // Ordered (satellite's clock) after the filter was made: not in it, must stay.
        const fresh = await putAt(store, satellite, 1, filterTime + 2_000);
        // Ordered long before the filter and not in it: garbage on every clock within reason.
        const stale = await putAt(store, satellite, 2, filterTime - 10 * 60_000);
        // In the filter: stays whatever its age.
        const listed = await putAt(store, satellite, 3, filterTime - 10 * 60_000);
        const filter = BloomFilter.forCount(1, 0.0001, new Uint8Array(16));
        filter.add(Buffer.from(listed, 'hex'));
        // The node stored all three just now by its own clock (filterTime + offset).
        const { trashed } = await retainPieces(store, satellite.id, filter, filterTime, { skewMs: SKEW_MS }, Date.now() + offset);
        const left = await ids(store, satellite.id);
        expect(left).toContain(fresh);
        expect(left).toContain(listed);
        if (offset < -SKEW_MS) {
          // Stored before the cutoff on the node's clock too: collected.
          expect(left).not.toContain(stale);
          expect(trashed).toBe(1);
        } else {
          // To the node it looks fresh: kept one filter longer (never a live piece lost).
          expect(trashed).toBe(0);
        }
      } finally {
        await store.close();
      }
    });
  }

  it('falls back to the node clock for a piece stored without an order limit', async () => {
    const { store, satellite } = await storeWithClock(-60_000);
    try {
      const old = await putAt(store, satellite, 4, null);
      const filter = BloomFilter.forCount(1, 0.0001, new Uint8Array(16));
      const { trashed } = await retainPieces(store, satellite.id, filter, Date.now(), { skewMs: SKEW_MS }, Date.now());
      expect(trashed).toBe(1);
      expect(await ids(store, satellite.id)).not.toContain(old);
    } finally {
      await store.close();
    }
  });
});
