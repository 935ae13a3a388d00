// A hostile satellite pays its nodes through a "distributor" of its own making: PayoutDistributor's
// exact runtime code, put in place by creation code that first wrote the storage it likes (the
// node's leaf root for period 1, and `claimed[wallet]` as if the node had been paid). A reader that
// checks only the code would show the node paid in full; no token moved. The node's view (the
// dashboard's and `node earnings`') and `node claim`'s check must see through it: every period
// flagged, no wallet totals, CHAIN_CONTRACT_MISMATCH, nothing claimed. Real anvil, real contracts.
import { encodeAbiParameters, keccak256, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPayoutTree, deployPayoutContracts, startAnvil, type Address, type Anvil } from '../../src/chain/index.js';
import { PayoutChain } from '../../src/chain/index.js';
import { jsonRpc, receiptOf } from '../chain/json-rpc.js';
import { buildSatellitePay, checkClaimOnChain, readChainFacts, type KeptClaim, type KeptStatement } from '../../src/node/index.js';

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
}, 30_000);
afterAll(async () => {
  await anvil?.stop();
});

const rpc = (method: string, params: unknown[] = []): Promise<unknown> => jsonRpc(anvil.rpcUrl, method, params);

/** Creation code that SSTOREs each (slot, value), then returns `runtime` as the contract's code. */
function forgingCreationCode(writes: [Hex, bigint][], runtime: Hex): Hex {
  const hex = (n: bigint | number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');
  let prefix = writes.map(([slot, value]) => `7f${hex(value, 32)}7f${slot.slice(2)}55`).join('');
  const size = (runtime.length - 2) / 2;
  // PUSH2 size, PUSH2 offset, PUSH1 0, CODECOPY; PUSH2 size, PUSH1 0, RETURN.
  const tail = (offset: number): string => `61${hex(size, 2)}61${hex(offset, 2)}600039` + `61${hex(size, 2)}6000f3`;
  prefix += tail(prefix.length / 2 + 15);
  return `0x${prefix}${runtime.slice(2)}`;
}

const mapSlot = (key: Hex, keyType: 'address' | 'uint256', slot: bigint): Hex =>
  keccak256(encodeAbiParameters([{ type: keyType }, { type: 'uint256' }], [keyType === 'address' ? key : BigInt(key), slot] as never));

describe('a satellite that pays through a forged distributor', () => {
  it("is flagged by the node's view and refused by its claim check, though the code and every answer look right", async () => {
    const honest = await deployPayoutContracts(anvil.rpcUrl, anvil.accounts[0]!.privateKey, { mint: [] });
    const runtime = (await rpc('eth_getCode', [honest.distributor, 'latest'])) as Hex;
    const wallet = anvil.accounts[8]!.address.toLowerCase() as Address;
    const owed = 5_000_000n;
    const tree = buildPayoutTree([{ wallet, cumulative: owed }, { wallet: anvil.accounts[9]!.address, cumulative: 1n }]);
    // Storage layout of PayoutDistributor: 0 owner, 1 lastPeriod, 2 roots, 3 funded, 4 claimed.
    const code = forgingCreationCode(
      [
        [mapSlot(`0x${'1'.padStart(64, '0')}`, 'uint256', 2n), BigInt(tree.root)],
        [`0x${'1'.padStart(64, '0')}`, 1n],
        [mapSlot(wallet, 'address', 4n), owed]
      ],
      runtime
    );
    const hash = (await rpc('eth_sendTransaction', [{ from: anvil.accounts[0]!.address, data: code, gas: '0x1000000' }])) as string;
    const forged = ((await receiptOf(anvil.rpcUrl, hash)) as { contractAddress: Address }).contractAddress;
    // The forgery holds: same code, the root and a payment that never happened.
    expect(await rpc('eth_getCode', [forged, 'latest'])).toBe(runtime);
    const reader = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: honest.token, distributor: forged });
    expect(await reader.root(1)).toBe(tree.root);
    expect(await reader.claimed(wallet)).toBe(owed);
    expect(await reader.balanceOf(wallet)).toBe(0n);

    // What the satellite gives the node: a signed statement owing 5 tokens and the leaf under that root.
    const statement: KeptStatement = { satelliteId: 'sat', period: 1, periodStart: 0, periodEnd: 10, wallet, total: '5.000000', entries: [], signed: { statement: '', signature: '' }, verified: true };
    const claim: KeptClaim = { satelliteId: 'sat', period: 1, root: tree.root, wallet, cumulative: owed.toString(), proof: tree.proof(wallet)!, distributor: forged, token: honest.token, publishTx: '', pushTxs: [] };
    const facts = await readChainFacts(anvil.rpcUrl, wallet, [claim], { distributor: '', token: '' });
    expect(facts?.codeIsOurs).toBe(false);
    const view = buildSatellitePay('sat', [statement], [claim], facts, null, { ownWallet: wallet });
    expect(view.distributorCode).toBe('other');
    expect(view.periods.map((p) => p.status)).toEqual(['flagged']);
    expect(view.wallet).toBeNull();
    expect(view.error).toMatchObject({ code: 'CHAIN_CONTRACT_MISMATCH' });
    // `node claim` checks the same before it sends anything.
    const check = await checkClaimOnChain({ ...claim, period: 1n, proof: claim.proof }, anvil.rpcUrl);
    expect(check.codeIsOurs).toBe(false);

    // The honest distributor, for contrast, is ours.
    expect((await PayoutChain.connectToDistributor(anvil.rpcUrl, honest.distributor)).codeIsOurs).toBe(true);
  }, 60_000);
});
