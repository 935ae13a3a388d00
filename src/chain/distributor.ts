// The satellite's and the node's view of the payout contracts, over any EVM JSON-RPC endpoint
// (viem): publish a period's root (funding the distributor in the same transaction), push claims
// in batches, submit one claim, read what the chain holds. Every call that sends a transaction
// simulates it first, so a revert is named (the contract's custom error) before gas is spent.
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  TransactionReceiptNotFoundError,
  type TransactionReceipt,
  createPublicClient,
  createWalletClient,
  defineChain,
  concat,
  encodeAbiParameters,
  getAddress,
  getContractAddress,
  hexToBytes,
  http,
  keccak256,
  parseAbi,
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
/**
 * `approve` as every ERC-20 has it, its answer not read: some (USDT) return nothing where the
 * standard says a bool, and a call decoded as the standard says would fail on them.
 */
const APPROVE_ABI = parseAbi(['function approve(address spender, uint256 amount)']);
/** Errors that mean the payer has not the tokens (or allowance) to fund what it publishes. */
const FUNDS_ERRORS = new Set(['ERC20InsufficientBalance', 'ERC20InsufficientAllowance']);

export const CHAIN_DEFAULTS = {
  /** Claims per claimMany transaction: about 40 k gas each, so 100 stay far below a block. */
  claimBatchSize: 100,
  /** How long to wait for a transaction's receipt, fee bumps included. */
  confirmTimeoutMs: 60_000,
  /**
   * A transaction not mined within this (dropped from the mempool, or priced under the market) is
   * sent again with the same nonce and fees raised by FEE_BUMP_PERCENT.
   */
  bumpAfterMs: 15_000,
  /** One JSON-RPC request's timeout. */
  requestTimeoutMs: 10_000,
  /** How often a transaction's receipt is asked for while waiting (viem's default is 4 s). */
  pollingIntervalMs: 250,
  /**
   * Blocks a transaction must be under (its own included) before it counts as done: 1 takes the
   * receipt as final (a devnet, anvil); on a chain whose blocks can be reorganised, more.
   */
  confirmations: 1
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
  bumpAfterMs?: number;
  /** Blocks a transaction must be under, its own included (1). */
  confirmations?: number;
  /** Told of every transaction sent (attempt 0, then each fee bump), for the caller's log. */
  onTransaction?: (sent: SentTransaction) => void;
}

export interface SentTransaction {
  what: string;
  hash: Hex;
  nonce: number;
  /** 0 for the first send, n for the n-th fee bump. */
  attempt: number;
  fees: Fees;
  /** True when this transaction, mined, was then taken out of the chain by a reorganisation. */
  reorged?: boolean;
}

/** EIP-1559 fees, or a legacy gas price on a chain without a base fee. */
type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

/**
 * The deterministic deployment proxy (Arachnid's; on anvil, and at this address on most EVM
 * chains): a distributor created through it has an address that commits to its creation code and
 * constructor arguments, which a reader checks.
 */
export const CREATE2_DEPLOYER: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
/** Times one transaction may be taken out by reorganisations before it is given up. */
export const MAX_REORGS = 3;

/** How much a resend raises the fees (a node replaces a pending transaction for 10 % more). */
export const FEE_BUMP_PERCENT = 25n;
/** Fee bumps of one transaction before it is given up (CHAIN_TX_FAILED). */
export const MAX_FEE_BUMPS = 4;

function bumped(fees: Fees): Fees {
  const up = (x: bigint): bigint => (x * (100n + FEE_BUMP_PERCENT)) / 100n + 1n;
  return 'gasPrice' in fees ? { gasPrice: up(fees.gasPrice) } : { maxFeePerGas: up(fees.maxFeePerGas), maxPriorityFeePerGas: up(fees.maxPriorityFeePerGas) };
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
  private readonly bumpAfterMs: number;
  private readonly pollingIntervalMs: number;
  private readonly confirmations: number;
  private readonly chain: Chain;
  private deployedAtBlock: Promise<bigint> | undefined;
  private readonly onTransaction: ((sent: SentTransaction) => void) | undefined;

  private constructor(config: PayoutChainConfig, chain: Chain) {
    this.chain = chain;
    this.token = getAddress(config.token);
    this.distributor = getAddress(config.distributor);
    const transport = http(config.rpcUrl, { timeout: config.requestTimeoutMs ?? CHAIN_DEFAULTS.requestTimeoutMs, retryCount: 0 });
    this.publicClient = createPublicClient({ chain, transport, pollingInterval: config.pollingIntervalMs ?? CHAIN_DEFAULTS.pollingIntervalMs });
    this.account = config.privateKey === undefined ? undefined : privateKeyToAccount(config.privateKey);
    this.walletClient = this.account === undefined ? undefined : createWalletClient({ chain, transport, account: this.account });
    this.confirmTimeoutMs = config.confirmTimeoutMs ?? CHAIN_DEFAULTS.confirmTimeoutMs;
    this.bumpAfterMs = config.bumpAfterMs ?? CHAIN_DEFAULTS.bumpAfterMs;
    this.pollingIntervalMs = config.pollingIntervalMs ?? CHAIN_DEFAULTS.pollingIntervalMs;
    this.confirmations = config.confirmations ?? CHAIN_DEFAULTS.confirmations;
    if (!Number.isInteger(this.confirmations) || this.confirmations < 1) throw new ChainError('CHAIN_CONFIG_INVALID', `confirmations must be an integer of at least 1, got ${this.confirmations}`);
    this.onTransaction = config.onTransaction;
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
   * distributor's own first block; a public endpoint may refuse a range that long:
   * CHAIN_UNREACHABLE or CHAIN_TX_FAILED, and the caller shows what it has without them).
   */
  async claimEvents(wallet: Address, fromBlock?: bigint): Promise<ClaimEvent[]> {
    fromBlock ??= await this.deployedAt();
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

  /** The block the distributor was created in (where its events begin). */
  async deployedAt(): Promise<bigint> {
    return (this.deployedAtBlock ??= this.read(() => this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'deployedAt' }), "reading the distributor's first block").catch(
      (err: unknown) => {
        this.deployedAtBlock = undefined;
        throw err;
      }
    ));
  }

  /**
   * Whether the code at the distributor's address is Stowage's PayoutDistributor, as this
   * version compiles it (its immutables aside: the token and the first block). A contract of
   * other code could answer roots and payments as it likes.
   */
  async distributorIsOurs(): Promise<boolean> {
    const code = await this.read(() => this.publicClient.getCode({ address: this.distributor }), "reading the distributor's code");
    if (code === undefined || !sameCodeBesidesImmutables(hexToBytes(code), hexToBytes(PayoutDistributor.deployedBytecode), PayoutDistributor.immutableRanges)) return false;
    // Our runtime code could have been put there by other creation code that wrote storage first
    // (a `claimed` of its choosing): the address must be the one our creation code, with the
    // arguments the contract holds, gets from the deterministic deployer.
    const read = <F extends 'token' | 'initialOwner' | 'deploySalt'>(functionName: F) =>
      this.read(() => this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName }), `reading the distributor's ${functionName}`);
    const [token, owner, salt] = await Promise.all([read('token'), read('initialOwner'), read('deploySalt')]);
    return getAddress(distributorAddress(token, owner, salt)) === this.distributor;
  }

  /**
   * Waits until `period`'s root `root` is on chain `confirmations` deep: read at the block
   * `confirmations - 1` below the head (recent state, which every node keeps; no log range that a
   * provider might refuse). At once with 1: a root found on chain after a crash was perhaps sent
   * a block ago. CHAIN_TX_FAILED when the root leaves the chain meanwhile (a reorganisation: the
   * next attempt publishes again) or the chain makes no block for `confirmTimeoutMs`.
   */
  async rootConfirmed(period: number, root: Hex): Promise<void> {
    if (this.confirmations <= 1) return;
    const what = `confirming period ${period}'s root`;
    let highest = -1n;
    let lastProgress = Date.now();
    for (;;) {
      const head = await this.read(() => this.publicClient.getBlockNumber({ cacheTime: 0 }), what);
      if (head > highest) {
        highest = head;
        lastProgress = Date.now();
      }
      const deep = head - BigInt(this.confirmations) + 1n;
      const rootAt = async (blockNumber: bigint | undefined): Promise<Hex> =>
        await this.read(() => this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'roots', args: [BigInt(period)], ...(blockNumber === undefined ? {} : { blockNumber }) }), what);
      if (deep >= 0n && (await rootAt(deep)).toLowerCase() === root.toLowerCase()) return;
      if ((await rootAt(undefined)).toLowerCase() !== root.toLowerCase()) throw new ChainError('CHAIN_TX_FAILED', `${what}: the root left the chain (a reorganisation); the next attempt publishes again`);
      if (Date.now() - lastProgress >= this.confirmTimeoutMs) throw new ChainError('CHAIN_TX_FAILED', `${what}: the chain made no block for ${this.confirmTimeoutMs} ms while the root waited for ${this.confirmations} confirmations`);
      await new Promise((r) => setTimeout(r, this.pollingIntervalMs));
    }
  }

  /** Whether the chain holds a receipt for `hash` (a transaction mined and not taken out since). */
  async mined(hash: Hex): Promise<boolean> {
    try {
      await this.publicClient.getTransactionReceipt({ hash });
      return true;
    } catch (err) {
      if (err instanceof TransactionReceiptNotFoundError) return false;
      throw chainError(err, `asking for the receipt of ${hash}`);
    }
  }

  /** The account that may publish (the distributor's owner now). */
  async owner(): Promise<Address> {
    return await this.read(() => this.publicClient.readContract({ address: this.distributor, abi: PayoutDistributor.abi, functionName: 'owner' }), "reading the distributor's owner");
  }

  /**
   * Connects to the distributor at `distributor` with the token it pays, as it says (a caller
   * that pins a token gets CHAIN_CONTRACT_MISMATCH when it pays another), and says whether its
   * code is ours. Reads only.
   */
  static async connectToDistributor(
    rpcUrl: string,
    distributor: Address,
    pinned: { token?: string } = {},
    options: Omit<PayoutChainConfig, 'rpcUrl' | 'token' | 'distributor'> = {}
  ): Promise<{ chain: PayoutChain; codeIsOurs: boolean }> {
    // A placeholder token only to ask the distributor for its own.
    const probe = await PayoutChain.connect({ ...options, rpcUrl, distributor, token: distributor });
    const token = await probe.distributorToken();
    if (pinned.token !== undefined && pinned.token !== '' && pinned.token.toLowerCase() !== token.toLowerCase()) {
      throw new ChainError('CHAIN_CONTRACT_MISMATCH', `the distributor ${probe.distributor} pays token ${token}, this node is set to ${pinned.token}`);
    }
    const chain = new PayoutChain({ ...options, rpcUrl, distributor, token }, probe.chain);
    return { chain, codeIsOurs: await chain.distributorIsOurs() };
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
        // Some tokens (USDT) refuse to change one non-zero allowance into another: zero first.
        if (allowance > 0n) {
          await this.send('resetting the allowance', () =>
            this.publicClient.simulateContract({ account: wallet.account, address: this.token, abi: APPROVE_ABI, functionName: 'approve', args: [this.distributor, 0n] })
          );
        }
        await this.send('approving the distributor', () =>
          this.publicClient.simulateContract({ account: wallet.account, address: this.token, abi: APPROVE_ABI, functionName: 'approve', args: [this.distributor, maxUint256] })
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

  /**
   * Simulates (naming a revert before gas is spent), sends, and waits for a successful receipt.
   * The nonce is the account's next one on chain (not counting its pending transactions): every
   * send of this client is awaited before the next, so a transaction of this account still pending
   * is one a crash or a timeout left behind, and this one replaces it. A transaction not mined
   * within `bumpAfterMs` is sent again with the same nonce and fees raised by FEE_BUMP_PERCENT
   * (a dropped one is sent again; a stuck one is replaced), at most MAX_FEE_BUMPS times, and
   * whichever of them is mined is the answer: never two, they share the nonce.
   */
  private async send(what: string, simulate: () => Promise<{ request: unknown }>): Promise<Hex> {
    const wallet = this.wallet(what);
    const address = wallet.account.address;
    let request: Parameters<typeof wallet.writeContract>[0];
    let nonce: number;
    let fees: Fees;
    try {
      request = (await simulate()).request as typeof request;
      nonce = await this.publicClient.getTransactionCount({ address, blockTag: 'latest' });
      fees = await this.fees();
      // The gas limit once, against the mined state: a replacement estimated against the pool
      // (where the transaction it replaces already ran) would revert. A fifth more for headroom:
      // only the gas used is paid.
      const call = request as unknown as { address: Address; abi: readonly unknown[]; functionName: string; args?: readonly unknown[] };
      const estimate = await this.publicClient.estimateContractGas({
        address: call.address,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args,
        account: wallet.account,
        blockTag: 'latest'
      } as unknown as Parameters<PublicClient['estimateContractGas']>[0]);
      request = { ...request, gas: (estimate * 6n) / 5n };
    } catch (err) {
      throw chainError(err, what);
    }
    const sent: Hex[] = [];
    let reorgs = 0;
    let deadline = Date.now() + this.confirmTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const hash = await wallet.writeContract({ ...request, nonce, ...fees } as typeof request);
        sent.push(hash);
        this.onTransaction?.({ what, hash, nonce, attempt, fees });
      } catch (err) {
        // Nothing sent yet: the endpoint refused it outright. Else the nonce may be used already
        // (an earlier send was mined meanwhile) or the replacement refused: wait on those sent.
        if (sent.length === 0) {
          const e = chainError(err, what);
          // Underpriced against a leftover of ours, say: at once again, dearer, with the nonce
          // as it is now; unreachable or unfunded is final.
          if (attempt >= MAX_FEE_BUMPS || e.code === 'CHAIN_UNREACHABLE' || e.code === 'CHAIN_INSUFFICIENT_FUNDS') throw e;
          fees = bumped(fees);
          nonce = await this.read(() => this.publicClient.getTransactionCount({ address, blockTag: 'latest' }), what);
          continue;
        }
      }
      const receipt = await this.firstReceipt(sent, Math.max(0, Math.min(this.bumpAfterMs, deadline - Date.now())));
      if (receipt !== undefined) {
        const final = await this.confirmed(receipt, what);
        if (final !== undefined) {
          if (final.status !== 'success') throw new ChainError('CHAIN_REVERTED', `${what}: transaction ${final.transactionHash} reverted`, { reason: 'reverted' });
          return final.transactionHash;
        }
        // A reorganisation took it out of the chain: it may come back from the pool, or not. Wait
        // for it as for a new send (and send it again, dearer, if it does not come back).
        this.onTransaction?.({ what, hash: receipt.transactionHash, nonce, attempt, fees, reorged: true });
        // Bounded: an endpoint whose backends disagree could report it found and gone forever.
        if (++reorgs > MAX_REORGS) throw new ChainError('CHAIN_TX_FAILED', `${what}: transaction ${receipt.transactionHash} was taken out of the chain ${reorgs} times (or the endpoint's backends disagree); the next attempt replaces it`);
        deadline = Date.now() + this.confirmTimeoutMs;
        attempt = Math.min(attempt, MAX_FEE_BUMPS - 1);
        continue;
      }
      if (Date.now() >= deadline || attempt >= MAX_FEE_BUMPS) {
        throw new ChainError('CHAIN_TX_FAILED', `${what}: not mined within ${this.confirmTimeoutMs} ms after ${attempt} fee bumps (${sent.join(', ') || 'nothing sent'}); the next attempt replaces it`);
      }
      fees = bumped(fees);
    }
  }

  /**
   * `receipt` once `confirmations` blocks are on top of its own block (counted from it), as the
   * chain then says (a transaction moved to another block by a reorganisation is waited for
   * there); undefined when the chain no longer holds it. CHAIN_TX_FAILED when the chain makes
   * no block for `confirmTimeoutMs`.
   */
  private async confirmed(receipt: TransactionReceipt, what: string): Promise<TransactionReceipt | undefined> {
    if (this.confirmations <= 1) return receipt;
    let current = receipt;
    let highest = -1n;
    let moves = 0;
    let lastProgress = Date.now();
    for (;;) {
      const head = await this.read(() => this.publicClient.getBlockNumber({ cacheTime: 0 }), `waiting for confirmations of ${current.transactionHash}`);
      // Progress is a head higher than any seen (one that goes back and forth is not).
      if (head > highest) {
        highest = head;
        lastProgress = Date.now();
      }
      if (head >= current.blockNumber + BigInt(this.confirmations) - 1n) {
        let now: TransactionReceipt;
        try {
          now = await this.publicClient.getTransactionReceipt({ hash: current.transactionHash });
        } catch (err) {
          if (err instanceof TransactionReceiptNotFoundError) return undefined;
          throw chainError(err, `asking for the receipt of ${current.transactionHash}`);
        }
        if (now.blockHash === current.blockHash) return now;
        // Moved to another block by a reorganisation: its confirmations count from there.
        if (++moves > MAX_REORGS) throw new ChainError('CHAIN_TX_FAILED', `${what}: transaction ${current.transactionHash} moved between blocks ${moves} times while waiting for ${this.confirmations} confirmations`);
        current = now;
      }
      if (Date.now() - lastProgress >= this.confirmTimeoutMs) {
        throw new ChainError('CHAIN_TX_FAILED', `${what}: the chain made no block for ${this.confirmTimeoutMs} ms while transaction ${current.transactionHash} waited for ${this.confirmations} confirmations`);
      }
      await new Promise((r) => setTimeout(r, this.pollingIntervalMs));
    }
  }

  /** The chain's fees now: EIP-1559 when it has a base fee, else a legacy gas price. */
  private async fees(): Promise<Fees> {
    const block = await this.publicClient.getBlock({ blockTag: 'latest' });
    if (block.baseFeePerGas === null) return { gasPrice: await this.publicClient.getGasPrice() };
    const { maxFeePerGas, maxPriorityFeePerGas } = await this.publicClient.estimateFeesPerGas();
    return { maxFeePerGas, maxPriorityFeePerGas };
  }

  /** The receipt of whichever of `hashes` is mined first within `waitMs`; undefined if none is. */
  private async firstReceipt(hashes: readonly Hex[], waitMs: number): Promise<TransactionReceipt | undefined> {
    const until = Date.now() + waitMs;
    for (;;) {
      for (const hash of hashes) {
        try {
          return await this.publicClient.getTransactionReceipt({ hash });
        } catch (err) {
          if (!(err instanceof TransactionReceiptNotFoundError)) throw chainError(err, `asking for the receipt of ${hash}`);
        }
      }
      if (Date.now() >= until) return undefined;
      await new Promise((r) => setTimeout(r, Math.min(this.pollingIntervalMs, Math.max(1, until - Date.now()))));
    }
  }
}

/** The address the deterministic deployer gives a distributor of (token, owner, salt). */
export function distributorAddress(token: Address, owner: Address, salt: Hex): Address {
  const initCode = concat([PayoutDistributor.bytecode, encodeAbiParameters([{ type: 'address' }, { type: 'address' }, { type: 'bytes32' }], [getAddress(token), getAddress(owner), salt])]);
  return getContractAddress({ opcode: 'CREATE2', from: CREATE2_DEPLOYER, salt, bytecodeHash: keccak256(initCode) });
}

/** `code` is `ours` but in the byte ranges where immutables go. */
function sameCodeBesidesImmutables(code: Uint8Array, ours: Uint8Array, immutables: readonly (readonly [number, number])[]): boolean {
  if (code.length !== ours.length) return false;
  const skip = new Uint8Array(code.length);
  for (const [start, length] of immutables) skip.fill(1, start, start + length);
  for (let i = 0; i < code.length; i++) if (skip[i] === 0 && code[i] !== ours[i]) return false;
  return true;
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
  /** `salt`: the CREATE2 salt of the distributor (random by default). */
  options: { token?: Address; owner?: Address; mint?: { to: Address; amount: bigint }[]; salt?: Hex } = {}
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
    // Through the deterministic deployer: calldata is the salt then the creation code.
    if ((await client.getCode({ address: CREATE2_DEPLOYER })) === undefined) {
      throw new ChainError('CHAIN_CONFIG_INVALID', `the chain has no deterministic deployer at ${CREATE2_DEPLOYER} (github.com/Arachnid/deterministic-deployment-proxy): deploy it first`);
    }
    const salt: Hex = options.salt ?? keccak256(crypto.getRandomValues(new Uint8Array(32)));
    const distributor = distributorAddress(token, owner, salt);
    const initCode = concat([PayoutDistributor.bytecode, encodeAbiParameters([{ type: 'address' }, { type: 'address' }, { type: 'bytes32' }], [getAddress(token), getAddress(owner), salt])]);
    const hash = await wallet.sendTransaction({ to: CREATE2_DEPLOYER, data: concat([salt, initCode]) });
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: CHAIN_DEFAULTS.confirmTimeoutMs });
    if (receipt.status !== 'success' || (await client.getCode({ address: distributor })) === undefined) throw new ChainError('CHAIN_TX_FAILED', `deploying the distributor failed (${hash})`);
    return { token, distributor };
  } catch (err) {
    throw chainError(err, 'deploying the payout contracts');
  }
}
