// A hostile satellite on /stowage/payout/1.0.0: its statements are signed and valid, but the leaf
// it attaches to them (unsigned: the chain is the authority) is built to hurt the node: fields
// that are not what they say, a new leaf on every fetch, a leaf for a wallet the statement does
// not pay. The node (real LevelDB, real libp2p) refuses the malformed one whole, keeps at most
// MAX_CLAIMS_PER_PERIOD leaves a period as evidence, and never one for another wallet.
import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Earnings, MAX_CLAIMS_PER_PERIOD } from '../../src/node/earnings.js';
import { FramedStream, PROTOCOL_PAYOUT, PayoutStatementRequest, PayoutStatementResponse, createHost, ledgerEntryHash, signPayoutStatement, type PayoutClaim, type SignedPayoutStatement } from '../../src/protocol/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';

const WALLET = `0x${'ab'.repeat(20)}`;
const HASH = (b: string): string => `0x${b.repeat(32)}`;

let satelliteKey: PrivateKey;
let satelliteId: string;
let satelliteHost: Libp2p;
let nodeHost: Libp2p;
let nodeId: string;
let statement: SignedPayoutStatement;
/** The leaf the satellite attaches to its next answer. */
let nextClaim: () => PayoutClaim | undefined = () => undefined;

async function serve(stream: Stream): Promise<void> {
  const framed = new FramedStream(stream);
  await framed.expect(PayoutStatementRequest, 'request');
  await framed.write(PayoutStatementResponse, { statement, claim: nextClaim() });
  await framed.closeWrite();
}

async function freshNode(): Promise<Earnings> {
  const db = new Level<string, unknown>(join(tempDir(), 'db'), { valueEncoding: 'json' });
  await db.open();
  const address = satelliteHost.getMultiaddrs()[0]!.toString().replace(/\/p2p\/.*$/, '');
  return new Earnings(db, nodeHost, [{ peerId: satelliteId, address }], nodeId, 10_000);
}

const leaf = (over: Partial<PayoutClaim> = {}): PayoutClaim => ({
  period: 1n,
  root: HASH('11'),
  wallet: WALLET,
  cumulative: '1000',
  proof: [HASH('22')],
  distributor: `0x${'cd'.repeat(20)}`,
  token: `0x${'ef'.repeat(20)}`,
  publishTx: HASH('33'),
  pushTxs: [],
  ...over
});

beforeAll(async () => {
  satelliteKey = await generateKeyPair('Ed25519');
  satelliteId = peerIdFromPrivateKey(satelliteKey).toString();
  satelliteHost = await createHost({ privateKey: satelliteKey, listen: ['/ip4/127.0.0.1/tcp/0'] });
  await satelliteHost.handle(PROTOCOL_PAYOUT, (stream: Stream) => void serve(stream).catch(() => undefined));
  nodeHost = await createHost();
  nodeId = nodeHost.peerId.toString();
  const body = { seq: 1, period: 1, nodeId, kind: 'storage', amount: '1.000000', detail: 'period 1', time: 1000, prev: '', nodePrev: '' };
  const entry = { ...body, seq: 1n, period: 1n, time: 1000n, hash: ledgerEntryHash(body) };
  statement = await signPayoutStatement(satelliteKey, { satelliteId, nodeId, wallet: WALLET, period: 1n, periodStart: 0n, periodEnd: 1000n, entries: [entry], total: '1.000000', created: 1000n });
});

afterAll(async () => {
  await nodeHost?.stop();
  await satelliteHost?.stop();
  removeTempDirs();
});

describe('a satellite that attaches hostile leaves to valid statements', () => {
  it('has a leaf whose fields are not what they say refused whole: nothing kept, not even the statement', async () => {
    const earnings = await freshNode();
    for (const over of [{ cumulative: 'abc' }, { cumulative: '9'.repeat(200) }, { proof: Array.from({ length: 65 }, () => HASH('22')) }, { root: 'not-a-root' }, { wallet: 'x'.repeat(5000) }, { pushTxs: Array.from({ length: 1000 }, () => HASH('44')) }]) {
      nextClaim = () => leaf(over);
      await expect(earnings.fetch(satelliteId), Object.keys(over)[0]).rejects.toMatchObject({ code: 'PROTOCOL_MALFORMED' });
    }
    // A proof of 10,000 hashes does not even fit a message: refused by its size, before it is decoded.
    nextClaim = () => leaf({ proof: Array.from({ length: 10_000 }, () => HASH('22')) });
    await expect(earnings.fetch(satelliteId)).rejects.toMatchObject({ code: 'PROTOCOL_OVERSIZED' });
    expect(await earnings.list()).toEqual([]);
    expect(await earnings.claims()).toEqual([]);
  });

  it(`keeps at most ${MAX_CLAIMS_PER_PERIOD} leaves a period however many it is given, and the first ones (the evidence)`, async () => {
    const earnings = await freshNode();
    let n = 0;
    nextClaim = () => leaf({ cumulative: String(++n) });
    for (let i = 0; i < 20; i++) await earnings.fetch(satelliteId);
    expect(await earnings.list()).toHaveLength(1);
    expect((await earnings.claims()).map((c) => c.cumulative).sort()).toEqual(['1', '2', '3', '4']);
    // The same leaf again (its push transactions grown): updated in place, not one more.
    nextClaim = () => leaf({ cumulative: '1', pushTxs: [HASH('55')] });
    await earnings.fetch(satelliteId);
    const kept = await earnings.claims();
    expect(kept).toHaveLength(MAX_CLAIMS_PER_PERIOD);
    expect(kept.find((c) => c.cumulative === '1')!.pushTxs).toEqual([HASH('55')]);
  });

  it('never keeps a leaf for a wallet the kept statement does not pay', async () => {
    const earnings = await freshNode();
    nextClaim = () => leaf({ wallet: `0x${'99'.repeat(20)}` });
    await earnings.fetch(satelliteId);
    expect(await earnings.list()).toHaveLength(1);
    expect(await earnings.claims()).toEqual([]);
  });
});
