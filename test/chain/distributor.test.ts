// The payout contracts on a real local chain (anvil from npm, a process per test file) through the
// viem client the satellite and nodes use: periods published in order with their funding, claims
// pushed in batches, each wallet paid its cumulative amount exactly once whatever is retried, a
// node's own claim, and every refusal named: forged proofs, double claims, a stranger publishing,
// a period out of order, a payer without tokens, a chain that went away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, defineChain, encodeAbiParameters, http, keccak256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { generatePrivateKey } from 'viem/accounts';
import { MAX_FEE_BUMPS, PayoutChain, buildPayoutTree, deployPayoutContracts, startAnvil, verifyPayoutLeaf, type Address, type Anvil, type PayoutLeaf, type SentTransaction } from '../../src/chain/index.js';

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { jsonRpc, receiptOf } from './json-rpc.js';
import { FeeOnTransferToken, NoReturnToken } from './test-artifacts.js';

let anvil: Anvil;

beforeAll(async () => {
  anvil = await startAnvil();
}, 30_000);

afterAll(async () => {
  await anvil?.stop();
});

/** Fresh contracts: the devnet token with `minted` for the payer (account 0, also the owner). */
async function deployed(minted = 1_000_000_000n): Promise<{ payer: PayoutChain; token: Address; distributor: Address }> {
  const payerKey = anvil.accounts[0]!.privateKey;
  const { token, distributor } = await deployPayoutContracts(anvil.rpcUrl, payerKey, { mint: minted > 0n ? [{ to: anvil.accounts[0]!.address, amount: minted }] : [] });
  const payer = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: payerKey });
  return { payer, token, distributor };
}

/** Wallets that hold nothing yet (fresh keys: no test sees another's balances). */
const wallets = (n: number): Address[] => Array.from({ length: n }, () => privateKeyToAccount(generatePrivateKey()).address);

describe('the payout tree', () => {
  it('proves every leaf, and nothing else, under its root; one leaf per wallet; the same root for any order', () => {
    const [a, b, c] = wallets(3) as [Address, Address, Address];
    const tree = buildPayoutTree([
      { wallet: a, cumulative: 100n },
      { wallet: b, cumulative: 7n },
      { wallet: a.toLowerCase() as Address, cumulative: 5n },
      { wallet: c, cumulative: 0n }
    ]);
    expect(tree.leaves).toHaveLength(3);
    expect(tree.leaf(a)).toEqual({ wallet: a, cumulative: 105n });
    expect(tree.total).toBe(112n);
    for (const leaf of tree.leaves) expect(verifyPayoutLeaf(tree.root, leaf, tree.proof(leaf.wallet)!)).toBe(true);
    expect(verifyPayoutLeaf(tree.root, { wallet: a, cumulative: 106n }, tree.proof(a)!)).toBe(false);
    expect(verifyPayoutLeaf(tree.root, { wallet: b, cumulative: 105n }, tree.proof(a)!)).toBe(false);
    expect(verifyPayoutLeaf(tree.root, { wallet: a, cumulative: 105n }, tree.proof(b)!)).toBe(false);
    expect(tree.proof(wallets(1)[0]!)).toBeUndefined();
    const shuffled = buildPayoutTree([...tree.leaves].reverse());
    expect(shuffled.root).toBe(tree.root);
    expect(() => buildPayoutTree([])).toThrow(expect.objectContaining({ code: 'CHAIN_CONFIG_INVALID' }) as Error);
    expect(() => buildPayoutTree([{ wallet: '0xnope', cumulative: 1n }])).toThrow(expect.objectContaining({ code: 'CHAIN_CONFIG_INVALID' }) as Error);
  });
});

describe('the payout tree, built as OpenZeppelin builds it', () => {
  it("has StandardMerkleTree's root and proofs, byte for byte, for any number of leaves and amounts up to 2^256 - 1", () => {
    // A seeded generator: the same cases every run, many shapes (odd and even counts, one leaf).
    let seed = 0x5eed;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const amount = (): bigint => [0n, 1n, 2n ** 256n - 1n, BigInt(Math.floor(next() * 1e15)), BigInt(Math.floor(next() * 1e9)) * 10n ** 12n][Math.floor(next() * 5)]!;
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 100, 257]) {
      const leaves = wallets(n).map((wallet): PayoutLeaf => ({ wallet, cumulative: amount() }));
      const ours = buildPayoutTree(leaves);
      const theirs = StandardMerkleTree.of(
        leaves.map((l) => [l.wallet, l.cumulative.toString()]),
        ['address', 'uint256']
      );
      expect([n, ours.root]).toEqual([n, theirs.root]);
      for (const [i, [wallet]] of theirs.entries()) expect([n, wallet, ours.proof(wallet as Address)]).toEqual([n, wallet, theirs.getProof(i)]);
    }
    expect(() => buildPayoutTree([{ wallet: wallets(1)[0]!, cumulative: 2n ** 256n }])).toThrow(expect.objectContaining({ code: 'CHAIN_CONFIG_INVALID' }) as Error);
  });
});

describe('the distributor on anvil', () => {
  it('pays each wallet its cumulative amount over three periods, pushed in batches, never twice', async () => {
    const { payer, distributor } = await deployed();
    const w = wallets(5);
    const history: bigint[][] = [
      [100n, 50n, 0n, 0n, 0n],
      [150n, 50n, 10n, 3n, 0n],
      [400n, 60n, 10n, 3n, 999n]
    ];
    for (const [i, amounts] of history.entries()) {
      const period = i + 1;
      const tree = buildPayoutTree(amounts.map((cumulative, j): PayoutLeaf => ({ wallet: w[j]!, cumulative })));
      await payer.publish(period, tree);
      expect(await payer.state()).toEqual({ lastPeriod: period, funded: tree.total });
      expect(await payer.root(period)).toBe(tree.root);
      // Batches of 2: every wallet with something new is paid, in ceil(due / 2) transactions.
      const due = amounts.filter((a, j) => a > (i === 0 ? 0n : history[i - 1]![j]!)).length;
      const pushed = await payer.pushClaims(period, tree, 2);
      expect(pushed.wallets).toBe(due);
      expect(pushed.transactions).toHaveLength(Math.ceil(due / 2));
      for (const [j, wallet] of w.entries()) {
        expect(await payer.balanceOf(wallet)).toBe(amounts[j]);
        expect(await payer.claimed(wallet)).toBe(amounts[j]);
      }
      // Everything funded was paid out.
      expect(await payer.balanceOf(distributor)).toBe(0n);
      // A retried push finds nothing due and sends nothing.
      expect(await payer.pushClaims(period, tree, 2)).toEqual({ transactions: [], wallets: 0 });
    }
    expect(await payer.root(4)).toBeUndefined();
  }, 60_000);

  it("lets a node claim its own leaf with its own key, once; a claim under an older root pays nothing more", async () => {
    const { payer, token, distributor } = await deployed();
    const node = anvil.accounts[7]!;
    const [other] = wallets(1) as [Address];
    const first = buildPayoutTree([{ wallet: node.address, cumulative: 30n }, { wallet: other, cumulative: 1n }]);
    await payer.publish(1, first);
    const second = buildPayoutTree([{ wallet: node.address, cumulative: 80n }, { wallet: other, cumulative: 1n }]);
    await payer.publish(2, second);
    const self = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: node.privateKey });
    // Under the older root first: pays what that root owed.
    await self.claim(1, first.leaf(node.address)!, first.proof(node.address)!);
    expect(await self.balanceOf(node.address)).toBe(30n);
    await self.claim(2, second.leaf(node.address)!, second.proof(node.address)!);
    expect(await self.balanceOf(node.address)).toBe(80n);
    // Again, under either root: refused, nothing paid.
    await expect(self.claim(2, second.leaf(node.address)!, second.proof(node.address)!)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'NothingToClaim' });
    await expect(self.claim(1, first.leaf(node.address)!, first.proof(node.address)!)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'NothingToClaim' });
    expect(await self.balanceOf(node.address)).toBe(80n);
    // Anyone may submit a claim; it pays the leaf's wallet, not the sender.
    await self.claim(2, second.leaf(other)!, second.proof(other)!);
    expect(await self.balanceOf(other)).toBe(1n);
    expect(await self.balanceOf(node.address)).toBe(80n);
  }, 60_000);

  it('refuses forged proofs, alone or inside a batch, and pays no one of that batch', async () => {
    const { payer } = await deployed();
    const [a, b] = wallets(2) as [Address, Address];
    const tree = buildPayoutTree([{ wallet: a, cumulative: 10n }, { wallet: b, cumulative: 20n }]);
    await payer.publish(1, tree);
    const forged = [
      { leaf: { wallet: a, cumulative: 11n }, proof: tree.proof(a)! },
      { leaf: { wallet: a, cumulative: 20n }, proof: tree.proof(b)! },
      { leaf: { wallet: b, cumulative: 20n }, proof: [] },
      { leaf: { wallet: b, cumulative: 20n }, proof: tree.proof(b)!.map(() => `0x${'11'.repeat(32)}` as const) }
    ];
    for (const f of forged) await expect(payer.claim(1, f.leaf, f.proof)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'InvalidProof' });
    // A push whose tree is not the published one: its first proof fails, the batch reverts whole.
    const other = buildPayoutTree([{ wallet: a, cumulative: 10n }, { wallet: b, cumulative: 25n }]);
    await expect(payer.pushClaims(1, other)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'InvalidProof' });
    // An unpublished period has no root to prove against.
    await expect(payer.claim(2, tree.leaf(a)!, tree.proof(a)!)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'UnknownPeriod' });
    expect(await payer.balanceOf(a)).toBe(0n);
    expect(await payer.balanceOf(b)).toBe(0n);
  }, 60_000);

  it('skips a wallet the token refuses to pay (the zero address) in a push, paying the rest of the batch', async () => {
    const { payer, distributor } = await deployed();
    const [a, b] = wallets(2) as [Address, Address];
    const zero: Address = `0x${'0'.repeat(40)}`;
    const tree = buildPayoutTree([{ wallet: a, cumulative: 10n }, { wallet: zero, cumulative: 5n }, { wallet: b, cumulative: 20n }]);
    await payer.publish(1, tree);
    const pushed = await payer.pushClaims(1, tree, 10);
    expect(pushed.transactions).toHaveLength(1);
    expect(await payer.balanceOf(a)).toBe(10n);
    expect(await payer.balanceOf(b)).toBe(20n);
    // Not marked paid: its 5 stay in the distributor.
    expect(await payer.claimed(zero)).toBe(0n);
    expect(await payer.balanceOf(distributor)).toBe(5n);
    // A single claim for it still reverts (the token's error named).
    await expect(payer.claim(1, tree.leaf(zero)!, tree.proof(zero)!)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'ERC20InvalidReceiver' });
  }, 60_000);

  it('lets only the owner publish, in increasing periods, never lowering the total', async () => {
    const { payer, token, distributor } = await deployed();
    const [a] = wallets(1) as [Address];
    const stranger = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: anvil.accounts[3]!.privateKey });
    const tree = buildPayoutTree([{ wallet: a, cumulative: 10n }]);
    await expect(stranger.publish(1, { root: tree.root, total: 0n })).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'OwnableUnauthorizedAccount' });
    await payer.publish(3, tree);
    await expect(payer.publish(3, tree)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'PeriodNotAfterLast' });
    await expect(payer.publish(2, tree)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'PeriodNotAfterLast' });
    const lower = buildPayoutTree([{ wallet: a, cumulative: 9n }]);
    await expect(payer.publish(4, lower)).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'TotalDecreased' });
    expect(await payer.state()).toEqual({ lastPeriod: 3, funded: 10n });
  }, 60_000);

  it('says a payer without the tokens cannot publish, and publishes nothing', async () => {
    const { payer, distributor } = await deployed(5n);
    const [a] = wallets(1) as [Address];
    const tree = buildPayoutTree([{ wallet: a, cumulative: 6n }]);
    await expect(payer.publish(1, tree)).rejects.toMatchObject({ code: 'CHAIN_INSUFFICIENT_FUNDS', reason: 'ERC20InsufficientBalance' });
    expect(await payer.state()).toEqual({ lastPeriod: 0, funded: 0n });
    expect(await payer.balanceOf(distributor)).toBe(0n);
    // Reads need no key; sending does.
    const readOnly = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: payer.token, distributor });
    expect(await readOnly.state()).toEqual({ lastPeriod: 0, funded: 0n });
    await expect(readOnly.claim(1, tree.leaf(a)!, tree.proof(a)!)).rejects.toMatchObject({ code: 'CHAIN_CONFIG_INVALID' });
  }, 60_000);
});

/** One JSON-RPC call to the test's anvil. */
const rpcCall = (method: string, params: unknown[] = []): Promise<unknown> => jsonRpc(anvil.rpcUrl, method, params);

/** Deploys one of the test tokens (test-artifacts.ts) with the payer's key and mints `minted` to the payer. */
async function testToken(which: typeof NoReturnToken | typeof FeeOnTransferToken, minted: bigint): Promise<{ token: Address; approve: (spender: Address, amount: bigint) => Promise<void> }> {
  const account = privateKeyToAccount(anvil.accounts[0]!.privateKey);
  const chain = defineChain({ id: anvil.chainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
  const wallet = createWalletClient({ chain, transport: http(anvil.rpcUrl), account });
  const client = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
  const receipt = await client.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: which.abi, bytecode: which.bytecode }) });
  const token = receipt.contractAddress!;
  await client.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: which.abi as typeof NoReturnToken.abi, functionName: 'mint', args: [account.address, minted] }) });
  const approve = async (spender: Address, amount: bigint): Promise<void> => {
    await client.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: NoReturnToken.abi, functionName: 'approve', args: [spender, amount] }) });
  };
  return { token, approve };
}

describe('tokens as some ERC-20s are', () => {
  it('pays in a token whose transfer and approve return nothing (USDT-style), resetting an allowance to 0 before changing it', async () => {
    const { token, approve } = await testToken(NoReturnToken, 1_000_000n);
    const payerKey = anvil.accounts[0]!.privateKey;
    const { distributor } = await deployPayoutContracts(anvil.rpcUrl, payerKey, { token });
    const payer = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: payerKey });
    const [a, b] = wallets(2) as [Address, Address];
    // A small allowance left over: this token refuses to change it to another non-zero one.
    await approve(distributor, 2n);
    await expect(approve(distributor, 5n)).rejects.toThrow(/set the allowance to 0 first/);
    const first = buildPayoutTree([{ wallet: a, cumulative: 3n }]);
    await payer.publish(1, first);
    const second = buildPayoutTree([{ wallet: a, cumulative: 100n }, { wallet: b, cumulative: 50n }]);
    await payer.publish(2, second);
    expect((await payer.pushClaims(2, second)).wallets).toBe(2);
    expect([await payer.balanceOf(a), await payer.balanceOf(b), await payer.balanceOf(distributor)]).toEqual([100n, 50n, 0n]);
    expect(await payer.balanceOf(anvil.accounts[0]!.address)).toBe(1_000_000n - 150n);
  }, 60_000);

  it('refuses to be funded by a token that takes a fee on transfer (FundingShort), and publishes nothing', async () => {
    const { token } = await testToken(FeeOnTransferToken, 1_000_000n);
    const payerKey = anvil.accounts[0]!.privateKey;
    const { distributor } = await deployPayoutContracts(anvil.rpcUrl, payerKey, { token });
    const payer = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: payerKey });
    const [a] = wallets(1) as [Address];
    await expect(payer.publish(1, buildPayoutTree([{ wallet: a, cumulative: 1000n }]))).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'FundingShort' });
    expect(await payer.state()).toEqual({ lastPeriod: 0, funded: 0n });
    expect(await payer.balanceOf(distributor)).toBe(0n);
  }, 60_000);
});

describe("the distributor's code and first block", () => {
  it('knows its own code whatever the token, owner, salt and block it was deployed with, and no other', async () => {
    const one = await deployed();
    const two = await deployed();
    const other = await deployPayoutContracts(anvil.rpcUrl, anvil.accounts[2]!.privateKey, { token: two.token, owner: anvil.accounts[5]!.address });
    for (const [distributor, token] of [[one.distributor, one.token], [two.distributor, two.token], [other.distributor, two.token]] as const) {
      const { chain, codeIsOurs } = await PayoutChain.connectToDistributor(anvil.rpcUrl, distributor);
      expect([distributor, codeIsOurs, chain.token.toLowerCase()]).toEqual([distributor, true, token.toLowerCase()]);
    }
    // The token's code is not a distributor's; nor is an account with no code.
    const notOurs = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: one.token, distributor: one.token });
    expect(await notOurs.distributorIsOurs()).toBe(false);
    const empty = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: one.token, distributor: wallets(1)[0]! });
    expect(await empty.distributorIsOurs()).toBe(false);
    // A pinned token the distributor does not pay.
    await expect(PayoutChain.connectToDistributor(anvil.rpcUrl, one.distributor, { token: two.token })).rejects.toMatchObject({ code: 'CHAIN_CONTRACT_MISMATCH' });
  }, 60_000);

  it("is not fooled by our runtime code put in place by other creation code that wrote `claimed` first", async () => {
    const honest = await deployed();
    const [victim] = wallets(1) as [Address];
    // Creation code: SSTORE claimed[victim] (slot keccak(victim, 4)) = 10^18, then return the
    // honest distributor's runtime code (its immutables and all) as this contract's code.
    const runtime = (await rpcCall('eth_getCode', [honest.distributor, 'latest'])) as string;
    const slot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [victim, 4n])).slice(2);
    const size = ((runtime.length - 2) / 2).toString(16).padStart(4, '0');
    const prefix = `7f${(10n ** 18n).toString(16).padStart(64, '0')}7f${slot}55` + `61${size}6051600039` + `61${size}6000f3`;
    expect(prefix.length / 2).toBe(0x51);
    const hash = (await rpcCall('eth_sendTransaction', [{ from: anvil.accounts[0]!.address, data: `0x${prefix}${runtime.slice(2)}`, gas: '0x1000000' }])) as string;
    const receipt = (await receiptOf(anvil.rpcUrl, hash)) as { contractAddress: Address; status: string };
    expect(receipt.status).toBe('0x1');
    const forged = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: honest.token, distributor: receipt.contractAddress });
    // The forgery works on a reader that trusts the code: the victim reads as paid a token.
    expect(await forged.claimed(victim)).toBe(10n ** 18n);
    expect((await rpcCall('eth_getCode', [receipt.contractAddress, 'latest'])) as string).toBe(runtime);
    // Not on this one: its address is not what our creation code gives.
    expect(await forged.distributorIsOurs()).toBe(false);
    expect((await PayoutChain.connectToDistributor(anvil.rpcUrl, receipt.contractAddress)).codeIsOurs).toBe(false);
  }, 60_000);

  it('reads payments from the block the distributor was deployed in', async () => {
    const before = BigInt((await (await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }) })).json() as { result: string }).result);
    const { payer } = await deployed();
    const deployedAt = await payer.deployedAt();
    expect(deployedAt).toBeGreaterThan(before);
    const [a] = wallets(1) as [Address];
    const tree = buildPayoutTree([{ wallet: a, cumulative: 7n }]);
    await payer.publish(1, tree);
    await payer.pushClaims(1, tree);
    const events = await payer.claimEvents(a);
    expect(events.map((e) => [e.period, e.amount])).toEqual([[1, 7n]]);
    expect(events[0]!.block).toBeGreaterThan(deployedAt);
    // The question asked starts at deployedAt (seen on the wire: logs are filtered by the
    // distributor's address, so the answer alone could not tell it from block 0).
    const asked: unknown[] = [];
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const call = JSON.parse(body) as { method: string; params: { fromBlock?: string }[] };
        if (call.method === 'eth_getLogs') asked.push(call.params[0]!.fromBlock);
        void fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (a) => res.writeHead(a.status, { 'content-type': 'application/json' }).end(await a.text()));
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const via = await PayoutChain.connect({ rpcUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: payer.token, distributor: payer.distributor });
      expect((await via.claimEvents(a)).map((e) => e.tx)).toEqual(events.map((e) => e.tx));
      expect(asked).toEqual([`0x${deployedAt.toString(16)}`]);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
    // From the block after the payment: none (a later payment's block is after it, so one exists).
    await payer.publish(2, buildPayoutTree([{ wallet: a, cumulative: 9n }]));
    expect((await payer.claimEvents(a, events[0]!.block + 1n)).map((e) => e.period)).toEqual([]);
  }, 60_000);
});

describe('a chain that goes away', () => {
  it('is CHAIN_UNREACHABLE to connect to and to read, and answers again once back on its port', async () => {
    const own = await startAnvil({ stateFile: undefined });
    try {
      const { token, distributor } = await deployPayoutContracts(own.rpcUrl, own.accounts[0]!.privateKey);
      const chain = await PayoutChain.connect({ rpcUrl: own.rpcUrl, token, distributor, privateKey: own.accounts[0]!.privateKey, requestTimeoutMs: 2000 });
      expect((await chain.state()).lastPeriod).toBe(0);
      await own.kill();
      await expect(chain.state()).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
      await expect(PayoutChain.connect({ rpcUrl: own.rpcUrl, token, distributor })).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
      const port = Number(new URL(own.rpcUrl).port);
      const again = await startAnvil({ port });
      try {
        // A fresh chain on the same port: the endpoint answers (the contracts are gone with the state).
        const { token: t2, distributor: d2 } = await deployPayoutContracts(again.rpcUrl, again.accounts[0]!.privateKey);
        const back = await PayoutChain.connect({ rpcUrl: again.rpcUrl, token: t2, distributor: d2 });
        expect(await back.state()).toEqual({ lastPeriod: 0, funded: 0n });
      } finally {
        await again.stop();
      }
    } finally {
      await own.kill();
    }
  }, 60_000);
});

describe('a transaction that is not mined', () => {
  /** One JSON-RPC call to the test's anvil (its mining controls). */
  const rpc = rpcCall;
  const fee = (t: SentTransaction): bigint => ('maxFeePerGas' in t.fees ? t.fees.maxFeePerGas : t.fees.gasPrice);

  /** A published period paying one fresh wallet 500, and a claimer (account 7) that records what it sends. */
  async function setup(options: { bumpAfterMs: number; confirmTimeoutMs?: number; confirmations?: number }): Promise<{ payer: PayoutChain; claimer: PayoutChain; sent: SentTransaction[]; wallet: Address; proof: `0x${string}`[] }> {
    const { payer, token, distributor } = await deployed();
    const [wallet] = wallets(1) as [Address];
    const tree = buildPayoutTree([{ wallet, cumulative: 500n }]);
    await payer.publish(1, tree);
    const sent: SentTransaction[] = [];
    const claimer = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: anvil.accounts[7]!.privateKey, ...options, onTransaction: (t) => sent.push(t) });
    return { payer, claimer, sent, wallet, proof: tree.proof(wallet)! };
  }

  it('is sent again with the same nonce and a bumped fee when the pool drops it, and mined once', async () => {
    const { payer, claimer, sent, wallet, proof } = await setup({ bumpAfterMs: 1000 });
    await rpc('evm_setAutomine', [false]);
    try {
      const claiming = claimer.claim(1, { wallet, cumulative: 500n }, proof);
      await expect.poll(() => sent.length).toBe(1);
      await rpc('anvil_dropTransaction', [sent[0]!.hash]);
      // Not mined within a second: sent again, dearer, with the same nonce.
      await expect.poll(() => sent.length, { timeout: 5000 }).toBe(2);
      await rpc('evm_mine');
      expect(await claiming).toBe(sent[1]!.hash);
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    expect(sent.map((t) => [t.attempt, t.nonce])).toEqual([
      [0, sent[0]!.nonce],
      [1, sent[0]!.nonce]
    ]);
    expect(fee(sent[1]!)).toBeGreaterThan((fee(sent[0]!) * 110n) / 100n);
    expect(await payer.claimed(wallet)).toBe(500n);
    expect((await payer.claimEvents(wallet)).map((e) => e.tx)).toEqual([sent[1]!.hash]);
  });

  it('replaces one stuck in the pool: only the replacement is mined, the wallet paid once', async () => {
    const { payer, claimer, sent, wallet, proof } = await setup({ bumpAfterMs: 800 });
    await rpc('evm_setAutomine', [false]);
    try {
      const claiming = claimer.claim(1, { wallet, cumulative: 500n }, proof);
      await expect.poll(() => sent.length, { timeout: 5000 }).toBe(2);
      await rpc('evm_mine');
      expect(await claiming).toBe(sent[1]!.hash);
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    // The first never mined: the replacement took its nonce.
    expect(await rpc('eth_getTransactionReceipt', [sent[0]!.hash])).toBeNull();
    expect((await payer.claimEvents(wallet)).map((e) => e.tx)).toEqual([sent[1]!.hash]);
    expect(await payer.balanceOf(wallet)).toBe(500n);
  });

  it('gives up with CHAIN_TX_FAILED after its bumps, naming what it sent; mined later, it pays once', async () => {
    const { payer, claimer, sent, wallet, proof } = await setup({ bumpAfterMs: 300, confirmTimeoutMs: 1500 });
    await rpc('evm_setAutomine', [false]);
    try {
      const err = await claimer.claim(1, { wallet, cumulative: 500n }, proof).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CHAIN_TX_FAILED' });
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(sent.length).toBeLessThanOrEqual(MAX_FEE_BUMPS + 1);
      expect((err as Error).message).toContain(sent.at(-1)!.hash);
      // One nonce for all of them: whichever is mined, the claim happens once.
      expect(new Set(sent.map((t) => t.nonce)).size).toBe(1);
      await rpc('evm_mine');
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    const events = await payer.claimEvents(wallet);
    expect(events).toHaveLength(1);
    expect(sent.map((t) => t.hash)).toContain(events[0]!.tx);
    expect(await payer.balanceOf(wallet)).toBe(500n);
  });

  it('counts a transaction done only under `confirmations` blocks; one a reorganisation takes out is sent again and pays once', async () => {
    const { payer, claimer, sent, wallet, proof } = await setup({ bumpAfterMs: 1000, confirmTimeoutMs: 30_000, confirmations: 3 });
    const snapshot = await rpc('evm_snapshot');
    let settled = false;
    const claiming = claimer.claim(1, { wallet, cumulative: 500n }, proof).finally(() => (settled = true));
    claiming.catch(() => undefined);
    // Mined at once (automine) but not done: no block on top of it yet.
    await expect.poll(() => payer.claimed(wallet)).toBe(500n);
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    // The reorganisation: the chain goes back to before the claim, then grows again.
    await rpc('evm_revert', [snapshot]);
    expect(await payer.claimed(wallet)).toBe(0n);
    const miner = setInterval(() => void rpc('evm_mine').catch(() => undefined), 200);
    let hash: string;
    try {
      hash = await claiming;
    } finally {
      clearInterval(miner);
    }
    expect(sent.filter((t) => t.reorged === true)).toHaveLength(1);
    expect(new Set(sent.map((t) => t.nonce)).size).toBe(1);
    const receipt = (await rpc('eth_getTransactionReceipt', [hash])) as { blockNumber: string };
    expect(BigInt((await rpc('eth_blockNumber')) as string) - BigInt(receipt.blockNumber)).toBeGreaterThanOrEqual(2n);
    // Paid once, by the transaction the client answered with.
    expect(await payer.balanceOf(wallet)).toBe(500n);
    expect((await payer.claimEvents(wallet)).map((e) => e.tx)).toEqual([hash]);
  }, 60_000);

  it("finds a root published before a crash and waits until it is as deep as a fresh send's", async () => {
    const { payer, token, distributor } = await deployed();
    const tree = buildPayoutTree([{ wallet: wallets(1)[0]!, cumulative: 5n }]);
    await payer.publish(1, tree);
    const careful = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, confirmations: 3 });
    let settled = false;
    const confirming = careful.rootConfirmed(1, tree.root).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 600));
    expect(settled).toBe(false);
    await rpc('evm_mine');
    await rpc('evm_mine');
    await confirming;
    // Nothing published for period 2: not waited for, refused (no root to confirm).
    await expect(careful.rootConfirmed(2, tree.root)).rejects.toMatchObject({ code: 'CHAIN_TX_FAILED', message: expect.stringMatching(/left the chain/) as string });
    // With one confirmation (the default) the receipt is final: no wait, no read.
    await payer.rootConfirmed(2, tree.root);
  });

  it('fails CHAIN_TX_FAILED when the chain makes no block while a transaction waits for its confirmations', async () => {
    const { payer, claimer, wallet, proof } = await setup({ bumpAfterMs: 1000, confirmTimeoutMs: 1500, confirmations: 2 });
    const err = await claimer.claim(1, { wallet, cumulative: 500n }, proof).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CHAIN_TX_FAILED' });
    expect((err as Error).message).toMatch(/made no block for 1500 ms .* 2 confirmations/);
    // Mined all the same (a caller retrying finds it paid: claim reverts NothingToClaim).
    expect(await payer.claimed(wallet)).toBe(500n);
  });

  it('refuses a confirmations count below 1', async () => {
    await expect(PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: `0x${'11'.repeat(20)}`, distributor: `0x${'22'.repeat(20)}`, confirmations: 0 })).rejects.toMatchObject({ code: 'CHAIN_CONFIG_INVALID' });
  });
});
