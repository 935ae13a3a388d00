// The node's view of its pay on chain, as a pure function of its kept statements and leaves and
// what the chain says (real Merkle trees, real proofs): each period's status, the wallet's pay
// against its statements, and the cases that must not read as paid: a leaf not under the root, a
// root missing, a satellite that publishes less than its statements owe.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPayoutTree, type Address } from '../../src/chain/index.js';
import { PayoutViewer, buildSatellitePay, checkClaimShape, type ChainFacts, type KeptClaim, type KeptStatement } from '../../src/node/index.js';

const SAT = 'sat';
const ME = '0x00000000000000000000000000000000000000aa' as Address;
const OTHER = '0x00000000000000000000000000000000000000bb' as Address;
const THIRD = '0x00000000000000000000000000000000000000cc' as Address;

function statement(period: number, total: string, wallet: string = ME): KeptStatement {
  return { satelliteId: SAT, period, periodStart: period * 10, periodEnd: period * 10 + 10, wallet, total, entries: [], signed: { statement: '', signature: '' }, verified: true };
}

/** The leaf of `wallet` in a tree of `leaves`, as the satellite would give it. */
function claimOf(period: number, leaves: [Address, bigint][], wallet: Address = ME): { claim: KeptClaim; root: string } {
  const tree = buildPayoutTree(leaves.map(([w, c]) => ({ wallet: w, cumulative: c })));
  const leaf = tree.leaf(wallet)!;
  return {
    root: tree.root,
    claim: { satelliteId: SAT, period, root: tree.root, wallet, cumulative: leaf.cumulative.toString(), proof: tree.proof(wallet)!, distributor: OTHER, token: THIRD, publishTx: `0x${'ab'.repeat(32)}`, pushTxs: [] }
  };
}

function facts(roots: [number, string][], claimed: bigint, balance: bigint, decimals = 18, codeIsOurs = true): ChainFacts {
  return { distributor: OTHER, token: THIRD, decimals, roots: new Map(roots), claimed, balance, events: [], codeIsOurs };
}

// 18 decimals: a micro-token is 10^12 base units.
const SCALE = 10n ** 12n;

describe('buildSatellitePay', () => {
  it('pending, then claimed: period by period and for the wallet, owed as the statements say (a negative period counts 0)', () => {
    const statements = [statement(1, '2.000000'), statement(2, '-0.500000'), statement(3, '1.000000')];
    const owed1 = 2_000_000n * SCALE;
    const owed3 = 3_000_000n * SCALE;
    const p1 = claimOf(1, [[ME, owed1], [OTHER, 5n]]);
    const p3 = claimOf(3, [[ME, owed3], [OTHER, 9n]]);
    const claims = [p1.claim, p3.claim];
    const roots: [number, string][] = [[1, p1.root], [3, p3.root]];
    const pending = buildSatellitePay(SAT, statements, claims, facts(roots, owed1, owed1));
    expect(pending.periods.map((p) => [p.period, p.status, p.owedThrough])).toEqual([
      [1, 'claimed', String(owed1)],
      [2, 'claimed', String(owed1)],
      [3, 'pending', String(owed3)]
    ]);
    expect(pending.wallet).toMatchObject({ owed: String(owed3), published: String(owed3), paid: String(owed1), state: 'pending', balanceBelowPaid: false });
    const paid = buildSatellitePay(SAT, statements, claims, facts(roots, owed3, owed3 - 1n));
    expect(paid.periods.map((p) => p.status)).toEqual(['claimed', 'claimed', 'claimed']);
    // The wallet spent a base unit: flagged as holding less than it was paid.
    expect(paid.wallet).toMatchObject({ state: 'paid', balanceBelowPaid: true });
  });

  it('flags a leaf not under the root on chain, or a leaf with no root on chain; never as claimed', () => {
    const statements = [statement(1, '1.000000')];
    const honest = claimOf(1, [[ME, 1_000_000n * SCALE], [OTHER, 1n]]);
    const inflated = claimOf(1, [[ME, 2_000_000n * SCALE], [OTHER, 1n]]);
    // The satellite's leaf and proof are of another tree than the root on chain.
    const forged = buildSatellitePay(SAT, statements, [{ ...inflated.claim, root: honest.root }], facts([[1, honest.root]], 0n, 0n));
    expect(forged.periods[0]).toMatchObject({ status: 'flagged', leaf: { underRoot: false, rootOnChain: honest.root } });
    expect(forged.periods[0]!.message).toMatch(/not under the root on chain/);
    // A root the satellite gave but the distributor does not hold.
    const missing = buildSatellitePay(SAT, statements, [honest.claim], facts([], 0n, 0n));
    expect(missing.periods[0]).toMatchObject({ status: 'flagged', leaf: { underRoot: false, rootOnChain: null } });
    expect(missing.periods[0]!.message).toMatch(/holds no root/);
    // A flagged leaf does not count as published for the wallet.
    expect(forged.wallet).toMatchObject({ published: null, state: 'short' });
  });

  it('reads short when the latest root on chain owes less than the statements (a period not published, a minimum payout)', () => {
    const statements = [statement(1, '1.000000'), statement(2, '1.000000')];
    const p1 = claimOf(1, [[ME, 1_000_000n * SCALE]]);
    const view = buildSatellitePay(SAT, statements, [p1.claim], facts([[1, p1.root]], 1_000_000n * SCALE, 1_000_000n * SCALE));
    expect(view.periods.map((p) => p.status)).toEqual(['claimed', 'unpublished']);
    expect(view.wallet).toMatchObject({ owed: String(2_000_000n * SCALE), published: String(1_000_000n * SCALE), state: 'short' });
    expect(view.wallet!.message).toMatch(/not published yet/);
  });

  it('shows the payment of each period from the chain, periods of another wallet apart, and nothing when there is no chain', () => {
    const statements = [statement(1, '1.000000', OTHER), statement(2, '1.000000')];
    const p2 = claimOf(2, [[ME, 1_000_000n * SCALE]]);
    const f = facts([[2, p2.root]], 1_000_000n * SCALE, 1_000_000n * SCALE);
    f.events = [{ period: 2, amount: 1_000_000n * SCALE, cumulative: 1_000_000n * SCALE, tx: `0x${'cd'.repeat(32)}`, block: 7n }];
    const view = buildSatellitePay(SAT, statements, [p2.claim], f);
    expect(view.periods.map((p) => [p.status, p.payments])).toEqual([
      ['other-wallet', []],
      ['claimed', [{ tx: `0x${'cd'.repeat(32)}`, amount: String(1_000_000n * SCALE) }]]
    ]);
    // Only this wallet's statements are owed to it.
    expect(view.wallet).toMatchObject({ owed: String(1_000_000n * SCALE), state: 'paid' });
    const none = buildSatellitePay(SAT, statements, [p2.claim], undefined, { code: 'NO_CHAIN', message: 'no chain RPC set' });
    expect(none.periods.map((p) => p.status)).toEqual(['other-wallet', 'unchecked']);
    expect(none.wallet).toBeNull();
    // A token with fewer than 6 decimals cannot pay micro-tokens: nothing is claimed or owed.
    expect(buildSatellitePay(SAT, statements, [p2.claim], facts([[2, p2.root]], 0n, 0n, 2)).periods[1]!.status).toBe('unchecked');
  });
});

describe('what a satellite says and the node does not take', () => {
  it("flags the latest statement paying another wallet than the node's own, whatever that wallet was paid", () => {
    // The satellite signs its own wallet into the latest statement and pays it: the node's wallet decides.
    const statements = [statement(1, '1.000000'), statement(2, '1.000000', OTHER)];
    const p2 = claimOf(2, [[OTHER, 1_000_000n * SCALE]], OTHER);
    const paidOther = facts([[2, p2.root]], 1_000_000n * SCALE, 1_000_000n * SCALE);
    // The chain read for the node's wallet: nothing paid to it.
    const view = buildSatellitePay(SAT, statements, [p2.claim], facts([[2, p2.root]], 0n, 0n), null, { ownWallet: ME });
    expect(view.periods.map((p) => p.status)).toEqual(['unpublished', 'flagged']);
    expect(view.periods[1]!.message).toMatch(/pays 0x0+bb, this node's wallet is 0x0+aa/);
    // Without a wallet of its own the node can only take the satellite's: then it is the view's wallet.
    expect(buildSatellitePay(SAT, statements, [p2.claim], paidOther).periods.map((p) => p.status)).toEqual(['other-wallet', 'claimed']);
  });

  it('flags a period whose leaf under the root owes less than the statements, even when that much was paid', () => {
    const statements = [statement(1, '10.000000')];
    const p1 = claimOf(1, [[ME, 1n * SCALE]]);
    const view = buildSatellitePay(SAT, statements, [p1.claim], facts([[1, p1.root]], 1n * SCALE, 1n * SCALE));
    expect(view.periods[0]).toMatchObject({ status: 'flagged', leaf: { underRoot: true } });
    expect(view.periods[0]!.message).toMatch(/short/);
    expect(view.wallet).toMatchObject({ state: 'short' });
  });

  it('flags an earlier period paid to a wallet the node was never run with, not one it gave before', () => {
    const statements = [statement(1, '1.000000', OTHER), statement(2, '1.000000', ME)];
    const p2 = claimOf(2, [[ME, 1_000_000n * SCALE], [OTHER, 1_000_000n * SCALE]]);
    const view = (walletsUsed?: string[]) => buildSatellitePay(SAT, statements, [p2.claim], facts([[2, p2.root]], 1_000_000n * SCALE, 1_000_000n * SCALE), null, { ownWallet: ME, ...(walletsUsed ? { walletsUsed } : {}) });
    // Diverted: the node only ever gave ME.
    expect(view([ME]).periods.map((p) => p.status)).toEqual(['flagged', 'claimed']);
    expect(view([ME]).periods[0]!.message).toMatch(/never run with/);
    // A wallet it did give before: a change, not a diversion.
    expect(view([OTHER.toUpperCase().replace('0X', '0x'), ME]).periods.map((p) => p.status)).toEqual(['other-wallet', 'claimed']);
    // Not known (the CLI): as before, only the latest statement is held to the own wallet.
    expect(view().periods.map((p) => p.status)).toEqual(['other-wallet', 'claimed']);
  });

  it("reads a period whose root a reorganisation took as covered by a later root that owes as much, and flags it when none does", () => {
    const statements = [statement(1, '1.000000'), statement(2, '1.000000')];
    const owed1 = 1_000_000n * SCALE;
    const owed2 = 2_000_000n * SCALE;
    const p1 = claimOf(1, [[ME, owed1], [OTHER, 1n]]);
    const p2 = claimOf(2, [[ME, owed2], [OTHER, 1n]]);
    // Period 1's root is gone (only the latest was published again); period 2's owes more.
    const covered = buildSatellitePay(SAT, statements, [p1.claim, p2.claim], facts([[2, p2.root]], owed2, owed2));
    expect(covered.periods.map((p) => p.status)).toEqual(['claimed', 'claimed']);
    expect(covered.periods[0]!.message).toMatch(/no longer on chain/);
    const pending = buildSatellitePay(SAT, statements, [p1.claim, p2.claim], facts([[2, p2.root]], 0n, 0n));
    expect(pending.periods.map((p) => p.status)).toEqual(['pending', 'pending']);
    // No later root (period 2 not published either), or one that owes less: flagged.
    expect(buildSatellitePay(SAT, statements, [p1.claim, p2.claim], facts([], owed2, owed2)).periods.map((p) => p.status)).toEqual(['flagged', 'flagged']);
    const less = claimOf(2, [[ME, owed1 - 1n], [OTHER, 1n]]);
    expect(buildSatellitePay(SAT, statements, [p1.claim, less.claim], facts([[2, less.root]], owed2, owed2)).periods[0]!.status).toBe('flagged');
  });

  it("trusts nothing a distributor of other code says: every period flagged, no wallet totals, the error says why", () => {
    const statements = [statement(1, '1.000000'), statement(2, '1.000000')];
    const owed = 2_000_000n * SCALE;
    const p2 = claimOf(2, [[ME, owed], [OTHER, 1n]]);
    const ours = buildSatellitePay(SAT, statements, [p2.claim], facts([[2, p2.root]], owed, owed));
    expect([ours.distributorCode, ours.periods.map((p) => p.status), ours.wallet?.state, ours.error]).toEqual(['stowage', ['claimed', 'claimed'], 'paid', null]);
    // The same answers from a contract whose code is not ours: it could answer anything.
    const other = buildSatellitePay(SAT, statements, [p2.claim], facts([[2, p2.root]], owed, owed, 18, false));
    expect(other.distributorCode).toBe('other');
    expect(other.periods.map((p) => p.status)).toEqual(['flagged', 'flagged']);
    expect(other.periods[0]!.message).toMatch(/not Stowage's PayoutDistributor/);
    expect(other.wallet).toBeNull();
    expect(other.error).toMatchObject({ code: 'CHAIN_CONTRACT_MISMATCH' });
  });

  it('keeps the evidence: of two leaves for a period, the one not under the root flags it', () => {
    const statements = [statement(1, '1.000000')];
    const honest = claimOf(1, [[ME, 1_000_000n * SCALE], [OTHER, 1n]]);
    const inflated = claimOf(1, [[ME, 3_000_000n * SCALE], [OTHER, 1n]]);
    for (const claims of [
      [honest.claim, { ...inflated.claim, root: honest.root }],
      [{ ...inflated.claim, root: honest.root }, honest.claim]
    ]) {
      const view = buildSatellitePay(SAT, statements, claims, facts([[1, honest.root]], 1_000_000n * SCALE, 1_000_000n * SCALE));
      expect(view.periods[0]).toMatchObject({ status: 'flagged', leaf: { cumulative: String(3_000_000n * SCALE), underRoot: false } });
    }
  });

  it('refuses a leaf whose fields are not what they say before anything is kept or asked', () => {
    const good = { period: 1n, root: `0x${'11'.repeat(32)}`, wallet: ME, cumulative: '5', proof: [`0x${'22'.repeat(32)}`], distributor: OTHER, token: THIRD, publishTx: '', pushTxs: [] };
    expect(() => checkClaimShape(good)).not.toThrow();
    for (const bad of [
      { cumulative: 'abc' },
      { cumulative: '1'.repeat(79) },
      { cumulative: '-1' },
      { wallet: 'me' },
      { root: '0x12' },
      { proof: Array.from({ length: 65 }, () => `0x${'22'.repeat(32)}`) },
      { proof: ['0xzz'] },
      { pushTxs: ['nope'] }
    ]) {
      expect(() => checkClaimShape({ ...good, ...bad }), JSON.stringify(bad).slice(0, 60)).toThrow(expect.objectContaining({ code: 'PROTOCOL_MALFORMED' }));
    }
  });
});

describe('PayoutViewer', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = undefined;
  });

  it('reads the chain once at a time, answers a waiting request with the last view marked stale, and shows only the endpoint\'s origin', async () => {
    // A JSON-RPC endpoint that takes every request and never answers (a real HTTP server).
    let requests = 0;
    server = createServer(() => void requests++);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const rpc = `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/v3/PROVIDER_KEY`;
    const p1 = claimOf(1, [[ME, 1n]]);
    const source = { list: async () => [statement(1, '1.000000')], claims: async () => [p1.claim] };
    const viewer = new PayoutViewer(source, () => [SAT], { chainRpc: rpc, distributor: '', token: '', wallet: ME }, Date.now, 30_000, 300);
    const first = await viewer.view();
    expect(first).toMatchObject({ stale: true, satellites: [], readAt: null, chainRpc: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    expect(first.message).toMatch(/did not answer within 0.3 s/);
    // Asked again while the first read hangs: no second read.
    await viewer.view();
    await viewer.view();
    expect(requests).toBe(1);
    expect(JSON.stringify(first)).not.toMatch(/secret|PROVIDER_KEY/);
  }, 20_000);
});
