// The satellite's side of /stowage/payout/1.0.0: a node's statement of a closed payout period, its
// ledger entries and total, with the wallet from its check-in, signed by the satellite. The node
// is the connection's peer: nobody gets another node's statement.
import type { PrivateKey } from '@libp2p/interface';
import { StowageError } from '../../common/index.js';
import { PayoutStatement, PayoutStatementRequest, PayoutStatementResponse, signPayoutStatement, type FramedStream, type PayoutClaim, type SignedPayoutStatement } from '../../protocol/index.js';
import type { PayoutTree } from '../../chain/index.js';
import { publicationTree, type PublicationDB } from './publisher.js';
import type { LedgerDB } from './db.js';
import type { NodeDB } from '../overlay/index.js';
import { formatTokens, parseTokens } from './tokens.js';

export interface StatementDeps {
  ledger: LedgerDB;
  registry: NodeDB;
  key: PrivateKey;
  satelliteId: string;
  now: () => number;
  /** Payouts on chain: the publications and the contracts; absent in ledger-only mode. */
  chain?: { publications: PublicationDB; token: string; distributor: string };
  /**
   * Charges a request to its node and address; throws RATE_LIMITED past the limit. A request of an
   * old period may rebuild its Merkle tree (seconds for 10,000 leaves): cycling them must not stall.
   */
  charge?: (nodeId: string, remote: string) => void;
}

/** The last trees rebuilt from publications, by period (a tree of 10^4 leaves takes ~0.5 s to build). */
const trees = new Map<string, PayoutTree | undefined>();
/** Trees kept: the periods nodes ask for most (the latest few, and a backfill's run). */
const TREES_KEPT = 16;

/**
 * The node's leaf of `period`'s publication with its proof, once the root is on chain and the
 * publication pays the node's wallet; undefined otherwise.
 */
export async function buildClaim(d: StatementDeps, nodeId: string, period: number): Promise<PayoutClaim | undefined> {
  if (d.chain === undefined) return undefined;
  const pub = await d.chain.publications.publication(period);
  if (pub === undefined || pub.state === 'built') return undefined;
  const wallet = pub.nodeWallets[nodeId];
  if (wallet === undefined) return undefined;
  const cacheKey = `${d.satelliteId}/${period}/${pub.root}/${pub.total}`;
  if (!trees.has(cacheKey)) {
    if (trees.size >= TREES_KEPT) trees.delete(trees.keys().next().value!);
    trees.set(cacheKey, publicationTree(pub));
  }
  const tree = trees.get(cacheKey);
  const proof = tree?.proof(wallet as `0x${string}`);
  const leaf = tree?.leaf(wallet as `0x${string}`);
  if (proof === undefined || leaf === undefined) return undefined;
  return {
    period: BigInt(period),
    root: pub.root,
    wallet: leaf.wallet,
    cumulative: leaf.cumulative.toString(),
    proof,
    distributor: d.chain.distributor,
    token: d.chain.token,
    publishTx: pub.publishTx ?? '',
    pushTxs: pub.pushTxs
  };
}

/** The signed statement of `period` (0: the latest closed one) for `nodeId`. */
export async function buildStatement(d: StatementDeps, nodeId: string, period: number): Promise<SignedPayoutStatement> {
  const record = period > 0 ? await d.ledger.period(period) : await d.ledger.lastPeriod();
  if (!record) throw new StowageError('PERIOD_NOT_FOUND', period > 0 ? `period ${period} is not closed` : 'no payout period has been closed yet');
  const node = await d.registry.get(nodeId);
  if (!node) throw new StowageError('NODE_NOT_FOUND', `node ${nodeId} never checked in`);
  const entries = await d.ledger.list({ period: record.period, nodeId });
  const total = entries.reduce((sum, e) => sum + parseTokens(e.amount), 0n);
  // The wallet the period was paid to once it is published (a node may have changed wallet
  // since: its leaf and this statement must name the same one), else the one it gives now.
  const paidTo = d.chain === undefined ? undefined : (await d.chain.publications.publication(record.period))?.nodeWallets[nodeId];
  return signPayoutStatement(d.key, {
    satelliteId: d.satelliteId,
    nodeId,
    wallet: paidTo === undefined || paidTo.toLowerCase() === node.wallet.toLowerCase() ? node.wallet : paidTo,
    period: BigInt(record.period),
    periodStart: BigInt(record.start),
    periodEnd: BigInt(record.end),
    entries: entries.map((e) => ({ ...e, seq: BigInt(e.seq), period: BigInt(e.period), time: BigInt(e.time) })),
    total: formatTokens(total),
    created: BigInt(d.now())
  });
}

export async function handlePayoutRequest(d: StatementDeps, framed: FramedStream, nodeId: string, remote = ''): Promise<void> {
  try {
    const req = await framed.expect(PayoutStatementRequest, 'request');
    d.charge?.(nodeId, remote);
    const statement = await buildStatement(d, nodeId, Number(req.period));
    const period = req.period > 0n ? Number(req.period) : Number(PayoutStatement.decode(statement.statement).period);
    await framed.write(PayoutStatementResponse, { statement, claim: await buildClaim(d, nodeId, period) });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'INTERNAL';
    await framed.write(PayoutStatementResponse, { error: { code, message: (err as Error).message } }).catch(() => undefined);
  } finally {
    await framed.closeWrite();
  }
}
