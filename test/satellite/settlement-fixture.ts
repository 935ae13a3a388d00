// A settlement world for tests: a satellite key and OrderIssuer, a node id, a real LevelDB
// settlement store and an injectable clock; limits with their per-request keys, and signed
// settlement items. Used by test/satellite/settlement.test.ts and test/adversarial/settlement.test.ts.
import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Level } from 'level';
import { afterEach } from 'vitest';
import { OrderLimit, PieceAction, signBandwidthOrder, type SettlementItem, type SignedOrderLimit } from '../../src/protocol/index.js';
import { LevelSettlementDB, OrderIssuer, type SettlementOptions } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

export const HOUR = 3_600_000;
const dbs: Level<string, unknown>[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  removeTempDirs();
});

export interface SettlementWorld {
  satelliteKey: PrivateKey;
  satelliteId: string;
  nodeId: string;
  issuer: OrderIssuer;
  store: LevelSettlementDB;
  options: SettlementOptions;
  clock: { now: number };
  /** A GET (or other) limit for the node and the per-request key that signs its orders. */
  limit(action?: PieceAction, byteLimit?: number): Promise<{ signed: SignedOrderLimit; key: PrivateKey; limit: OrderLimit }>;
  /** A settlement item for `amount` bytes under `signed`, signed with `key`. */
  item(signed: SignedOrderLimit, key: PrivateKey, amount: number, serial?: Uint8Array): Promise<SettlementItem>;
}

export async function settlementWorld(): Promise<SettlementWorld> {
  const satelliteKey = await generateKeyPair('Ed25519');
  const satelliteId = peerIdFromPrivateKey(satelliteKey).toString();
  const nodeId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
  const clock = { now: 1_800_000_000_000 };
  const issuer = new OrderIssuer({ key: satelliteKey, satelliteId, now: () => clock.now, orderTtlMs: HOUR });
  const db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await db.open();
  dbs.push(db);
  const store = new LevelSettlementDB(db, () => clock.now);
  const options: SettlementOptions = { satelliteId, store, now: () => clock.now, settlementWindowMs: 48 * HOUR, skewMs: 30_000 };
  return {
    satelliteKey,
    satelliteId,
    nodeId,
    issuer,
    store,
    options,
    clock,
    async limit(action = PieceAction.GET, byteLimit = 1 << 20) {
      const key = await generateKeyPair('Ed25519');
      const [signed] = await issuer.issue(action, new Uint8Array(32).fill(9), [{ nodeId, number: 0 }], byteLimit, null, key.publicKey.raw);
      return { signed: signed!, key, limit: OrderLimit.decode(signed!.limit) };
    },
    async item(signed, key, amount, serial) {
      const limit = OrderLimit.decode(signed.limit);
      const order = await signBandwidthOrder(key, { serialNumber: new Uint8Array(serial ?? limit.serialNumber), amount: BigInt(amount) });
      return { limit: signed.limit, limitSignature: signed.signature, order: order.order, orderSignature: order.signature };
    }
  };
}

