// The node's side of payouts: it fetches its statement of a payout period from a trusted
// satellite over /stowage/payout/1.0.0, checks the satellite's signature, every entry's hash, that
// the total is the exact sum of the entries, and the chain of its own entries across the
// statements it keeps, and keeps it in its LevelDB. A statement that does not verify is never kept
// or shown. Before it trusts period N's chain the node holds every period back to its last kept
// statement with entries (or to period 1): missing ones are fetched and verified first, at most
// MAX_BACKFILL_PERIODS per call.
import type { Libp2p } from '@libp2p/interface';
import type { Level } from 'level';
import { PROTOCOL_PAYOUT, ProtocolError, ProtocolErrorCode, requestPayoutStatement, requestPayoutStatementAndClaim, verifyPayoutStatement, type PayoutClaim, type PayoutStatement } from '../protocol/index.js';
import { satelliteAddrs, type TrustedSatellite } from './config.js';

/** A statement as the node keeps it (JSON: integers as numbers, the signed bytes in base64). */
export interface KeptStatement {
  satelliteId: string;
  period: number;
  periodStart: number;
  periodEnd: number;
  wallet: string;
  total: string;
  entries: { seq: number; kind: string; amount: string; detail: string; hash: string; nodePrev: string }[];
  /** The satellite's signed bytes and signature, so the statement can be checked again later. */
  signed: { statement: string; signature: string };
  verified: true;
}

const pad = (n: number): string => String(n).padStart(12, '0');

export function toKept(s: PayoutStatement, statement: Uint8Array, signature: Uint8Array): KeptStatement {
  return {
    satelliteId: s.satelliteId,
    period: Number(s.period),
    periodStart: Number(s.periodStart),
    periodEnd: Number(s.periodEnd),
    wallet: s.wallet,
    total: s.total,
    entries: s.entries.map((e) => ({ seq: Number(e.seq), kind: e.kind, amount: e.amount, detail: e.detail, hash: e.hash, nodePrev: e.nodePrev })),
    signed: { statement: Buffer.from(statement).toString('base64'), signature: Buffer.from(signature).toString('base64') },
    verified: true
  };
}

/** The satellite's leaf of a published period as the node keeps it (unsigned: checked on chain when shown). */
export interface KeptClaim {
  satelliteId: string;
  period: number;
  root: string;
  wallet: string;
  /** Decimal, token base units: everything the wallet was owed through this period. */
  cumulative: string;
  proof: string[];
  distributor: string;
  token: string;
  publishTx: string;
  pushTxs: string[];
}

export function toKeptClaim(satelliteId: string, c: PayoutClaim): KeptClaim {
  return { satelliteId, period: Number(c.period), root: c.root, wallet: c.wallet, cumulative: c.cumulative, proof: [...c.proof], distributor: c.distributor, token: c.token, publishTx: c.publishTx, pushTxs: [...c.pushTxs] };
}

/** Error codes of statement checks made here, beside those of verifyPayoutStatement. */
export const StatementErrorCode = {
  /** The statement's total is not the exact sum of its entries' amounts. */
  TotalMismatch: 'STATEMENT_TOTAL_MISMATCH',
  /** Asked for period N, got another period. */
  WrongPeriod: 'STATEMENT_WRONG_PERIOD',
  /** The satellite has no statement (PERIOD_NOT_FOUND) for a period before one it has. */
  PeriodMissing: 'STATEMENT_PERIOD_MISSING',
  /** More than MAX_BACKFILL_PERIODS earlier periods were missing: some were kept, ask again. */
  ChainIncomplete: 'STATEMENT_CHAIN_INCOMPLETE',
  /** An entry does not link to the node's previous entry (also used by verifyPayoutStatement). */
  ChainBroken: 'STATEMENT_CHAIN_BROKEN',
  /** A statement of a period the node keeps already, with other content: kept evidence is never replaced. */
  Conflict: 'STATEMENT_CONFLICT'
} as const;

/** Distinct leaves kept for one period (an honest satellite gives one). */
export const MAX_CLAIMS_PER_PERIOD = 4;

/** Missing earlier periods fetched (and kept) in one call before the statement asked for. */
export const MAX_BACKFILL_PERIODS = 100;

const MICRO = 1_000_000n;

/** Micro-units of an amount: decimal text with exactly 6 fixed places, '-' for held-back. */
export function parseAmount(text: string): bigint {
  const m = /^(-?)(\d{1,30})\.(\d{6})$/.exec(text);
  if (!m) throw new ProtocolError(ProtocolErrorCode.Malformed, `amount '${text.slice(0, 48)}' is not decimal text with 6 fixed places`);
  const units = BigInt(m[2]!) * MICRO + BigInt(m[3]!);
  return m[1] ? -units : units;
}

export function formatAmount(units: bigint): string {
  const abs = units < 0n ? -units : units;
  return `${units < 0n ? '-' : ''}${abs / MICRO}.${String(abs % MICRO).padStart(6, '0')}`;
}

/** Refuses a statement whose total is not the sum of its entries (integer micro-units, no floats). */
export function checkStatementTotal(s: Pick<PayoutStatement, 'period' | 'total' | 'entries'>): void {
  const sum = s.entries.reduce((acc, e) => acc + parseAmount(e.amount), 0n);
  const total = parseAmount(s.total);
  if (sum !== total) {
    throw new ProtocolError(StatementErrorCode.TotalMismatch, `statement of period ${s.period} says a total of ${s.total}, its entries sum to ${formatAmount(sum)}`);
  }
}

/**
 * Fetches and verifies a statement (0: the latest closed period): signature, entry hashes, total,
 * the period asked for, and the link to `previousHash` when given.
 */
export async function fetchStatement(libp2p: Libp2p, satellite: TrustedSatellite, nodeId: string, period: number, timeoutMs: number, previousHash?: string): Promise<KeptStatement> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await libp2p.dialProtocol(satelliteAddrs(satellite), PROTOCOL_PAYOUT, { signal });
  const signed = await requestPayoutStatement(stream, period, { idleTimeoutMs: timeoutMs });
  const s = await verifyPayoutStatement(signed, satellite.peerId, nodeId, previousHash);
  if (period > 0 && s.period !== BigInt(period)) throw new ProtocolError(StatementErrorCode.WrongPeriod, `asked for period ${period}, the satellite sent period ${s.period}`);
  checkStatementTotal(s);
  return toKept(s, signed.statement, signed.signature);
}

/**
 * The verified statement of `period` (0: the latest closed) with the node's leaf of that period's
 * on-chain publication, when the satellite has one for it. The leaf is not signed: check it
 * against the chain (checkClaimOnChain) before trusting it.
 */
export async function fetchClaim(libp2p: Libp2p, satellite: TrustedSatellite, nodeId: string, period: number, timeoutMs: number): Promise<{ statement: KeptStatement; claim: PayoutClaim | undefined }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await libp2p.dialProtocol(satelliteAddrs(satellite), PROTOCOL_PAYOUT, { signal });
  const { statement: signed, claim } = await requestPayoutStatementAndClaim(stream, period, { idleTimeoutMs: timeoutMs });
  const s = await verifyPayoutStatement(signed, satellite.peerId, nodeId);
  if (period > 0 && s.period !== BigInt(period)) throw new ProtocolError(StatementErrorCode.WrongPeriod, `asked for period ${period}, the satellite sent period ${s.period}`);
  checkStatementTotal(s);
  if (claim !== undefined) {
    if (claim.period !== s.period) throw new ProtocolError(ProtocolErrorCode.Malformed, `the claim is of period ${claim.period}, the statement of ${s.period}`);
    checkClaimShape(claim);
  }
  return { statement: toKept(s, signed.statement, signed.signature), claim };
}

/** Most proof hashes a leaf may carry: a tree of 2^64 leaves. */
export const MAX_CLAIM_PROOF = 64;
const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Refuses a claim whose fields are not what they say (addresses, 32-byte hashes, a decimal
 * amount of at most 78 digits, at most MAX_CLAIM_PROOF proof hashes, 64 transactions): it is
 * unsigned, so its shape is all the node can check before it asks the chain.
 */
export function checkClaimShape(c: PayoutClaim): void {
  const bad = (what: string): never => {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `the satellite's leaf of period ${c.period} has ${what}`);
  };
  if (!ADDRESS.test(c.wallet) || !ADDRESS.test(c.distributor) || !ADDRESS.test(c.token)) bad('a wallet, distributor or token that is not an address');
  if (!HEX32.test(c.root)) bad('a root that is not 32 bytes of hex');
  if (!/^\d{1,78}$/.test(c.cumulative)) bad('an amount that is not a decimal integer');
  if (c.proof.length > MAX_CLAIM_PROOF || !c.proof.every((h) => HEX32.test(h))) bad(`a proof that is not at most ${MAX_CLAIM_PROOF} hashes of 32 bytes`);
  if ((c.publishTx !== '' && !HEX32.test(c.publishTx)) || c.pushTxs.length > 64 || !c.pushTxs.every((h) => HEX32.test(h))) bad('transactions that are not hashes');
}

/** What a closed period's statement says that must never change: its bounds, entries and total. */
function statementSubstance(s: KeptStatement): string {
  return JSON.stringify([s.satelliteId, s.period, s.periodStart, s.periodEnd, s.total, s.entries.map((e) => [e.seq, e.kind, e.amount, e.detail, e.hash, e.nodePrev])]);
}

/** Throws unless `s`'s first entry links to `link` (the node's previous entry; '' for none). */
function checkLink(s: KeptStatement, link: string | undefined, from: string): void {
  const first = s.entries[0];
  if (link !== undefined && first !== undefined && first.nodePrev !== link) {
    throw new ProtocolError(StatementErrorCode.ChainBroken, `period ${s.period} does not continue the chain of ${from}`);
  }
}

export class Earnings {
  private readonly kept;
  /** The satellite's leaf and proof of each published period (unsigned: checked on chain when shown). */
  private readonly claimsKept;

  constructor(
    db: Level<string, unknown>,
    private readonly libp2p: Libp2p,
    private readonly satellites: TrustedSatellite[],
    private readonly nodeId: string,
    private readonly timeoutMs: number
  ) {
    this.kept = db.sublevel<string, KeptStatement>('statements', { valueEncoding: 'json' });
    this.claimsKept = db.sublevel<string, KeptClaim>('claims', { valueEncoding: 'json' });
    this.walletsUsed = db.sublevel<string, number>('wallets', { valueEncoding: 'json' });
  }

  /** Every wallet this node was run with (lowercase), with when it was first: never forgotten. */
  private readonly walletsUsed;

  /**
   * Records `wallet` as one this node gives (at start): a statement paying a wallet the node never
   * gave is the satellite's doing, whichever period it is.
   */
  async recordWallet(wallet: string, now: number): Promise<void> {
    if (!/^0x[0-9a-fA-F]{40}$/.test(wallet)) return;
    const key = wallet.toLowerCase();
    if ((await this.walletsUsed.get(key)) === undefined) await this.walletsUsed.put(key, now);
  }

  /** The wallets this node was run with, lowercase. */
  async wallets(): Promise<string[]> {
    const out: string[] = [];
    for await (const k of this.walletsUsed.keys()) out.push(k);
    return out;
  }

  /**
   * Fetches the statement of `period` (0: the latest) from one satellite, verifies and keeps it.
   * Its chain is checked from the newest statement kept before it that has entries (or from the
   * start, '' , when none is kept): earlier periods not kept yet are fetched first, verified and
   * kept with it. A period the satellite cannot give (PERIOD_NOT_FOUND) before one it has is an
   * error. At most MAX_BACKFILL_PERIODS are fetched per call: with more missing, the oldest ones
   * are kept and STATEMENT_CHAIN_INCOMPLETE asks the caller to call again.
   */
  async fetch(satelliteId: string, period = 0): Promise<KeptStatement> {
    const satellite = this.satellites.find((s) => s.peerId === satelliteId);
    if (!satellite) throw new Error(`satellite ${satelliteId} is not trusted by this node`);
    const { statement, claim } = await fetchClaim(this.libp2p, satellite, this.nodeId, period, this.timeoutMs);
    const n = statement.period;
    // Kept evidence is never replaced: the same period again must be the same signed statement.
    const already = await this.kept.get(`${satelliteId}!${pad(n)}`);
    if (already) {
      // Each answer is signed anew (its `created` time, the wallet the node gives now): what must
      // not change is the period and its entries.
      if (statementSubstance(already) !== statementSubstance(statement)) {
        throw new ProtocolError(StatementErrorCode.Conflict, `the satellite signed another statement of period ${n} than the one this node keeps`);
      }
      await this.keepClaim(satelliteId, already, claim);
      return already;
    }
    // Walk the kept statements down from n-1 to the newest one with entries: the anchor.
    const kept = new Set<number>();
    let anchor: KeptStatement | undefined;
    for await (const s of this.kept.values({ gte: `${satelliteId}!`, lt: `${satelliteId}!${pad(n)}`, reverse: true })) {
      kept.add(s.period);
      if (s.entries.length > 0) {
        anchor = s;
        break;
      }
    }
    const from = anchor?.period ?? 0;
    // Bounded before anything is collected: a statement of period 10^9 costs no memory.
    const missing: number[] = [];
    let missingTotal = 0;
    for (let p = from + 1; p < n; p++) {
      if (kept.has(p)) continue;
      missingTotal++;
      if (missing.length <= MAX_BACKFILL_PERIODS) missing.push(p);
      else {
        missingTotal = n - 1 - from - kept.size;
        break;
      }
    }
    // Oldest first, so each links to the one before and what is fetched is progress kept.
    const fetched: KeptStatement[] = [];
    for (const p of missing.slice(0, MAX_BACKFILL_PERIODS)) {
      try {
        fetched.push(await fetchStatement(this.libp2p, satellite, this.nodeId, p, this.timeoutMs));
      } catch (err) {
        if ((err as { code?: string }).code === 'PERIOD_NOT_FOUND') {
          throw new ProtocolError(StatementErrorCode.PeriodMissing, `the satellite has no statement of period ${p}, yet one of period ${n}`, { cause: err });
        }
        throw err;
      }
    }
    // The chain from the anchor across every period up to n (kept periods between are empty).
    const byPeriod = new Map(fetched.map((s) => [s.period, s]));
    let link = anchor ? anchor.entries.at(-1)!.hash : '';
    let linkFrom = anchor ? `period ${anchor.period}` : 'the first period';
    const last = missing.length > MAX_BACKFILL_PERIODS ? missing[MAX_BACKFILL_PERIODS - 1]! : n;
    for (let p = from + 1; p <= last; p++) {
      const s = p === n ? statement : byPeriod.get(p);
      if (!s) continue;
      checkLink(s, link, linkFrom);
      if (s.entries.length > 0) {
        link = s.entries.at(-1)!.hash;
        linkFrom = `period ${p}`;
      }
    }
    const keep = (s: KeptStatement): { type: 'put'; key: string; value: KeptStatement } => ({ type: 'put', key: `${satelliteId}!${pad(s.period)}`, value: s });
    if (last !== n) {
      await this.kept.batch(fetched.map(keep));
      throw new ProtocolError(
        StatementErrorCode.ChainIncomplete,
        `${missingTotal} periods before period ${n} were missing; kept periods ${missing[0]} to ${last}, ask again for the rest`
      );
    }
    await this.kept.batch([...fetched, statement].map(keep));
    await this.keepClaim(satelliteId, statement, claim);
    return statement;
  }

  /**
   * Keeps the satellite's leaf of a period (a period is published some time after it closes, so a
   * later fetch may bring it): only one that pays the wallet of the statement the node keeps. It is
   * checked on chain whenever it is shown, never trusted, and kept as evidence: another leaf for
   * the same period is kept beside it, never over it (an honest satellite gives one; one leaf not
   * under the root flags the period), at most MAX_CLAIMS_PER_PERIOD.
   */
  private async keepClaim(satelliteId: string, kept: KeptStatement, claim: PayoutClaim | undefined): Promise<void> {
    if (claim === undefined || claim.wallet.toLowerCase() !== kept.wallet.toLowerCase()) return;
    const prefix = `${satelliteId}!${pad(kept.period)}!`;
    const key = `${prefix}${claim.root.toLowerCase()}!${claim.cumulative}`;
    const known: string[] = [];
    for await (const k of this.claimsKept.keys({ gte: prefix, lt: `${prefix}~` })) known.push(k);
    if (known.includes(key)) {
      // The same leaf: its transactions may have grown (the push came after the publish).
      await this.claimsKept.put(key, toKeptClaim(satelliteId, claim));
      return;
    }
    if (known.length >= MAX_CLAIMS_PER_PERIOD) return;
    await this.claimsKept.put(key, toKeptClaim(satelliteId, claim));
  }

  /** Kept leaves, oldest period first; of one satellite when named. */
  async claims(satelliteId?: string): Promise<KeptClaim[]> {
    const out: KeptClaim[] = [];
    const range = satelliteId ? { gte: `${satelliteId}!`, lt: `${satelliteId}"` } : {};
    for await (const c of this.claimsKept.values(range)) out.push(c);
    return out;
  }

  /** Fetches the latest statement from every satellite; failures are returned, not thrown. */
  async fetchAll(): Promise<{ satelliteId: string; statement?: KeptStatement; error?: string }[]> {
    return Promise.all(
      this.satellites.map(async (s) => {
        try {
          return { satelliteId: s.peerId, statement: await this.fetch(s.peerId) };
        } catch (err) {
          return { satelliteId: s.peerId, error: (err as Error).message };
        }
      })
    );
  }

  /** Kept statements, oldest first; of one satellite when named. */
  async list(satelliteId?: string): Promise<KeptStatement[]> {
    const out: KeptStatement[] = [];
    const range = satelliteId ? { gte: `${satelliteId}!`, lt: `${satelliteId}"` } : {};
    for await (const s of this.kept.values(range)) out.push(s);
    return out;
  }
}
