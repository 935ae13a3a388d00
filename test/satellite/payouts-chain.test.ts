// Payouts on a real chain (anvil from npm, the real contracts): the satellite publishes each
// closed period's root and pushes every node's claim; on-chain balances equal what the ledger
// credited each node (the sum of its statements), a node without a usable wallet is owed until it
// gives one, a retried publication pays no one twice, and a chain that is down at close leaves
// the period closed in the ledger, in the backlog, and published once the chain is back.
import { chmodSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFunctionData, toFunctionSelector } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PayoutChain, StowageToken, buildPayoutTree, deployPayoutContracts, readPrivateKeyFile, startAnvil, writePrivateKeyFile, type Address, type Anvil } from '../../src/chain/index.js';
import { fetchClaim, type StorageNode } from '../../src/node/index.js';
import { CHAIN_PAYOUT_DEFAULTS, buildPublication, loadSatelliteConfig, parseTokens, type Satellite } from '../../src/satellite/index.js';
import { removeTempDirs, tempDir } from '../node/fixtures/dirs.js';
import { jsonRpc } from '../chain/json-rpc.js';
import { adminFetch } from './admin-fetch.js';
import { connectClient, satelliteAddress, startNodes, startSatellite } from './fixtures.js';
import type { NodeConfig, PayoutView, SatellitePay } from '../../src/node/index.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'main.js');
/** Runs the built CLI; resolves with its exit code and output whatever the code. */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
}, 30_000);
afterAll(async () => {
  await anvil?.stop();
  removeTempDirs();
});

interface Network {
  satellite: Satellite;
  nodes: StorageNode[];
  configs: NodeConfig[];
  wallets: (Address | undefined)[];
  reader: PayoutChain;
  advance: (ms: number) => void;
}
let running: Network | undefined;
afterEach(async () => {
  const n = running;
  running = undefined;
  if (n === undefined) return;
  await Promise.all(n.nodes.map((x) => x.stop()));
  await n.satellite.stop();
});

/**
 * Fresh contracts on `chain`, a satellite paying through them (payer: anvil account 0, its key in
 * a 0600 file) on its own clock, three nodes with fresh wallets (the third's `wallet` is not an
 * EVM address when `badThirdWallet`), and one object uploaded.
 */
async function network(
  chain: Anvil,
  options: { badThirdWallet?: boolean; claimBatchSize?: number; push?: boolean; distributorOwner?: Address; node?: (i: number, contracts: { token: Address; distributor: Address }) => Partial<NodeConfig> } = {}
): Promise<Network> {
  const payerKeyFile = join(tempDir(), 'payer.key');
  const payer = writePrivateKeyFile(payerKeyFile, chain.accounts[0]!.privateKey);
  const { token, distributor } = await deployPayoutContracts(chain.rpcUrl, payer.privateKey, { mint: [{ to: payer.address, amount: 10n ** 15n }], ...(options.distributorOwner ? { owner: options.distributorOwner } : {}) });
  let offset = 0;
  const satellite = await startSatellite(
    {
      profile: { minimum: 2, repair: 2, success: 3, total: 3 },
      payout: { egressRate: '0', repairEgressRate: '0', minimumPayout: '0', periodMs: 0, storageRate: '1000000000', auditRate: '0', heldBack: false },
      chain: { rpcUrl: chain.rpcUrl, token, distributor, payerKeyFile, claimBatchSize: options.claimBatchSize ?? CHAIN_PAYOUT_DEFAULTS.claimBatchSize, retryMs: 0, push: options.push ?? true, confirmations: 1 }
    },
    { now: () => Date.now() + offset }
  );
  const wallets: (Address | undefined)[] = [0, 1, 2].map((i) => (i === 2 && options.badThirdWallet === true ? undefined : privateKeyToAccount(generatePrivateKey()).address));
  const net: Network = { satellite, nodes: [], configs: [], wallets, reader: await PayoutChain.connect({ rpcUrl: chain.rpcUrl, token, distributor }), advance: (ms) => void (offset += ms) };
  running = net;
  ({ nodes: net.nodes, configs: net.configs } = await startNodes(satellite, 3, (i) => ({ wallet: wallets[i] ?? 'not-an-address', ...options.node?.(i, { token, distributor }) })));
  const client = await connectClient(satellite, { segmentSize: 256 * 1024 });
  await client.createBucket('paid');
  await client.upload('paid', 'a', new Uint8Array(512 * 1024).fill(7));
  await client.close();
  return net;
}

/** Each node's ledger balance (its statements' totals summed), in micro-tokens. */
async function ledgerBalances(net: Network): Promise<bigint[]> {
  const balances = await net.satellite.payouts.ledger.balances();
  return net.nodes.map((n) => parseTokens(balances[n.peerId] ?? '0'));
}

describe('payouts on chain', () => {
  it('publishes each closed period and pays every wallet exactly what the ledger credited its node', async () => {
    const net = await network(anvil, { claimBatchSize: 2 });
    for (let period = 1; period <= 3; period++) {
      net.advance(60 * 60 * 1000);
      const { record } = await net.satellite.payouts.close();
      expect(record.period).toBe(period);
      const done = await net.satellite.publishPayouts();
      expect(done.map((p) => [p.period, p.state])).toEqual([[period, 'pushed']]);
      expect(done[0]!.publishTx).toMatch(/^0x[0-9a-f]{64}$/);
      const owed = await ledgerBalances(net);
      expect(owed.every((o) => o > 0n)).toBe(true);
      for (const [i, wallet] of net.wallets.entries()) expect([i, await net.reader.balanceOf(wallet!)]).toEqual([i, owed[i]]);
      expect(await net.reader.state()).toEqual({ lastPeriod: period, funded: owed.reduce((a, b) => a + b, 0n) });
      // Nothing left in the distributor: everything funded was pushed.
      expect(await net.reader.balanceOf(net.reader.distributor)).toBe(0n);
    }
    // A publication run with nothing new does nothing; the admin API shows the three, pushed.
    expect(await net.satellite.publishPayouts()).toEqual([]);
    const chain = (await (await adminFetch(net.satellite, '/api/payouts/chain')).json()) as { mode: string; backlog: number[]; publications: { period: number; state: string; pushTxs: string[] }[] };
    expect(chain.mode).toBe('chain');
    expect(chain.backlog).toEqual([]);
    expect(chain.publications.map((p) => [p.period, p.state])).toEqual([
      [1, 'pushed'],
      [2, 'pushed'],
      [3, 'pushed']
    ]);
    // Three wallets, batches of 2: two push transactions a period.
    expect(chain.publications.map((p) => p.pushTxs.length)).toEqual([2, 2, 2]);
  }, 120_000);

  it('owes a node without an EVM wallet its credits until it gives one, then pays them all', async () => {
    const net = await network(anvil, { badThirdWallet: true });
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    const [first] = await net.satellite.publishPayouts();
    const owed = await ledgerBalances(net);
    expect(first!.unassigned).toEqual({ [net.nodes[2]!.peerId]: owed[2]!.toString() });
    expect(Object.keys(first!.wallets)).toHaveLength(2);
    // The node gives a wallet (as a check-in with WALLET set would record it).
    const wallet = privateKeyToAccount(generatePrivateKey()).address;
    await net.satellite.registry.update(net.nodes[2]!.peerId, (n) => ({ ...n, wallet }));
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    const [second] = await net.satellite.publishPayouts();
    expect(second!.unassigned).toEqual({});
    const all = await ledgerBalances(net);
    expect(await net.reader.balanceOf(wallet)).toBe(all[2]);
    for (const i of [0, 1]) expect(await net.reader.balanceOf(net.wallets[i]!)).toBe(all[i]);
    // A node that changes wallet: each statement names the wallet its period was paid to, as its
    // leaf does, fetched before or after the change.
    const moved = privateKeyToAccount(generatePrivateKey()).address;
    await net.satellite.registry.update(net.nodes[0]!.peerId, (n) => ({ ...n, wallet: moved }));
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    await net.satellite.publishPayouts();
    for (const [period, paid] of [[1, net.wallets[0]!], [2, net.wallets[0]!], [3, moved]] as const) {
      const { statement, claim } = await fetchClaim(net.nodes[0]!.libp2p, net.configs[0]!.satellites[0]!, net.nodes[0]!.peerId, period, 10_000);
      expect([period, statement.wallet.toLowerCase(), claim?.wallet.toLowerCase()]).toEqual([period, paid.toLowerCase(), paid.toLowerCase()]);
    }
  }, 120_000);

  it('never pays a history twice: a distributor or token changed after periods were published is refused', async () => {
    const net = await network(anvil);
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    await net.satellite.publishPayouts();
    const owed = await ledgerBalances(net);
    // The operator points the satellite at fresh contracts (same data directory).
    const { token, distributor } = await deployPayoutContracts(anvil.rpcUrl, anvil.accounts[0]!.privateKey, { mint: [{ to: anvil.accounts[0]!.address, amount: 10n ** 15n }] });
    const config = { ...net.satellite.config, chain: { ...net.satellite.config.chain!, token, distributor } };
    await net.satellite.stop();
    net.satellite = await startSatellite(config, { now: () => Date.now() + 2 * 60 * 60 * 1000 });
    await net.satellite.payouts.close();
    await expect(net.satellite.publishPayouts()).rejects.toMatchObject({ code: 'CHAIN_CONFIG_INVALID', message: expect.stringMatching(/cannot change once periods are published/) as string });
    const fresh = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor });
    expect(await fresh.state()).toEqual({ lastPeriod: 0, funded: 0n });
    for (const [i, wallet] of net.wallets.entries()) {
      expect([i, await fresh.balanceOf(wallet!)]).toEqual([i, 0n]);
      expect([i, await net.reader.balanceOf(wallet!)]).toEqual([i, owed[i]]);
    }
  }, 120_000);

  it('pays only wallets it can: the zero address and a mistyped checksum are owed, not paid', () => {
    // EIP-55's own example, and the same with one letter's case flipped (checksum broken).
    const good = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    const typo = '0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    const wallets: Record<string, string> = { a: good, l: good.toLowerCase(), z: `0x${'0'.repeat(40)}`, t: typo, n: '' };
    const entries = ['a', 'l', 'z', 't', 'n'].map((nodeId) => ({ nodeId, amount: '1.000000' }));
    const { publication, tree } = buildPublication(1, undefined, entries, (id) => wallets[id], 1n);
    // Two nodes on one wallet (any case) share its leaf.
    expect(publication.wallets).toEqual({ [good.toLowerCase()]: '2000000' });
    expect(publication.unassigned).toEqual({ z: '1000000', t: '1000000', n: '1000000' });
    expect(tree?.leaves).toEqual([{ wallet: good, cumulative: 2000000n }]);
  });

  it('carries a node owed less than the minimum payout to later periods, then pays it all at once', () => {
    const wallets: Record<string, string> = { a: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', b: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359' };
    const minimum = 1_000_000n; // 1 token, in micro-tokens
    // Period 1: a is owed 0.6 (carried), b 1.5 (paid).
    const one = buildPublication(1, undefined, [{ nodeId: 'a', amount: '0.600000' }, { nodeId: 'b', amount: '1.500000' }], (id) => wallets[id], 1n, minimum).publication;
    expect(one.wallets).toEqual({ [wallets.b!.toLowerCase()]: '1500000' });
    expect(one.carried).toEqual({ a: '600000' });
    // Period 2: a earns 0.3 more (0.9 in all: still carried); b 0.2 (carried now).
    const two = buildPublication(2, one, [{ nodeId: 'a', amount: '0.300000' }, { nodeId: 'b', amount: '0.200000' }], (id) => wallets[id], 1n, minimum).publication;
    expect(two.wallets).toEqual({ [wallets.b!.toLowerCase()]: '1500000' });
    expect(two.carried).toEqual({ a: '900000', b: '200000' });
    // Period 3: a reaches 1.0 exactly (paid, all of it); b stays below.
    const three = buildPublication(3, two, [{ nodeId: 'a', amount: '0.100000' }], (id) => wallets[id], 1n, minimum).publication;
    expect(three.wallets).toEqual({ [wallets.a!.toLowerCase()]: '1000000', [wallets.b!.toLowerCase()]: '1500000' });
    expect(three.carried).toEqual({ b: '200000' });
    // Nothing is lost: what is published plus what is carried is everything credited.
    const published = Object.values(three.wallets).reduce((s, c) => s + BigInt(c), 0n);
    const owed = Object.values(three.carried ?? {}).reduce((s, c) => s + BigInt(c), 0n);
    expect(published + owed).toBe(600_000n + 1_500_000n + 300_000n + 200_000n + 100_000n);
  });

  it('keeps a period closed while the chain is down, shows it in the backlog, and publishes it once the chain is back', async () => {
    const stateFile = join(tempDir(), 'anvil-state.json');
    const own = await startAnvil({ stateFile });
    let back: Anvil | undefined;
    try {
      const net = await network(own);
      net.advance(60 * 60 * 1000);
      await net.satellite.payouts.close();
      await net.satellite.publishPayouts();
      // Down (its state saved on SIGTERM), then a period closes: closed in the ledger all the same.
      await own.stop();
      net.advance(60 * 60 * 1000);
      const { record } = await net.satellite.payouts.close();
      expect(record.period).toBe(2);
      await expect(net.satellite.publishPayouts()).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
      const down = await adminFetch(net.satellite, '/api/payouts/publish', { method: 'POST', body: '{}' });
      expect(down.status).toBe(503);
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe('CHAIN_UNREACHABLE');
      const status = (await (await adminFetch(net.satellite, '/api/payouts/chain')).json()) as { backlog: number[]; publications: { period: number; state: string; error?: string }[] };
      expect(status.backlog).toEqual([2]);
      expect(status.publications[1]).toMatchObject({ period: 2, state: 'built' });
      expect(status.publications[1]!.error).toMatch(/did not answer/);
      // Back on the same port with its state: period 2 goes out, each wallet paid exactly its total.
      back = await startAnvil({ port: Number(new URL(own.rpcUrl).port), stateFile });
      const done = await net.satellite.publishPayouts();
      expect(done.map((p) => [p.period, p.state])).toEqual([[2, 'pushed']]);
      const owed = await ledgerBalances(net);
      for (const [i, wallet] of net.wallets.entries()) expect([i, await net.reader.balanceOf(wallet!)]).toEqual([i, owed[i]]);
      expect((await net.reader.state()).lastPeriod).toBe(2);
    } finally {
      await own.kill();
      await back?.stop();
    }
  }, 120_000);
});

const rpc = jsonRpc;

/**
 * A JSON-RPC proxy in front of `chain`, all calls passed through; once armed with a snapshot, the
 * first claimMany the satellite simulates first reverts the chain to it: a reorganisation that
 * undoes a publication between its publish and its push.
 */
async function reorgProxy(chain: Anvil): Promise<{ rpcUrl: string; arm(snapshot: string): void; fired(): boolean; close(): Promise<void> }> {
  const claimMany = toFunctionSelector('claimMany(uint256,address[],uint256[],bytes32[][])');
  let armed: string | undefined;
  let fired = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString();
        const calls = [JSON.parse(body) as unknown].flat() as { method?: string; params?: { data?: string; input?: string }[] }[];
        const pushing = calls.some((c) => c.method === 'eth_call' && (c.params?.[0]?.data ?? c.params?.[0]?.input ?? '').startsWith(claimMany));
        if (pushing && armed !== undefined) {
          await rpc(chain.rpcUrl, 'evm_revert', [armed]);
          armed = undefined;
          fired = true;
        }
        const answer = await fetch(chain.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      })().catch((err: unknown) => res.writeHead(502).end(String(err)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    rpcUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: (snapshot) => void (armed = snapshot),
    fired: () => fired,
    close: () => new Promise<void>((r) => server.close(() => r()))
  };
}

describe('the contracts the satellite pays through', () => {
  it('are checked before anything is approved or sent: a distributor the payer does not own is refused', async () => {
    const net = await network(anvil, { distributorOwner: anvil.accounts[5]!.address });
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    await expect(net.satellite.publishPayouts()).rejects.toMatchObject({ code: 'CHAIN_CONFIG_INVALID', message: expect.stringMatching(/owner is .* only the owner can publish/) as string });
    expect(await net.reader.state()).toEqual({ lastPeriod: 0, funded: 0n });
    // Nothing approved either: the payer's allowance for it is still 0.
    const allowance = (await rpc(anvil.rpcUrl, 'eth_call', [{ to: net.reader.token, data: encodeFunctionData({ abi: StowageToken.abi, functionName: 'allowance', args: [anvil.accounts[0]!.address, net.reader.distributor] }) }, 'latest'])) as string;
    expect(BigInt(allowance)).toBe(0n);
  }, 120_000);
});

describe('a reorganisation that undoes a publication', () => {
  it('between publish and push, or after the push: the satellite publishes the period again and pays each wallet once', async () => {
    const proxy = await reorgProxy(anvil);
    try {
      const net = await network({ ...anvil, rpcUrl: proxy.rpcUrl });
      net.advance(60 * 60 * 1000);
      await net.satellite.payouts.close();
      // The root goes after it was recorded published, before the push: the push is refused.
      proxy.arm(String(await rpc(anvil.rpcUrl, 'evm_snapshot')));
      await expect(net.satellite.publishPayouts()).rejects.toMatchObject({ code: 'CHAIN_REVERTED', reason: 'UnknownPeriod' });
      expect(proxy.fired()).toBe(true);
      expect(await net.reader.root(1)).toBeUndefined();
      const afterReorg = String(await rpc(anvil.rpcUrl, 'evm_snapshot'));
      // The next run finds the root gone, publishes it again and pushes.
      const done = await net.satellite.publishPayouts();
      expect(done.map((p) => [p.period, p.state])).toEqual([[1, 'pushed']]);
      const owed = await ledgerBalances(net);
      expect(owed.every((o) => o > 0n)).toBe(true);
      for (const [i, wallet] of net.wallets.entries()) expect([i, await net.reader.balanceOf(wallet!)]).toEqual([i, owed[i]]);
      // Recorded pushed, then undone (root and payments): the next run publishes and pushes again.
      await rpc(anvil.rpcUrl, 'evm_revert', [afterReorg]);
      expect(await net.reader.root(1)).toBeUndefined();
      expect(await net.reader.balanceOf(net.wallets[0]!)).toBe(0n);
      const again = await net.satellite.publishPayouts();
      expect(again.map((p) => [p.period, p.state])).toEqual([[1, 'pushed']]);
      for (const [i, wallet] of net.wallets.entries()) {
        expect([i, await net.reader.balanceOf(wallet!)]).toEqual([i, owed[i]]);
        expect([i, (await net.reader.claimEvents(wallet!)).length]).toEqual([i, 1]);
      }
      expect(await net.reader.state()).toEqual({ lastPeriod: 1, funded: owed.reduce((a, b) => a + b, 0n) });
      // With the root on chain, a run does nothing.
      expect(await net.satellite.publishPayouts()).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe("a node's own claim (stowage node claim)", () => {
  it('checks its leaf against the root on chain, claims what it is owed once, and refuses a leaf not under the root', async () => {
    // The satellite publishes without pushing: nodes claim by themselves.
    const net = await network(anvil, { push: false });
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    expect((await net.satellite.publishPayouts()).map((p) => [p.period, p.state, p.pushTxs])).toEqual([[1, 'pushed', []]]);
    const owed = await ledgerBalances(net);
    expect(await net.reader.balanceOf(net.wallets[0]!)).toBe(0n);
    const node = net.nodes[0]!;
    const dataDir = net.configs[0]!.dataDir;
    // The sender pays gas only: anvil's account 5; the tokens go to the node's wallet.
    const keyFile = join(tempDir(), 'sender.key');
    writePrivateKeyFile(keyFile, anvil.accounts[5]!.privateKey);
    const satelliteFlag = `${net.satellite.id}@${satelliteAddress(net.satellite)}`;
    const claim = (): Promise<{ code: number; stdout: string; stderr: string }> =>
      runCli(['node', 'claim', '--json', '--data-dir', dataDir, '--satellite', satelliteFlag, '--chain-rpc', anvil.rpcUrl, '--key-file', keyFile, '--distributor', net.reader.distributor]);
    // The operator must name the distributor it trusts: the satellite's word is not enough.
    const unpinned = await runCli(['node', 'claim', '--data-dir', dataDir, '--satellite', satelliteFlag, '--chain-rpc', anvil.rpcUrl, '--key-file', keyFile]);
    // A usage error: exit 2, before anything is asked.
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toMatch(/claim needs --distributor ADDRESS/);
    const first = await claim();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ period: 1, wallet: net.wallets[0], cumulative: String(owed[0]), paidBefore: '0', paidNow: String(owed[0]), balance: String(owed[0]), status: 'claimed' });
    expect(await net.reader.balanceOf(net.wallets[0]!)).toBe(owed[0]);
    // Again: nothing left, no transaction, nothing paid twice.
    const again = await claim();
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'already-paid', paidNow: '0', balance: String(owed[0]) });
    expect((JSON.parse(again.stdout) as { tx?: string }).tx).toBeUndefined();
    // A leaf the satellite alters after publishing (more for this wallet, the total to match) is
    // not under the root on chain: refused, nothing sent.
    const pub = (await net.satellite.publications.publication(1))!;
    await net.satellite.publications.putPublication({ ...pub, total: String(BigInt(pub.total) + owed[1]!), wallets: { ...pub.wallets, [net.wallets[1]!.toLowerCase()]: String(owed[1]! * 2n) } });
    const forged = await runCli(['node', 'claim', '--json', '--data-dir', net.configs[1]!.dataDir, '--satellite', satelliteFlag, '--chain-rpc', anvil.rpcUrl, '--key-file', keyFile, '--distributor', net.reader.distributor]);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/is not under the root on chain/);
    expect(await net.reader.balanceOf(net.wallets[1]!)).toBe(0n);
    // A distributor pinned by the operator that is not the satellite's: refused before the chain is asked.
    const pinned = await runCli(['node', 'claim', '--data-dir', dataDir, '--satellite', satelliteFlag, '--chain-rpc', anvil.rpcUrl, '--key-file', keyFile, '--distributor', `0x${'99'.repeat(20)}`]);
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/names distributor .* this node is set to 0x9999/);
    void node;
  }, 120_000);
});

describe("a node's view of its pay on chain (dashboard /api/payouts, stowage node earnings)", () => {
  it('shows each period pending then claimed with the transaction that paid it, the wallet paid what the statements owe, and flags a leaf not under the root', async () => {
    // The nodes read the chain themselves and fetch their statements every 500 ms; the third
    // trusts a distributor that is not the satellite's.
    const net = await network(anvil, {
      push: false,
      node: (i) => ({ chainRpc: anvil.rpcUrl, checkInIntervalMs: 500, ...(i === 2 ? { distributor: `0x${'99'.repeat(20)}` } : {}) })
    });
    net.advance(60 * 60 * 1000);
    await net.satellite.payouts.close();
    const [pub] = await net.satellite.publishPayouts();
    const owed = await ledgerBalances(net);
    const view = async (i: number): Promise<SatellitePay> => {
      const res = await fetch(`${net.nodes[i]!.dashboardUrl}/api/payouts`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as PayoutView;
      expect(body.chainRpc).toBe(anvil.rpcUrl);
      return body.satellites[0]!;
    };
    // Published, not pushed: pending, the leaf under the root on chain, the publish transaction.
    await expect.poll(async () => { const v = await view(0); return [v.periods.map((p) => p.status), v.error]; }, { timeout: 20_000 }).toEqual([["pending"], null]);
    const pending = await view(0);
    expect(pending).toMatchObject({ satelliteId: net.satellite.id, distributor: net.reader.distributor, token: net.reader.token, decimals: 6, error: null });
    expect(pending.periods[0]).toMatchObject({ period: 1, leaf: { cumulative: String(owed[0]), underRoot: true, rootOnChain: pub!.root }, publishTx: pub!.publishTx, payments: [], owedThrough: String(owed[0]) });
    expect(pending.wallet).toMatchObject({ wallet: net.wallets[0]!.toLowerCase(), owed: String(owed[0]), published: String(owed[0]), paid: '0', balance: '0', state: 'pending' });
    // Anyone submits node 0's claim (anvil's account 6 pays the gas); its transaction shows.
    const leaf = (await net.satellite.publications.publication(1))!;
    const tree = buildPayoutTree(Object.entries(leaf.wallets).map(([w, c]) => ({ wallet: w as Address, cumulative: BigInt(c) })));
    const sender = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token: net.reader.token, distributor: net.reader.distributor, privateKey: anvil.accounts[6]!.privateKey });
    const tx = await sender.claim(1, { wallet: net.wallets[0]!, cumulative: owed[0]! }, tree.proof(net.wallets[0]!)!);
    await expect.poll(async () => (await view(0)).periods.map((p) => p.status), { timeout: 20_000 }).toEqual(['claimed']);
    const paid = await view(0);
    expect(paid.periods[0]!.payments).toEqual([{ tx, amount: String(owed[0]) }]);
    expect(paid.wallet).toMatchObject({ owed: String(owed[0]), paid: String(owed[0]), balance: String(owed[0]), balanceBelowPaid: false, state: 'paid' });
    // The third node pins another distributor: nothing is read from the satellite's, and it says why.
    await expect.poll(async () => (await view(2)).error, { timeout: 20_000 }).toMatchObject({ code: "CHAIN_CONTRACT_MISMATCH" });
    expect((await view(2)).periods.map((p) => p.status)).toEqual(['unchecked']);
    // `stowage node earnings` gives node 0 the same view (its own fetch, its own chain reads).
    const satelliteFlag = `${net.satellite.id}@${satelliteAddress(net.satellite)}`;
    const cliView = await runCli(['node', 'earnings', '--json', '--data-dir', net.configs[0]!.dataDir, '--satellite', satelliteFlag, '--chain-rpc', anvil.rpcUrl]);
    expect(cliView.stderr).toBe('');
    expect(cliView.code).toBe(0);
    const printed = JSON.parse(cliView.stdout) as { period: number; chain: SatellitePay };
    expect(printed.period).toBe(1);
    expect(printed.chain.periods.map((p) => [p.period, p.status, p.payments.map((x) => x.tx)])).toEqual([[1, 'claimed', [tx]]]);
    expect(printed.chain.wallet).toMatchObject({ state: 'paid', paid: String(owed[0]) });
    // The satellite alters node 1's leaf after publishing: the node flags it, the CLI exits 1.
    await net.satellite.publications.putPublication({ ...leaf, total: String(BigInt(leaf.total) + owed[1]!), wallets: { ...leaf.wallets, [net.wallets[1]!.toLowerCase()]: String(owed[1]! * 2n) } });
    await expect.poll(async () => { const v = await view(1); return [v.periods.map((p) => p.status), v.error]; }, { timeout: 20_000 }).toEqual([["flagged"], null]);
    expect((await view(1)).periods[0]).toMatchObject({ leaf: { cumulative: String(owed[1]! * 2n), underRoot: false, rootOnChain: pub!.root } });
    expect((await view(1)).periods[0]!.message).toMatch(/is not under the root on chain/);
    const flagged = await runCli(['node', 'earnings', '--data-dir', net.configs[1]!.dataDir, '--satellite', satelliteFlag, '--chain-rpc', anvil.rpcUrl]);
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toMatch(/period 1 .* flagged/);
    expect(flagged.stdout).toMatch(/is not under the root on chain/);
    expect(await net.reader.balanceOf(net.wallets[1]!)).toBe(0n);
  }, 120_000);
});

describe('chain payout settings', () => {
  const valid = ['--chain-rpc', 'http://127.0.0.1:8545', '--token', `0x${'11'.repeat(20)}`, '--distributor', `0x${'22'.repeat(20)}`, '--payer-key-file', '/k'];

  it('are all four or none, from flags or the environment, each checked', () => {
    expect(loadSatelliteConfig([], {}).chain).toBeNull();
    expect(loadSatelliteConfig(valid, {}).chain).toEqual({
      rpcUrl: 'http://127.0.0.1:8545',
      token: `0x${'11'.repeat(20)}`,
      distributor: `0x${'22'.repeat(20)}`,
      payerKeyFile: '/k',
      claimBatchSize: CHAIN_PAYOUT_DEFAULTS.claimBatchSize,
      retryMs: CHAIN_PAYOUT_DEFAULTS.retryMs,
      push: true,
      confirmations: 1
    });
    expect(loadSatelliteConfig(valid, { STOWAGE_SATELLITE_CHAIN_PUSH: 'false' }).chain?.push).toBe(false);
    expect(loadSatelliteConfig(valid, { STOWAGE_SATELLITE_CHAIN_CONFIRMATIONS: '12' }).chain?.confirmations).toBe(12);
    expect(() => loadSatelliteConfig(valid, { STOWAGE_SATELLITE_CHAIN_CONFIRMATIONS: '0' })).toThrow(/chain.confirmations must be an integer from 1 to 1000/);
    expect(() => loadSatelliteConfig(valid, { STOWAGE_SATELLITE_CHAIN_CONFIRMATIONS: '1.5' })).toThrow(/chain.confirmations must be an integer/);
    const env = { STOWAGE_SATELLITE_CHAIN_RPC: 'https://rpc.example', STOWAGE_SATELLITE_TOKEN: `0x${'33'.repeat(20)}`, STOWAGE_SATELLITE_DISTRIBUTOR: `0x${'44'.repeat(20)}`, STOWAGE_SATELLITE_PAYER_KEY_FILE: '/e', STOWAGE_SATELLITE_CLAIM_BATCH_SIZE: '7' };
    expect(loadSatelliteConfig([], env).chain).toMatchObject({ rpcUrl: 'https://rpc.example', payerKeyFile: '/e', claimBatchSize: 7 });
    // A flag wins over the environment.
    expect(loadSatelliteConfig(['--chain-rpc', 'http://flag:1'], env).chain).toMatchObject({ rpcUrl: 'http://flag:1', payerKeyFile: '/e' });
    expect(() => loadSatelliteConfig(valid.slice(0, 4), {})).toThrow(/need --distributor, --payer-key-file as well/);
    expect(() => loadSatelliteConfig(['--chain-rpc', 'ws://x', ...valid.slice(2)], {})).toThrow(/--chain-rpc must be an http\(s\) URL/);
    expect(() => loadSatelliteConfig([...valid.slice(0, 2), '--token', '0x12', ...valid.slice(4)], {})).toThrow(/--token must be a contract address/);
    expect(() => loadSatelliteConfig(valid, { STOWAGE_SATELLITE_CLAIM_BATCH_SIZE: '0' })).toThrow(/claimBatchSize must be an integer from 1 to 500/);
    expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_STORAGE_RATE: '1.0000001' })).toThrow(/STOWAGE_SATELLITE_STORAGE_RATE must be a token amount/);
    expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_AUDIT_RATE: '-1' })).toThrow(/must not be negative/);
    expect(loadSatelliteConfig([], { STOWAGE_SATELLITE_STORAGE_RATE: '2.5', STOWAGE_SATELLITE_AUDIT_RATE: '0.01' }).payout).toMatchObject({ storageRate: '2.5', auditRate: '0.01' });
  });

  it("refuse a payer key file others can read, or one that holds no key; the satellite does not start with it", async () => {
    const file = join(tempDir(), 'payer.key');
    const { address } = writePrivateKeyFile(file);
    expect(readPrivateKeyFile(file).address).toBe(address);
    chmodSync(file, 0o644);
    expect(() => readPrivateKeyFile(file)).toThrow(expect.objectContaining({ code: 'CHAIN_CONFIG_INVALID', message: expect.stringMatching(/readable by others \(mode 644\)/) as string }) as Error);
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => readPrivateKeyFile(file)).toThrow(expect.objectContaining({ code: 'CHAIN_CONFIG_INVALID', message: expect.stringMatching(/does not hold a private key/) as string }) as Error);
    chmodSync(file, 0o644);
    await expect(startSatellite({ chain: { rpcUrl: anvil.rpcUrl, token: `0x${'11'.repeat(20)}`, distributor: `0x${'22'.repeat(20)}`, payerKeyFile: file, claimBatchSize: 1, retryMs: 0, push: true, confirmations: 1 } })).rejects.toMatchObject({ code: 'CHAIN_CONFIG_INVALID' });
  });
});
