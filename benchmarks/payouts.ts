// npm run bench:payouts: gas and wall time to pay one period to 10, 100 and 1,000 nodes on a real
// local chain (anvil from npm, the real contracts), Stowage's way (one Merkle root published with
// its funding, then claims pushed with claimMany, 100 wallets a transaction) against the baseline
// measured in the same run: one ERC-20 transfer per node (Storj's way). Also the second period's
// push to the same wallets (storage slots already written: cheaper) and the gas of one node's own
// claim. Writes benchmarks/results/payouts.json.
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { PayoutChain, StowageToken, buildPayoutTree, deployPayoutContracts, startAnvil, type Address } from '../src/chain/index.js';
import { machine, table, writeResults } from './lib.js';

const SIZES = (process.env.BENCH_PAYOUT_NODES ?? '10,100,1000').split(',').map(Number);
const BATCH = 100;

const anvil = await startAnvil({ accounts: 2 });
try {
  const payer = anvil.accounts[0]!;
  const transport = http(anvil.rpcUrl);
  const chain0 = defineChain({ id: anvil.chainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
  const client = createPublicClient({ transport, chain: chain0, pollingInterval: 50 });
  const wallet = createWalletClient({ transport, chain: chain0, account: privateKeyToAccount(payer.privateKey) });
  const gasOf = async (hashes: Hex[]): Promise<bigint> => {
    let sum = 0n;
    for (const hash of hashes) sum += (await client.getTransactionReceipt({ hash })).gasUsed;
    return sum;
  };
  const rows: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    console.log(`paying ${n} nodes...`);
    const { token, distributor } = await deployPayoutContracts(anvil.rpcUrl, payer.privateKey, { mint: [{ to: payer.address, amount: 10n ** 18n }] });
    const chain = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: payer.privateKey, pollingIntervalMs: 50 });
    const wallets: Address[] = Array.from({ length: n }, () => privateKeyToAccount(generatePrivateKey()).address);

    // Stowage: period 1 (fresh wallets), then period 2 (the same wallets, more owed).
    const periods: { publishGas: bigint; pushGas: bigint; pushTxs: number; ms: number }[] = [];
    for (const period of [1, 2]) {
      const tree = buildPayoutTree(wallets.map((w, i) => ({ wallet: w, cumulative: BigInt((i + 1) * 1000 * period) })));
      const t = performance.now();
      const publishTx = await chain.publish(period, tree);
      const pushed = await chain.pushClaims(period, tree, BATCH);
      const ms = performance.now() - t;
      // The approval of the first publish is part of its cost.
      periods.push({ publishGas: await gasOf([publishTx]), pushGas: await gasOf(pushed.transactions), pushTxs: pushed.transactions.length, ms });
      for (const [i, w] of [wallets[0]!, wallets[n - 1]!].entries()) {
        const expected = BigInt(((i === 0 ? 1 : n) * 1000) * period);
        if ((await chain.balanceOf(w)) !== expected) throw new Error(`wallet ${w} not paid ${expected}`);
      }
    }

    // Baseline: one ERC-20 transfer per node, to fresh wallets, each waited for (as a payer
    // paying one by one does), and again to the same wallets.
    const baseline: { gas: bigint; ms: number }[] = [];
    const others: Address[] = Array.from({ length: n }, () => privateKeyToAccount(generatePrivateKey()).address);
    for (const round of [1, 2]) {
      const t = performance.now();
      const hashes: Hex[] = [];
      for (const [i, to] of others.entries()) {
        const hash = await wallet.writeContract({ address: token, abi: StowageToken.abi, functionName: 'transfer', args: [to, BigInt((i + 1) * 1000 * round)] });
        await client.waitForTransactionReceipt({ hash });
        hashes.push(hash);
      }
      baseline.push({ gas: await gasOf(hashes), ms: performance.now() - t });
    }
    const stowage1 = periods[0]!.publishGas + periods[0]!.pushGas;
    const stowage2 = periods[1]!.publishGas + periods[1]!.pushGas;
    rows.push({
      nodes: n,
      period1: { publishGas: String(periods[0]!.publishGas), pushGas: String(periods[0]!.pushGas), pushTransactions: periods[0]!.pushTxs, totalGas: String(stowage1), gasPerNode: Number(stowage1) / n, ms: Math.round(periods[0]!.ms) },
      period2: { publishGas: String(periods[1]!.publishGas), pushGas: String(periods[1]!.pushGas), pushTransactions: periods[1]!.pushTxs, totalGas: String(stowage2), gasPerNode: Number(stowage2) / n, ms: Math.round(periods[1]!.ms) },
      transfers1: { gas: String(baseline[0]!.gas), gasPerNode: Number(baseline[0]!.gas) / n, transactions: n, ms: Math.round(baseline[0]!.ms) },
      transfers2: { gas: String(baseline[1]!.gas), gasPerNode: Number(baseline[1]!.gas) / n, transactions: n, ms: Math.round(baseline[1]!.ms) },
      gasRatio1: Number(stowage1) / Number(baseline[0]!.gas),
      gasRatio2: Number(stowage2) / Number(baseline[1]!.gas)
    });
  }
  // One node's own claim (its proof in a tree of 1,000), for the README.
  const { token, distributor } = await deployPayoutContracts(anvil.rpcUrl, payer.privateKey, { mint: [{ to: payer.address, amount: 10n ** 18n }] });
  const chain = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: payer.privateKey });
  const node = anvil.accounts[1]!;
  const tree = buildPayoutTree([{ wallet: node.address, cumulative: 5n }, ...Array.from({ length: 999 }, (_, i) => ({ wallet: privateKeyToAccount(generatePrivateKey()).address, cumulative: BigInt(i + 1) }))]);
  await chain.publish(1, tree);
  const self = await PayoutChain.connect({ rpcUrl: anvil.rpcUrl, token, distributor, privateKey: node.privateKey });
  const selfClaimGas = await gasOf([await self.claim(1, tree.leaf(node.address)!, tree.proof(node.address)!)]);

  console.log(
    table(
      ['nodes', 'stowage gas (period 1)', 'per node', 'txs', 'ms', 'transfers gas', 'per node', 'ms', 'ratio', 'period 2 ratio'],
      rows.map((r) => {
        const p1 = r.period1 as { totalGas: string; gasPerNode: number; pushTransactions: number; ms: number };
        const t1 = r.transfers1 as { gas: string; gasPerNode: number; ms: number };
        return [r.nodes as number, p1.totalGas, Math.round(p1.gasPerNode), p1.pushTransactions + 1, p1.ms, t1.gas, Math.round(t1.gasPerNode), t1.ms, (r.gasRatio1 as number).toFixed(2), (r.gasRatio2 as number).toFixed(2)];
      })
    )
  );
  console.log(`a node's own claim (proof of ${tree.proof(node.address)!.length} hashes in a tree of 1,000): ${selfClaimGas} gas`);
  const file = writeResults('payouts', { benchmark: 'payouts', date: new Date().toISOString(), machine: machine(), chain: 'anvil 1.7.1 (automine)', batch: BATCH, results: rows, selfClaimGas: String(selfClaimGas), baseline: 'one ERC-20 transfer per node, each waited for' });
  console.log(`results: ${file}`);
} finally {
  await anvil.stop();
}
