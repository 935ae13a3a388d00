// The satellite's and the node's view of the payout contracts, over any EVM JSON-RPC endpoint
// (viem): publish a period's root (funding the distributor in the same transaction), push claims
// in batches, submit one claim, read what the chain holds. Every call that sends a transaction
// simulates it first, so a revert is named (the contract's custom error) before gas is spent.
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  maxUint256,
  type Chain,
  type PublicClient,
  type WalletClient,
  type Account,
  type Transport
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { PayoutDistributor, StowageToken } from './artifacts.js';
import { ChainError } from './errors.js';
import type { Address, Hex, PayoutLeaf, PayoutTree } from './merkle.js';

/** The distributor's ABI plus the token's errors, so a revert inside the token is named too. */
const DISTRIBUTOR_ABI = [...PayoutDistributor.abi, ...StowageToken.abi.filter((x) => x.type === 'error')];
const ERC20_ABI = StowageToken.abi;
/** Errors that mean the payer has not the tokens (or allowance) to fund what it publishes. */
const FUNDS_ERRORS = new Set(['ERC20InsufficientBalance', 'ERC20InsufficientAllowance']);

export const CHAIN_DEFAULTS = {
  /** Claims per claimMany transaction: about 40 k gas each, so 100 stay far below a block. */
  claimBatchSize: 100,
  /** How long to wait for a transaction's receipt. */
  confirmTimeoutMs: 60_000,
  /** One JSON-RPC request's timeout. */
  requestTimeoutMs: 10_000,
  /** How often a transaction's receipt is asked for while waiting (viem's default is 4 s). */
  pollingIntervalMs: 250
} as const;

export interface PayoutChainConfig {
  rpcUrl: string;
  token: Address;
  distributor: Address;
  /** The key that sends transactions (the satellite's payer, a node's own claim key); reads only without. */
  privateKey?: Hex;
  confirmTimeoutMs?: number;
  requestTimeoutMs?: number;
  pollingIntervalMs?: number;
}

/** One payment of the distributor (its Claimed event). */
export interface ClaimEvent {
  /** The period whose root the claim was proved under. */
  period: number;
  /** What this payment sent; `cumulative` is everything the wallet was paid after it. */
  amount: bigint;
  cumulative: bigint;
  tx: Hex;
  block: bigint;
}

export interface ChainState {
  lastPeriod: number;
  funded: bigint;
}

/** Turns what viem throws into a ChainError with a stable code. */
export function chainError(err: unknown, what: string): ChainError {
  if (err instanceof ChainError) return err;
  if (err instanceof BaseError) {
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const reason = reverted.data?.errorName ?? reverted.reason ?? 'unknown';
      const code = FUNDS_ERRORS.has(reason) ? 'CHAIN_INSUFFICIENT_FUNDS' : 'CHAIN_REVERTED';
      return new ChainError(code, `${what}: the contract refused it (${reason}${reverted.data?.args ? ` ${reverted.data.args.map(String).join(', ')}` : ''})`, { cause: err, reason });
    }
    if (err.walk((e) => e instanceof InsufficientFundsError) instanceof InsufficientFundsError) {
      return new ChainError('CHAIN_INSUFFICIENT_FUNDS', `${what}: the payer has not the ETH for gas`, { cause: err });
    }
    if (err.walk((e) => e instanceof HttpRequestError) instanceof HttpRequestError || /fetch failed|ECONNREFUSED|timed out|took too long/i.test(err.message)) {
      return new ChainError('CHAIN_UNREACHABLE', `${what}: the chain's JSON-RPC endpoint did not answer (${err.shortMessage})`, { cause: err });
    }
    return new ChainError('CHAIN_TX_FAILED', `${what}: ${err.shortMessage}`, { cause: err });
  }
  return new ChainError('CHAIN_TX_FAILED', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

export class PayoutChain {
  readonly token: Address;
  readonly distributor: Address;
  readonly account: Account | undefined;
  private readonly publicClient: PublicClient<Transport, Chain>;
  private readonly walletClient: WalletClient<Transport, Chain, Account> | undefined;
  private readonly confirmTimeoutMs: number;

  private constructor(config: PayoutChainConfig, chain: Chain) {
    this.token = getAddress(config.token);
    this.distributor = getAddress(config.distributor);
    const transport = http(config.rpcUrl, { timeout: config.requestTimeoutMs ?? CHAIN_DEFAULTS.requestTimeoutMs, retryCount: 0 });
    this.publicClient = createPublicClient({ chain, transport, pollingInterval: config.pollingIntervalMs ?? CHAIN_DEFAULTS.pollingIntervalMs });
    this.account = config.privateKey === undefined ? undefined : privateKeyToAccount(config.privateKey);
    this.walletClient = this.account === undefined ? undefined : createWalletClient({ chain, transport, account: this.account });
    this.confirmTimeoutMs = config.confirmTimeoutMs ?? CHAIN_DEFAULTS.confirmTimeoutMs;
  }

  /** Connects to the endpoint (asks its chain id: CHAIN_UNREACHABLE when it does not answer). */
  static async connect(config: PayoutChainConfig): Promise<PayoutChain> {
    const chainId = await chainIdOf(config.rpcUrl, config.requestTimeoutMs ?? CHAIN_DEFAULTS.requestTimeoutMs);
    return new PayoutChain(config, chainOf(chainId, config.rpcUrl));
  }

  async state(): Promise<ChainState> {
    try {
      const [lastPeriod, funded] = await Promise.all([
        this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'lastPeriod' }),
        this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'funded' })
      ]);
      return { lastPeriod: Number(lastPeriod), funded };
    } catch (err) {
      throw chainError(err, 'reading the distributor');
    }
  }

  /** The root published for `period`, undefined when none was. */
  async root(period: number): Promise<Hex | undefined> {
    try {
      const root = await this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'roots', args: [BigInt(period)] });
      return /^0x0+$/.test(root) ? undefined : root;
    } catch (err) {
      throw chainError(err, `reading period ${period}'s root`);
    }
  }

  /** What the distributor has paid `wallet` so far. */
  async claimed(wallet: Address): Promise<bigint> {
    try {
      return await this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'claimed', args: [getAddress(wallet)] });
    } catch (err) {
      throw chainError(err, `reading what ${wallet} was paid`);
    }
  }

  /** `wallet`'s token balance. */
  async balanceOf(wallet: Address): Promise<bigint> {
    try {
      return await this.publicClient.readContract({ address: this.token, abi: ERC20_ABI, functionName: 'balanceOf', args: [getAddress(wallet)] });
    } catch (err) {
      throw chainError(err, `reading ${wallet}'s balance`);
    }
  }

  /**
   * Every payment the distributor made to `wallet` (its Claimed events), oldest first: the
   * transaction that paid each period, whoever sent it. Asked from `fromBlock` (default the
   * chain's first block; a public endpoint may refuse a range that long: CHAIN_UNREACHABLE or
   * CHAIN_TX_FAILED, and the caller shows what it has without them).
   */
  async claimEvents(wallet: Address, fromBlock = 0n): Promise<ClaimEvent[]> {
    try {
      const logs = await this.publicClient.getContractEvents({ address: this.distributor, abi: PayoutDistributor.abi, eventName: 'Claimed', args: { wallet: getAddress(wallet) }, fromBlock, strict: true });
      return logs.map((l) => ({ period: Number(l.args.period), amount: l.args.amount, cumulative: l.args.cumulative, tx: l.transactionHash, block: l.blockNumber }));
    } catch (err) {
      throw chainError(err, `reading the payments to ${wallet}`);
    }
  }

  /** The token the distributor pays out, as the distributor itself says. */
  async distributorToken(): Promise<Address> {
    try {
      return await this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'token' });
    } catch (err) {
      throw chainError(err, "reading the distributor's token");
    }
  }

  /** The token's decimals (the ledger's micro-tokens are scaled to them). */
  async decimals(): Promise<number> {
    try {
      return await this.publicClient.readContract({ address: this.token, abi: ERC20_ABI, functionName: 'decimals' });
    } catch (err) {
      throw chainError(err, 'reading the token');
    }
  }

  /**
   * Publishes `period`'s root, funding the distributor up to the tree's total from the payer
   * (approving the distributor first when its allowance is short). Returns the transaction hash.
   */
  async publish(period: number, tree: Pick<PayoutTree, 'root' | 'total'>): Promise<Hex> {
    const wallet = this.wallet('publishing a root');
    const { funded } = await this.state();
    const added = tree.total - funded;
    if (added > 0n) {
      const allowance = await this.read(() => this.publicClient.readContract({ address: this.token, abi: ERC20_ABI, functionName: 'allowance', args: [wallet.account.address, this.distributor] }), 'reading the allowance');
      if (allowance < added) {
        await this.send('approving the distributor', () =>
          this.publicClient.simulateContract({ account: wallet.account, address: this.token, abi: ERC20_ABI, functionName: 'approve', args: [this.distributor, maxUint256] })
        );
      }
    }
    return await this.send(`publishing period ${period}`, () =>
      this.publicClient.simulateContract({ account: wallet.account, address: this.distributor, abi: DISTRIBUTOR_ABI, functionName: 'publish', args: [BigInt(period), tree.root, tree.total] })
    );
  }

  /**
   * Pays every leaf of `tree` not yet paid up to its amount, `batchSize` wallets a transaction
   * (claimMany skips wallets already paid, so a retried push pays no one twice).
   */
  async pushClaims(period: number, tree: PayoutTree, batchSize: number = CHAIN_DEFAULTS.claimBatchSize): Promise<{ transactions: Hex[]; wallets: number }> {
    this.wallet('pushing claims');
    const due: PayoutLeaf[] = [];
    for (const leaf of tree.leaves) if (leaf.cumulative > (await this.claimed(leaf.wallet))) due.push(leaf);
    const transactions: Hex[] = [];
    for (let i = 0; i < due.length; i += batchSize) {
      const batch = due.slice(i, i + batchSize);
      transactions.push(
        await this.send(`pushing ${batch.length} claims of period ${period}`, () =>
          this.publicClient.simulateContract({
            account: this.walletClient!.account,
            address: this.distributor,
            abi: DISTRIBUTOR_ABI,
            functionName: 'claimMany',
            args: [BigInt(period), batch.map((l) => l.wallet), batch.map((l) => l.cumulative), batch.map((l) => tree.proof(l.wallet)!)]
          })
        )
      );
    }
    return { transactions, wallets: due.length };
  }

  /** Submits one claim (anyone may: it pays the leaf's wallet). Returns the transaction hash. */
  async claim(period: number, leaf: PayoutLeaf, proof: Hex[]): Promise<Hex> {
    const wallet = this.wallet('claiming');
    return await this.send(`claiming ${leaf.cumulative} for ${leaf.wallet} under period ${period}`, () =>
      this.publicClient.simulateContract({ account: wallet.account, address: this.distributor, abi: DISTRIBUTOR_ABI, functionName: 'claim', args: [BigInt(period), getAddress(leaf.wallet), leaf.cumulative, proof] })
    );
  }

  private wallet(what: string): WalletClient<Transport, Chain, Account> {
    if (this.walletClient === undefined) throw new ChainError('CHAIN_CONFIG_INVALID', `${what} needs a private key`);
    return this.walletClient;
  }

  private async read<T>(f: () => Promise<T>, what: string): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw chainError(err, what);
    }
  }

  /** Simulates (naming a revert before gas is spent), sends, and waits for a successful receipt. */
  private async send(what: string, simulate: () => Promise<{ request: unknown }>): Promise<Hex> {
    const wallet = this.wallet(what);
    let hash: Hex;
    try {
      const { request } = await simulate();
      hash = await wallet.writeContract(request as Parameters<typeof wallet.writeContract>[0]);
    } catch (err) {
      throw chainError(err, what);
    }
    let receipt;
    try {
      receipt = await this.publicClient.waitForTransactionReceipt({ hash, timeout: this.confirmTimeoutMs });
    } catch (err) {
      throw chainError(err, `${what} (transaction ${hash})`);
    }
    if (receipt.status !== 'success') throw new ChainError('CHAIN_REVERTED', `${what}: transaction ${hash} reverted`, { reason: 'reverted' });
    return hash;
  }
}

async function chainIdOf(rpcUrl: string, timeoutMs: number): Promise<number> {
  try {
    const client = createPublicClient({ transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 0 }) });
    return await client.getChainId();
  } catch (err) {
    throw chainError(err, `connecting to ${rpcUrl}`);
  }
}

function chainOf(id: number, rpcUrl: string): Chain {
  return defineChain({ id, name: `chain ${id}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
}

export interface DeployedContracts {
  token: Address;
  distributor: Address;
}

/**
 * Deploys the payout contracts with `deployerKey` (devnets and tests): the devnet token unless
 * `token` names an existing one, and a distributor owned by `owner` (the deployer by default);
 * mints `mint` to each address given (devnet token only).
 */
export async function deployPayoutContracts(
  rpcUrl: string,
  deployerKey: Hex,
  options: { token?: Address; owner?: Address; mint?: { to: Address; amount: bigint }[] } = {}
): Promise<DeployedContracts> {
  const chain = chainOf(await chainIdOf(rpcUrl, CHAIN_DEFAULTS.requestTimeoutMs), rpcUrl);
  const account = privateKeyToAccount(deployerKey);
  const transport = http(rpcUrl, { retryCount: 0 });
  const wallet = createWalletClient({ chain, transport, account });
  const client = createPublicClient({ chain, transport, pollingInterval: CHAIN_DEFAULTS.pollingIntervalMs });
  const owner = options.owner ?? account.address;
  const deployed = async (hash: Hex, what: string): Promise<Address> => {
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: CHAIN_DEFAULTS.confirmTimeoutMs });
    if (receipt.status !== 'success' || receipt.contractAddress == null) throw new ChainError('CHAIN_TX_FAILED', `deploying the ${what} failed (${hash})`);
    return receipt.contractAddress;
  };
  try {
    let token = options.token;
    if (token === undefined) {
      token = await deployed(await wallet.deployContract({ abi: StowageToken.abi, bytecode: StowageToken.bytecode, args: [account.address] }), 'token');
      for (const m of options.mint ?? []) {
        const hash = await wallet.writeContract({ address: token, abi: StowageToken.abi, functionName: 'mint', args: [getAddress(m.to), m.amount] });
        await client.waitForTransactionReceipt({ hash });
      }
    }
    const distributor = await deployed(await wallet.deployContract({ abi: PayoutDistributor.abi, bytecode: PayoutDistributor.bytecode, args: [token, owner] }), 'distributor');
    return { token, distributor };
  } catch (err) {
    throw chainError(err, 'deploying the payout contracts');
  }
}
