// The node's view of its pay on chain, for its dashboard (GET /api/payouts) and `stowage node
// earnings`: per period the statement's amount, the satellite's leaf checked against the root the
// distributor holds, the transactions that published and paid it, and whether it is claimed or
// pending; per wallet what the verified statements owe against what the distributor paid and the
// wallet holds. Nothing the satellite says about the chain is trusted: roots, payments (Claimed
// events) and balances are read from the chain; the satellite's leaf only counts under its root.
import { ChainError, PayoutChain, verifyPayoutLeaf, type Address, type ClaimEvent, type Hex } from '../chain/index.js';
import { parseAmount, type KeptClaim, type KeptStatement } from './earnings.js';

export type PeriodPayStatus =
  /** The distributor has paid the wallet at least what it was owed through this period. */
  | 'claimed'
  /** The period's root is on chain with the node's leaf under it; the wallet is not paid it yet. */
  | 'pending'
  /** No leaf of this period (not published yet, or nothing owed to a payable wallet) and not paid yet. */
  | 'unpublished'
  /** The satellite's leaf is not under the root on chain, or there is no root for it: do not trust it. */
  | 'flagged'
  /** The statements owe nothing through this period. */
  | 'nothing-owed'
  /** The statement pays another wallet than the one shown (the node changed wallet). */
  | 'other-wallet'
  /** No chain to check against (no chainRpc, or it did not answer). */
  | 'unchecked';

export interface PeriodPay {
  period: number;
  periodEnd: number;
  /** The statement's total: micro-tokens, decimal text with 6 places. */
  amount: string;
  wallet: string;
  /** What this wallet's statements owe through this period, token base units (null: unknown scale). */
  owedThrough: string | null;
  /** The satellite's leaf of this period, when it gave one, and whether it is under the root on chain. */
  leaf: { cumulative: string; underRoot: boolean | null; rootOnChain: string | null } | null;
  publishTx: string | null;
  pushTxs: string[];
  /** The distributor's payments to the wallet proved under this period's root (from its events). */
  payments: { tx: string; amount: string }[];
  status: PeriodPayStatus;
  message: string;
}

export type WalletPayState = 'paid' | 'pending' | 'short' | 'nothing-owed';

export interface WalletPay {
  wallet: string;
  /** Token base units, decimal text. The statements' positive totals summed and scaled. */
  owed: string;
  /** The cumulative amount of the latest leaf under a root on chain (null: none). */
  published: string | null;
  /** What the distributor has paid the wallet (its `claimed`), and the wallet's balance. */
  paid: string;
  balance: string;
  /** The wallet holds less than the distributor paid it: tokens moved out of it. */
  balanceBelowPaid: boolean;
  state: WalletPayState;
  message: string;
}

export interface SatellitePay {
  satelliteId: string;
  distributor: string | null;
  token: string | null;
  /** The token's decimals; the ledger's micro-tokens are scaled by 10^(decimals - 6). */
  decimals: number | null;
  /**
   * The node's operator named this distributor (`distributor`); false: it is the one the
   * satellite's leaf names, and a contract of the satellite's own could say anything.
   */
  distributorPinned: boolean;
  /**
   * The node's operator named the token (`token`); false: it is the one the distributor pays, and
   * an honest distributor of the satellite's may pay a token of the satellite's own.
   */
  tokenPinned: boolean;
  /** The distributor's code: Stowage's PayoutDistributor ('stowage'), other code ('other'), not read (null). */
  distributorCode: 'stowage' | 'other' | null;
  wallet: WalletPay | null;
  periods: PeriodPay[];
  /** Why the chain could not be checked (unreachable, a contract other than the one pinned). */
  error: { code: string; message: string } | null;
}

/** What the chain says, read once per view (chain-facts below); undefined: no chain checked. */
export interface ChainFacts {
  distributor: string;
  token: string;
  decimals: number;
  /** Period -> the root the distributor holds (absent: none). */
  roots: Map<number, string>;
  claimed: bigint;
  balance: bigint;
  /** The wallet's Claimed events; undefined when the endpoint would not give them. */
  events: ClaimEvent[] | undefined;
  /** The distributor's code is Stowage's PayoutDistributor: else its roots and payments prove nothing. */
  codeIsOurs: boolean;
}

/** A wallet the satellite pays on chain (the same test as its publisher, but not checksum-strict). */
const isWallet = (w: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(w) && !/^0x0{40}$/i.test(w);

/**
 * The wallet the view is about: the node's own (`ownWallet`, its --wallet) when it is an EVM
 * address, else the latest statement's (the satellite's word: it signs the wallet it pays).
 */
export function viewWallet(statements: readonly KeptStatement[], ownWallet = ''): string | undefined {
  if (isWallet(ownWallet)) return ownWallet.toLowerCase();
  const w = statements.at(-1)?.wallet;
  return w !== undefined && isWallet(w) ? w.toLowerCase() : undefined;
}

export interface PayViewOptions {
  /** The node's own wallet (its config); '' when it gives none. */
  ownWallet?: string;
  /**
   * Every wallet the node was run with (lowercase; its own included). When known, a statement
   * paying a wallet outside them is flagged whatever its period; unknown (the CLI, which cannot
   * read the running node's store): only the latest statement is held to the own wallet.
   */
  walletsUsed?: readonly string[];
  /** The node's operator pinned the distributor. */
  distributorPinned?: boolean;
  /** The node's operator pinned the token. */
  tokenPinned?: boolean;
}

/**
 * The pure view of one satellite's pay: `statements` and `claims` as the node keeps them (oldest
 * first), `facts` as read from the chain for `wallet` (undefined: nothing checked).
 */
export function buildSatellitePay(
  satelliteId: string,
  statements: readonly KeptStatement[],
  claims: readonly KeptClaim[],
  facts: ChainFacts | undefined,
  error: SatellitePay['error'] = null,
  options: PayViewOptions = {}
): SatellitePay {
  const own = isWallet(options.ownWallet ?? '') ? options.ownWallet!.toLowerCase() : undefined;
  const used = options.walletsUsed === undefined ? undefined : new Set([...options.walletsUsed.map((w) => w.toLowerCase()), ...(own === undefined ? [] : [own])]);
  const wallet = viewWallet(statements, options.ownWallet);
  const scale = facts !== undefined && facts.decimals >= 6 ? 10n ** BigInt(facts.decimals - 6) : undefined;
  // Every leaf the satellite gave for a period (an honest one gives one): one not under the root flags it.
  const claimsOf = new Map<number, KeptClaim[]>();
  for (const c of claims) if (wallet !== undefined && c.wallet.toLowerCase() === wallet) claimsOf.set(c.period, [...(claimsOf.get(c.period) ?? []), c]);
  const latest = statements.at(-1);
  // Per period, the highest cumulative amount a leaf of a later period holds under its root on
  // chain: a period whose own root a reorganisation took (the satellite then publishes only its
  // latest again) is covered by it.
  const coveredLater = new Map<number, bigint>();
  if (facts !== undefined && wallet !== undefined) {
    let best = -1n;
    for (const p of [...claimsOf.keys()].sort((a, b) => b - a)) {
      coveredLater.set(p, best);
      const root = facts.roots.get(p);
      for (const x of claimsOf.get(p)!) {
        if (root !== undefined && root.toLowerCase() === x.root.toLowerCase() && verifyPayoutLeaf(root as Hex, { wallet: wallet as Address, cumulative: BigInt(x.cumulative) }, x.proof as Hex[]) && BigInt(x.cumulative) > best) best = BigInt(x.cumulative);
      }
    }
  }
  let owedMicro = 0n;
  let latestUnderRoot: bigint | undefined;
  const periods: PeriodPay[] = [];
  for (const s of statements) {
    const mine = wallet !== undefined && s.wallet.toLowerCase() === wallet;
    // A period's net credit below 0 is not carried (as the satellite's publisher counts it).
    const total = parseAmount(s.total);
    if (mine && total > 0n) owedMicro += total;
    const owedThrough = mine && scale !== undefined ? owedMicro * scale : undefined;
    const rootOnChain = facts?.roots.get(s.period) ?? null;
    const isUnder = (x: KeptClaim): boolean =>
      rootOnChain !== null && rootOnChain.toLowerCase() === x.root.toLowerCase() && verifyPayoutLeaf(rootOnChain as Hex, { wallet: wallet as Address, cumulative: BigInt(x.cumulative) }, x.proof as Hex[]);
    const given = claimsOf.get(s.period) ?? [];
    // The leaf shown: the first not under the root when there is one (the evidence), else the first.
    const c = facts === undefined ? given[0] : (given.find((x) => !isUnder(x)) ?? given[0]);
    const underRoot = c === undefined || facts === undefined ? null : isUnder(c);
    if (underRoot === true) latestUnderRoot = BigInt(c!.cumulative);
    const payments = (facts?.events ?? []).filter((e) => e.period === s.period).map((e) => ({ tx: e.tx, amount: e.amount.toString() }));
    let status: PeriodPayStatus;
    let message: string;
    if (!mine && own !== undefined && s === latest) {
      // The satellite's latest statement pays another wallet than the node's own: never muted.
      status = 'flagged';
      message = `the satellite's latest statement pays ${s.wallet || 'no wallet'}, this node's wallet is ${own}`;
    } else if (!mine && own !== undefined && used !== undefined && isWallet(s.wallet) && !used.has(s.wallet.toLowerCase())) {
      // An earlier period paid to a wallet this node was never run with: diverted, not a change.
      status = 'flagged';
      message = `this statement pays ${s.wallet}, a wallet this node was never run with (it gave ${[...used].join(', ')})`;
    } else if (!mine) {
      status = 'other-wallet';
      message = `this statement pays ${s.wallet || 'no wallet'}, not ${wallet ?? 'a valid EVM wallet'}`;
    } else if (owedMicro === 0n && (c === undefined || BigInt(c.cumulative) === 0n)) {
      // Nothing owed is nothing owed on any chain.
      status = 'nothing-owed';
      message = 'the statements owe this wallet nothing through this period';
    } else if (facts === undefined || owedThrough === undefined) {
      status = 'unchecked';
      message = facts === undefined ? (error?.message ?? 'no chain to check against') : `the token has ${facts.decimals} decimals: payouts need at least 6`;
    } else if (!facts.codeIsOurs) {
      status = 'flagged';
      message = NOT_OUR_CODE(facts.distributor);
    } else if (c !== undefined && underRoot !== true && !(rootOnChain === null && (coveredLater.get(s.period) ?? -1n) >= BigInt(c.cumulative) && (coveredLater.get(s.period) ?? -1n) >= owedThrough)) {
      status = 'flagged';
      message =
        rootOnChain === null
          ? `the satellite gave a leaf of period ${s.period}, but the distributor holds no root for it`
          : `the satellite's leaf of period ${s.period} (${c.cumulative}) is not under the root on chain (${rootOnChain})`;
    } else if (c !== undefined && BigInt(c.cumulative) < owedThrough) {
      // Under the root, but less than the signed statements owe through this period.
      status = 'flagged';
      message = `the root on chain owes ${c.cumulative} through period ${s.period}, the statements ${owedThrough}: ${owedThrough - BigInt(c.cumulative)} short`;
    } else {
      // Owed through this period: the leaf when there is one under the root (or one with no root
      // left on chain, covered by a later root), else what the statements say.
      const due = c !== undefined ? BigInt(c.cumulative) : owedThrough;
      if (facts.claimed >= due) {
        status = 'claimed';
        message = `paid: the distributor has paid ${facts.claimed} in all, ${due} was owed through period ${s.period}`;
      } else if (c !== undefined) {
        status = 'pending';
        message = `published: ${due - facts.claimed} waits for a claim (the satellite pushes it, or \`stowage node claim\`)`;
      } else {
        status = 'unpublished';
        message = `not published on chain yet (or below the satellite's minimum payout): ${due - facts.claimed} not paid`;
      }
      if (c !== undefined && underRoot !== true) message = `its root is no longer on chain (a reorganisation), a later period's root owes as much: ${message}`;
    }
    periods.push({
      period: s.period,
      periodEnd: s.periodEnd,
      amount: s.total,
      wallet: s.wallet,
      owedThrough: owedThrough?.toString() ?? null,
      leaf: c === undefined ? null : { cumulative: c.cumulative, underRoot, rootOnChain },
      publishTx: c?.publishTx || null,
      pushTxs: c?.pushTxs ?? [],
      payments,
      status,
      message
    });
  }
  let walletPay: WalletPay | null = null;
  if (wallet !== undefined && facts !== undefined && facts.codeIsOurs && scale !== undefined) {
    const owed = owedMicro * scale;
    let state: WalletPayState;
    let message: string;
    if (owed === 0n) {
      state = 'nothing-owed';
      message = 'the statements owe this wallet nothing yet';
    } else if (facts.claimed >= owed) {
      state = 'paid';
      message = `paid in full: the distributor paid ${facts.claimed}, the statements owe ${owed}`;
    } else if (latestUnderRoot !== undefined && latestUnderRoot >= owed) {
      state = 'pending';
      message = `published in full: ${owed - facts.claimed} waits for a claim`;
    } else {
      state = 'short';
      message = `the statements owe ${owed}, the latest root on chain owes ${latestUnderRoot ?? 0n} and the distributor paid ${facts.claimed}: ${owed - (latestUnderRoot ?? facts.claimed)} not published yet (a period still to publish, or under the satellite's minimum payout)`;
    }
    walletPay = { wallet, owed: owed.toString(), published: latestUnderRoot?.toString() ?? null, paid: facts.claimed.toString(), balance: facts.balance.toString(), balanceBelowPaid: facts.balance < facts.claimed, state, message };
  }
  return {
    satelliteId,
    distributor: facts?.distributor ?? null,
    token: facts?.token ?? null,
    decimals: facts?.decimals ?? null,
    distributorPinned: options.distributorPinned ?? false,
    tokenPinned: options.tokenPinned ?? false,
    distributorCode: facts === undefined ? null : facts.codeIsOurs ? 'stowage' : 'other',
    wallet: walletPay,
    periods,
    error: error ?? (facts !== undefined && !facts.codeIsOurs ? { code: 'CHAIN_CONTRACT_MISMATCH', message: NOT_OUR_CODE(facts.distributor) } : null)
  };
}

const NOT_OUR_CODE = (distributor: string): string =>
  `the contract at ${distributor} is not Stowage's PayoutDistributor (its code differs): its roots and payments prove nothing`;

/** Root reads in flight at once. */
const ROOT_READS = 8;

/**
 * Reads the chain facts for `wallet` from the distributor the node pins, or else the one the
 * satellite's leaves name (every leaf must name the same one); the token must be the one the
 * distributor pays (and the pinned one). Undefined when the satellite gave no leaf: a pinned
 * distributor may be another satellite's, whose payments are not this one's.
 */
export async function readChainFacts(
  rpcUrl: string,
  wallet: string,
  claims: readonly KeptClaim[],
  pinned: { distributor: string; token: string },
  /** Roots once on chain, by distributor and period: a root is never replaced (PeriodNotAfterLast). */
  rootsSeen = new Map<string, string>()
): Promise<ChainFacts | undefined> {
  if (claims.length === 0) return undefined;
  const distributor = pinned.distributor || claims.at(-1)!.distributor;
  const other = claims.find((c) => c.distributor.toLowerCase() !== distributor.toLowerCase());
  if (other !== undefined) {
    throw new ChainError('CHAIN_CONTRACT_MISMATCH', `the satellite names distributor ${other.distributor} for period ${other.period}, ${pinned.distributor ? 'this node is set to' : 'and'} ${distributor}`);
  }
  const { chain, codeIsOurs } = await PayoutChain.connectToDistributor(rpcUrl, distributor as Address, { token: pinned.token });
  const token = chain.token;
  const roots = new Map<number, string>();
  const unknown: number[] = [];
  for (const p of new Set(claims.map((c) => c.period))) {
    const seen = rootsSeen.get(`${chain.distributor}/${p}`);
    if (seen !== undefined) roots.set(p, seen);
    else unknown.push(p);
  }
  for (let i = 0; i < unknown.length; i += ROOT_READS) {
    await Promise.all(
      unknown.slice(i, i + ROOT_READS).map(async (p) => {
        const r = await chain.root(p);
        if (r === undefined) return;
        roots.set(p, r);
        rootsSeen.set(`${chain.distributor}/${p}`, r);
      })
    );
  }
  const [decimals, claimed, balance] = await Promise.all([chain.decimals(), chain.claimed(wallet as Address), chain.balanceOf(wallet as Address)]);
  const events = await chain.claimEvents(wallet as Address).catch(() => undefined);
  return { distributor: chain.distributor, token, decimals, roots, claimed, balance, events, codeIsOurs };
}

export interface PayoutViewSource {
  list(satelliteId?: string): Promise<KeptStatement[]>;
  claims(satelliteId?: string): Promise<KeptClaim[]>;
  /** The wallets the node was run with; absent: not known. */
  wallets?(): Promise<string[]>;
}

export interface PayoutViewConfig {
  chainRpc: string;
  distributor: string;
  token: string;
  /** The node's own wallet ('' for none). */
  wallet: string;
}

export interface PayoutView {
  /** The endpoint read (its origin only: a provider's URL may carry a key), null when none is set. */
  chainRpc: string | null;
  satellites: SatellitePay[];
  message: string | null;
  /** When the chain was read (ms); an answer older than the cache's age is marked stale. */
  readAt: number | null;
  stale: boolean;
}

/** Longest a dashboard request waits for a chain read before it gets the last view, marked stale. */
export const PAYOUT_VIEW_WAIT_MS = 20_000;

/** The origin of an endpoint's URL (no path, query or credentials: a provider's key stays out). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * The whole view, every satellite. One chain read at a time (requests meanwhile share it); a
 * read is kept `maxAgeMs` from when it ended; a request waits at most PAYOUT_VIEW_WAIT_MS and
 * then gets the last view, marked stale, while the read goes on.
 */
export class PayoutViewer {
  private last: PayoutView | undefined;
  private inFlight: Promise<PayoutView> | undefined;
  /** Roots seen on chain, by distributor and period (never replaced on chain: read once). */
  private readonly rootsSeen = new Map<string, string>();

  constructor(
    private readonly source: PayoutViewSource,
    private readonly satellites: () => string[],
    private readonly config: PayoutViewConfig,
    private readonly now: () => number,
    private readonly maxAgeMs = 30_000,
    private readonly waitMs = PAYOUT_VIEW_WAIT_MS
  ) {}

  async view(): Promise<PayoutView> {
    if (this.last !== undefined && this.last.readAt !== null && this.now() - this.last.readAt < this.maxAgeMs) return this.last;
    this.inFlight ??= this.read()
      .then((v) => (this.last = v))
      .finally(() => (this.inFlight = undefined));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.waitMs);
      timer.unref();
    });
    try {
      const v = await Promise.race([this.inFlight, waited]);
      if (v !== undefined) return v;
    } finally {
      clearTimeout(timer);
    }
    const message = `the chain did not answer within ${this.waitMs / 1000} s: ${this.last ? 'the last view' : 'nothing read yet'}, read again meanwhile`;
    return this.last ? { ...this.last, stale: true, message } : { chainRpc: originOf(this.config.chainRpc) || null, satellites: [], message, readAt: null, stale: true };
  }

  private async read(): Promise<PayoutView> {
    const walletsUsed = await this.source.wallets?.();
    const options = { ownWallet: this.config.wallet, distributorPinned: this.config.distributor !== '', tokenPinned: this.config.token !== '', ...(walletsUsed === undefined ? {} : { walletsUsed }) };
    const satellites = await Promise.all(
      this.satellites().map(async (id) => {
        const [statements, claims] = await Promise.all([this.source.list(id), this.source.claims(id)]);
        const wallet = viewWallet(statements, this.config.wallet);
        if (this.config.chainRpc === '' || wallet === undefined) {
          const error = this.config.chainRpc === '' ? { code: 'NO_CHAIN', message: 'no chain RPC set (chainRpc): pay is not checked on chain' } : { code: 'NO_WALLET', message: 'no EVM wallet, neither this node\'s nor in the latest statement: nothing to check on chain' };
          return buildSatellitePay(id, statements, claims, undefined, error, options);
        }
        try {
          const facts = await readChainFacts(this.config.chainRpc, wallet, claims.filter((c) => c.wallet.toLowerCase() === wallet), this.config, this.rootsSeen);
          return buildSatellitePay(id, statements, claims, facts, facts === undefined ? { code: 'NOT_PUBLISHED', message: 'the satellite has given no leaf on chain for this wallet yet: nothing it owes is published' } : null, options);
        } catch (err) {
          return buildSatellitePay(id, statements, claims, undefined, { code: (err as { code?: string }).code ?? 'CHAIN_FAILED', message: (err as Error).message }, options);
        }
      })
    );
    return {
      chainRpc: originOf(this.config.chainRpc) || null,
      satellites,
      message: this.config.chainRpc === '' ? 'no chain RPC set: set chainRpc (--chain-rpc, STOWAGE_NODE_CHAIN_RPC) to check pay on chain' : null,
      readAt: this.now(),
      stale: false
    };
  }
}
