// Payouts on chain (issue 21): after a period closes in the ledger, the satellite publishes one
// Merkle root over (wallet, cumulative amount) leaves to the distributor, funding it in the same
// transaction, then pushes every node's claim in batches. The publication is built once from the
// ledger and kept (PublicationDB) before anything is sent, so a satellite killed between publish
// and push resumes with the very same tree, and the chain's state says what was already done:
// a root on chain is not published again, a wallet paid is skipped by claimMany.
//
// Cumulative amounts per wallet: the previous publication's plus the period's net credits of the
// nodes whose registry wallet is that address now (a node that changes wallet is paid the new one
// from then on; the old wallet keeps what it was owed). A node with no valid EVM wallet is owed
// its credits in `unassigned` until it gives one; a node owed less than the minimum payout (with
// what it carried) is owed it in `carried` (Storj's threshold). A period's net credit below 0
// counts 0.
import type { Logger } from 'pino';
import { isAddress } from 'viem';
import { CREATE2_DEPLOYER, ChainError, buildPayoutTree, type Address, type Hex, type PayoutChain, type PayoutTree } from '../../chain/index.js';
import type { NodeDB } from '../overlay/index.js';
import type { LedgerDB } from './db.js';
import { parseTokens } from './tokens.js';

/** What was published for one period, kept before it is sent. */
export interface Publication {
  period: number;
  root: Hex;
  /** The sum of the leaves, in the token's base units (decimal string). */
  total: string;
  /** Wallet -> cumulative amount in base units (decimal strings), sorted by wallet. */
  wallets: Record<string, string>;
  /** Node -> micro-tokens owed to a node without a usable wallet, carried to the next period. */
  unassigned: Record<string, string>;
  /** Node -> micro-tokens owed but below the minimum payout, carried to the next period. */
  carried?: Record<string, string>;
  /** Node -> wallet it was paid to in this period (for its statement). */
  nodeWallets: Record<string, string>;
  /** Base units per micro-token (10^(decimals - 6)). */
  scale: string;
  /** The distributor and token it was built for: cumulative amounts mean nothing on another. */
  distributor?: string;
  token?: string;
  state: 'built' | 'published' | 'pushed';
  publishTx?: Hex;
  pushTxs: Hex[];
  /** The last failure, for the admin API. */
  error?: string;
}

export interface PublicationDB {
  publication(period: number): Promise<Publication | undefined>;
  /** The publication of the highest period, if any. */
  lastPublication(): Promise<Publication | undefined>;
  putPublication(p: Publication): Promise<void>;
}

/**
 * A wallet the satellite can pay: an EVM address (a mixed-case one must carry a valid checksum: a
 * typo is not paid), not the zero address (the token refuses to pay it).
 */
function payable(wallet: string | undefined): wallet is string {
  return wallet !== undefined && isAddress(wallet, { strict: true }) && !/^0x0{40}$/i.test(wallet);
}

/**
 * The publication of `period` from the previous one and the period's ledger entries (pure: the
 * satellite builds it once and keeps it).
 */
export function buildPublication(
  period: number,
  previous: Pick<Publication, 'wallets' | 'unassigned' | 'carried'> | undefined,
  entries: readonly { nodeId: string; amount: string }[],
  walletOf: (nodeId: string) => string | undefined,
  scale: bigint,
  /** Micro-tokens: a node owed less than this (with what it carried) is paid in a later period. */
  minimumPayout = 0n
): { publication: Publication; tree: PayoutTree | undefined } {
  const net = new Map<string, bigint>();
  for (const [nodeId, owed] of [...Object.entries(previous?.unassigned ?? {}), ...Object.entries(previous?.carried ?? {})]) net.set(nodeId, (net.get(nodeId) ?? 0n) + BigInt(owed));
  for (const e of entries) net.set(e.nodeId, (net.get(e.nodeId) ?? 0n) + parseTokens(e.amount));
  const wallets = new Map<string, bigint>(Object.entries(previous?.wallets ?? {}).map(([w, c]) => [w.toLowerCase(), BigInt(c)]));
  const unassigned: Record<string, string> = {};
  const carried: Record<string, string> = {};
  const nodeWallets: Record<string, string> = {};
  for (const [nodeId, units] of [...net].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (units <= 0n) continue;
    if (units < minimumPayout) {
      carried[nodeId] = units.toString();
      continue;
    }
    const wallet = walletOf(nodeId);
    if (!payable(wallet)) {
      unassigned[nodeId] = units.toString();
      continue;
    }
    const w = wallet.toLowerCase();
    nodeWallets[nodeId] = w;
    wallets.set(w, (wallets.get(w) ?? 0n) + units * scale);
  }
  const sorted = [...wallets].sort(([a], [b]) => (a < b ? -1 : 1));
  const tree = sorted.length === 0 ? undefined : buildPayoutTree(sorted.map(([wallet, cumulative]) => ({ wallet: wallet as Address, cumulative })));
  return {
    tree,
    publication: {
      period,
      root: tree?.root ?? '0x',
      total: (tree?.total ?? 0n).toString(),
      wallets: Object.fromEntries(sorted.map(([w, c]) => [w, c.toString()])),
      unassigned,
      ...(Object.keys(carried).length > 0 ? { carried } : {}),
      nodeWallets,
      scale: scale.toString(),
      state: 'built',
      pushTxs: []
    }
  };
}

/** The tree a kept publication stands for. */
export function publicationTree(p: Publication): PayoutTree | undefined {
  const leaves = Object.entries(p.wallets).map(([wallet, c]) => ({ wallet: wallet as Address, cumulative: BigInt(c) }));
  return leaves.length === 0 ? undefined : buildPayoutTree(leaves);
}

export interface PublisherDeps {
  ledger: LedgerDB;
  registry: NodeDB;
  publications: PublicationDB;
  /** The chain client, connected on first use (CHAIN_UNREACHABLE until the endpoint answers). */
  chain: () => Promise<PayoutChain>;
  log: Logger;
}

export class PayoutPublisher {
  private scale: bigint | undefined;
  private running: Promise<Publication[]> | undefined;

  constructor(
    private readonly d: PublisherDeps,
    private readonly config: { claimBatchSize: number; push: boolean; minimumPayout?: string }
  ) {}

  /** Closed periods not yet published and pushed, oldest first. */
  async backlog(): Promise<number[]> {
    const last = (await this.d.ledger.lastPeriod())?.period ?? 0;
    const out: number[] = [];
    for (let p = 1; p <= last; p++) if ((await this.d.publications.publication(p))?.state !== 'pushed') out.push(p);
    return out;
  }

  /**
   * Publishes and pushes every closed period not yet done, in order; stops at the first failure
   * (kept in the publication's `error`, thrown as a ChainError) so the next run resumes there.
   */
  async publishPending(): Promise<Publication[]> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<Publication[]> {
    const done: Publication[] = [];
    let backlog = await this.backlog();
    if (backlog.length === 0 && (await this.latestUndone())) backlog = await this.backlog();
    if (backlog.length === 0) return done;
    const chain = await this.d.chain();
    await this.checkContracts(chain);
    for (const period of backlog) done.push(await this.publishPeriod(chain, period));
    return done;
  }

  /**
   * Whether the latest publication, done, has lost its root on chain (a reorganisation deeper
   * than the confirmations, or a chain reset): then it is marked to be published again, and
   * pushed again (claimMany skips the wallets still paid). Earlier periods need nothing: the
   * cumulative amounts of the latest pay everything they owed. A chain that does not answer is
   * asked again next round (nothing is owed now).
   */
  private async latestUndone(): Promise<boolean> {
    const last = await this.d.publications.lastPublication();
    if (last?.state !== 'pushed' || Object.keys(last.wallets).length === 0) return false;
    let undone: boolean;
    try {
      const chain = await this.d.chain();
      // Another distributor than the record's says nothing about it (publishing refuses it anyway).
      this.sameContracts(chain, last, undefined);
      // Undone means both: no root for it, and its publish transaction no longer in the chain (one
      // read of a backend that lags behind would see only the first).
      undone = (await chain.root(last.period)) === undefined && (last.publishTx === undefined || !(await chain.mined(last.publishTx)));
    } catch (err) {
      this.d.log.debug({ err, period: last.period }, 'could not check the latest payout root on chain');
      return false;
    }
    if (!undone) return false;
    this.d.log.warn({ period: last.period, root: last.root, tx: last.publishTx }, 'payout root no longer on chain (a reorganisation undid its publication): publishing it again');
    const again: Publication = { ...last, state: 'built' };
    delete again.publishTx;
    await this.d.publications.putPublication(again);
    return true;
  }

  private contractsChecked = false;

  /**
   * Before the first transaction: the distributor must be Stowage's (its code, and its address
   * as the deterministic deployer gives it for our creation code), pay the configured token, and
   * be owned by the payer. The payer approves it for any amount: never for another contract.
   */
  private async checkContracts(chain: PayoutChain): Promise<void> {
    if (this.contractsChecked) return;
    if (!(await chain.distributorIsOurs())) {
      throw new ChainError('CHAIN_CONFIG_INVALID', `the contract at ${chain.distributor} is not Stowage's PayoutDistributor, created through ${CREATE2_DEPLOYER} with this version's code: the satellite does not approve or fund it`);
    }
    const token = await chain.distributorToken();
    if (token.toLowerCase() !== chain.token.toLowerCase()) throw new ChainError('CHAIN_CONFIG_INVALID', `the distributor pays token ${token}, the satellite is set to ${chain.token}`);
    const owner = await chain.owner();
    if (chain.account !== undefined && owner.toLowerCase() !== chain.account.address.toLowerCase()) {
      throw new ChainError('CHAIN_CONFIG_INVALID', `the distributor's owner is ${owner}, the payer is ${chain.account.address}: only the owner can publish`);
    }
    this.contractsChecked = true;
  }

  /**
   * Refuses to go on when earlier publications went to another distributor or token (or another
   * scale): their cumulative amounts would be paid again in full by a distributor that has paid
   * nobody yet.
   */
  private sameContracts(chain: PayoutChain, p: Publication, scale: bigint | undefined): void {
    const other = (p.distributor !== undefined && p.distributor.toLowerCase() !== chain.distributor.toLowerCase()) || (p.token !== undefined && p.token.toLowerCase() !== chain.token.toLowerCase());
    if (other || (scale !== undefined && BigInt(p.scale) !== scale)) {
      throw new ChainError(
        'CHAIN_CONFIG_INVALID',
        `period ${p.period} was published for distributor ${p.distributor ?? '?'} and token ${p.token ?? '?'} (scale ${p.scale}); this satellite is set to ${chain.distributor} and ${chain.token}: the distributor and token cannot change once periods are published (their cumulative amounts would be paid again)`
      );
    }
  }

  private async publishPeriod(chain: PayoutChain, period: number): Promise<Publication> {
    let pub = await this.d.publications.publication(period);
    if (pub === undefined) {
      const previous = period > 1 ? await this.d.publications.publication(period - 1) : undefined;
      if (period > 1 && previous === undefined) throw new Error(`period ${period - 1} has no publication`);
      const entries = await this.d.ledger.list({ period });
      const wallets = new Map<string, string>();
      for await (const n of this.d.registry.list()) wallets.set(n.id, n.wallet);
      if (this.scale === undefined) {
        const decimals = await chain.decimals();
        // The ledger counts micro-tokens: a token with fewer decimals cannot pay them exactly.
        if (decimals < 6) throw new ChainError('CHAIN_CONFIG_INVALID', `the token has ${decimals} decimals: payouts need at least 6`);
        this.scale = 10n ** BigInt(decimals - 6);
      }
      if (previous !== undefined) this.sameContracts(chain, previous, this.scale);
      pub = { ...buildPublication(period, previous, entries, (id) => wallets.get(id), this.scale, parseTokens(this.config.minimumPayout ?? '0')).publication, distributor: chain.distributor, token: chain.token };
      await this.d.publications.putPublication(pub);
    }
    this.sameContracts(chain, pub, this.scale);
    const tree = publicationTree(pub);
    try {
      if (pub.state === 'published' && tree !== undefined && (await chain.root(period)) === undefined) {
        // Recorded as published, yet the chain has no root for it: a reorganisation undid the
        // transaction after it was counted (or a chain reset). Publish it again: the pushes
        // would all revert with UnknownPeriod.
        this.d.log.warn({ period, root: pub.root, tx: pub.publishTx }, 'payout root no longer on chain (a reorganisation undid its publication): publishing it again');
        pub = { ...pub, state: 'built' };
        delete pub.publishTx;
      }
      if (pub.state === 'built') {
        if (tree !== undefined) {
          const onChain = await chain.root(period);
          if (onChain === undefined) {
            pub.publishTx = await chain.publish(period, tree);
          } else if (onChain.toLowerCase() !== tree.root.toLowerCase()) {
            throw new Error(`period ${period}'s root on chain ${onChain} is not the satellite's ${tree.root}`);
          } else {
            // Sent before a crash, found now: recorded only once it is as deep as a fresh send.
            await chain.rootConfirmed(period, tree.root);
          }
        }
        pub = { ...pub, state: 'published' };
        delete pub.error;
        await this.d.publications.putPublication(pub);
        this.d.log.info({ period, root: pub.root, total: pub.total, tx: pub.publishTx }, 'payout root published');
      }
      if (tree !== undefined && this.config.push) {
        const pushed = await chain.pushClaims(period, tree, this.config.claimBatchSize);
        pub = { ...pub, pushTxs: [...pub.pushTxs, ...pushed.transactions] };
      }
      pub = { ...pub, state: 'pushed' };
      delete pub.error;
      await this.d.publications.putPublication(pub);
      this.d.log.info({ period, wallets: Object.keys(pub.wallets).length, transactions: pub.pushTxs.length }, 'payout claims pushed');
      return pub;
    } catch (err) {
      // A push refused for an unknown period: the root went between publish and push (a
      // reorganisation); the next attempt checks and publishes again.
      await this.d.publications.putPublication({ ...pub, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }
}
