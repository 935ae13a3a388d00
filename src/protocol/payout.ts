// /stowage/payout/1.0.0: a node asks the satellite for its statement of a payout period. The
// statement carries the node's ledger entries, each hash-chained (to the ledger's previous entry
// and to the node's own previous entry), and is signed by the satellite over a domain tag and its
// canonical encoding. The node checks the signature, every entry's hash and the chain of its own
// entries before it shows or keeps a statement.
import { createHash } from 'node:crypto';
import type { PrivateKey, Stream } from '@libp2p/interface';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { FramedStream, type FramedStreamOptions } from './framing.js';
import { PayoutStatement, PayoutStatementRequest, PayoutStatementResponse, type PayoutClaim, type PayoutEntry, type SignedPayoutStatement } from './generated/satellite.js';
import { publicKeyOf } from './signing.js';

export const LEDGER_ENTRY_DOMAIN = 'stowage/ledger-entry/v1';
export const PAYOUT_STATEMENT_DOMAIN = new TextEncoder().encode('stowage/payout-statement/v1\0');

export interface LedgerEntryFields {
  seq: number;
  period: number;
  nodeId: string;
  kind: string;
  amount: string;
  detail: string;
  time: number;
  prev: string;
  nodePrev: string;
}

/** Hex SHA-256 over the domain tag and the entry's fields in a fixed order, each length-prefixed. */
export function ledgerEntryHash(e: LedgerEntryFields): string {
  const h = createHash('sha256');
  const field = (v: string): void => {
    const b = Buffer.from(v, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    h.update(len);
    h.update(b);
  };
  field(LEDGER_ENTRY_DOMAIN);
  for (const v of [String(e.seq), String(e.period), e.nodeId, e.kind, e.amount, e.detail, String(e.time), e.prev, e.nodePrev]) field(v);
  return h.digest('hex');
}

function tagged(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(PAYOUT_STATEMENT_DOMAIN.length + bytes.length);
  out.set(PAYOUT_STATEMENT_DOMAIN, 0);
  out.set(bytes, PAYOUT_STATEMENT_DOMAIN.length);
  return out;
}

export async function signPayoutStatement(key: PrivateKey, statement: PayoutStatement): Promise<SignedPayoutStatement> {
  const bytes = PayoutStatement.encode(statement);
  return { statement: bytes, signature: new Uint8Array(await key.sign(tagged(bytes))) };
}

/**
 * Checks a statement from `satelliteId` for `nodeId`: canonical encoding, the satellite's
 * signature, every entry's hash, that every entry is the node's and of the period, and the chain
 * of the node's entries (the first links to `previousHash` when the node kept an earlier one).
 */
export async function verifyPayoutStatement(signed: SignedPayoutStatement | undefined, satelliteId: string, nodeId: string, previousHash?: string): Promise<PayoutStatement> {
  if (!signed?.statement.length) throw new ProtocolError(ProtocolErrorCode.Malformed, 'no statement');
  let s: PayoutStatement;
  try {
    s = PayoutStatement.decode(signed.statement);
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.Malformed, `statement does not decode: ${(err as Error).message}`, { cause: err });
  }
  if (Buffer.compare(PayoutStatement.encode(s), signed.statement) !== 0) throw new ProtocolError(ProtocolErrorCode.NotCanonical, 'statement bytes are not its canonical encoding');
  if (s.satelliteId !== satelliteId) throw new ProtocolError(ProtocolErrorCode.UntrustedSatellite, `statement names satellite ${s.satelliteId}, asked ${satelliteId}`);
  if (!(await publicKeyOf(satelliteId).verify(tagged(signed.statement), signed.signature))) {
    throw new ProtocolError(ProtocolErrorCode.BadSignature, `statement signature does not verify for ${satelliteId}`);
  }
  if (s.nodeId !== nodeId) throw new ProtocolError(ProtocolErrorCode.WrongNode, `statement is for node ${s.nodeId}, this is ${nodeId}`);
  let link = previousHash;
  for (const e of s.entries) {
    const fields = entryFields(e);
    if (e.nodeId !== nodeId || e.period !== s.period) throw new ProtocolError(ProtocolErrorCode.Malformed, `entry ${e.seq} is not this node's entry of period ${s.period}`);
    if (ledgerEntryHash(fields) !== e.hash) throw new ProtocolError('STATEMENT_CHAIN_BROKEN', `entry ${e.seq} does not match its hash`);
    if (link !== undefined && e.nodePrev !== link) throw new ProtocolError('STATEMENT_CHAIN_BROKEN', `entry ${e.seq} does not link to the node's previous entry`);
    link = e.hash;
  }
  return s;
}

export function entryFields(e: PayoutEntry): LedgerEntryFields {
  return { seq: Number(e.seq), period: Number(e.period), nodeId: e.nodeId, kind: e.kind, amount: e.amount, detail: e.detail, time: Number(e.time), prev: e.prev, nodePrev: e.nodePrev };
}

/** Asks for the statement of `period` (0: the latest closed one). */
export async function requestPayoutStatement(stream: Stream, period: number, options?: FramedStreamOptions): Promise<SignedPayoutStatement> {
  return (await requestPayoutStatementAndClaim(stream, period, options)).statement;
}

/**
 * Asks for the statement of `period` (0: the latest closed one) and gets with it the node's leaf
 * of the period's on-chain publication, when there is one (unsigned: checked against the chain).
 */
export async function requestPayoutStatementAndClaim(stream: Stream, period: number, options?: FramedStreamOptions): Promise<{ statement: SignedPayoutStatement; claim: PayoutClaim | undefined }> {
  const framed = new FramedStream(stream, options);
  try {
    await framed.write(PayoutStatementRequest, { period: BigInt(period) });
    const res = await framed.expect(PayoutStatementResponse, 'statement');
    if (res.error) throw new ProtocolError(res.error.code || ProtocolErrorCode.Internal, res.error.message);
    if (!res.statement) throw new ProtocolError(ProtocolErrorCode.Malformed, 'answer has neither statement nor error');
    return { statement: res.statement, claim: res.claim };
  } finally {
    await framed.closeWrite();
  }
}
