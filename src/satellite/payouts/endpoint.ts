// The satellite's side of /stowage/payout/1.0.0: a node's statement of a closed payout period, its
// ledger entries and total, with the wallet from its check-in, signed by the satellite. The node
// is the connection's peer: nobody gets another node's statement.
import type { PrivateKey } from '@libp2p/interface';
import { StowageError } from '../../common/index.js';
import { PayoutStatementRequest, PayoutStatementResponse, signPayoutStatement, type FramedStream, type SignedPayoutStatement } from '../../protocol/index.js';
import type { LedgerDB } from './db.js';
import type { NodeDB } from '../overlay/index.js';
import { formatTokens, parseTokens } from './tokens.js';

export interface StatementDeps {
  ledger: LedgerDB;
  registry: NodeDB;
  key: PrivateKey;
  satelliteId: string;
  now: () => number;
}

/** The signed statement of `period` (0: the latest closed one) for `nodeId`. */
export async function buildStatement(d: StatementDeps, nodeId: string, period: number): Promise<SignedPayoutStatement> {
  const record = period > 0 ? await d.ledger.period(period) : await d.ledger.lastPeriod();
  if (!record) throw new StowageError('PERIOD_NOT_FOUND', period > 0 ? `period ${period} is not closed` : 'no payout period has been closed yet');
  const node = await d.registry.get(nodeId);
  if (!node) throw new StowageError('NODE_NOT_FOUND', `node ${nodeId} never checked in`);
  const entries = await d.ledger.list({ period: record.period, nodeId });
  const total = entries.reduce((sum, e) => sum + parseTokens(e.amount), 0n);
  return signPayoutStatement(d.key, {
    satelliteId: d.satelliteId,
    nodeId,
    wallet: node.wallet,
    period: BigInt(record.period),
    periodStart: BigInt(record.start),
    periodEnd: BigInt(record.end),
    entries: entries.map((e) => ({ ...e, seq: BigInt(e.seq), period: BigInt(e.period), time: BigInt(e.time) })),
    total: formatTokens(total),
    created: BigInt(d.now())
  });
}

export async function handlePayoutRequest(d: StatementDeps, framed: FramedStream, nodeId: string): Promise<void> {
  try {
    const req = await framed.expect(PayoutStatementRequest, 'request');
    await framed.write(PayoutStatementResponse, { statement: await buildStatement(d, nodeId, Number(req.period)) });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'INTERNAL';
    await framed.write(PayoutStatementResponse, { error: { code, message: (err as Error).message } }).catch(() => undefined);
  } finally {
    await framed.closeWrite();
  }
}
