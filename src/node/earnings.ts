// The node's side of payouts: it fetches its statement of a payout period from a trusted
// satellite over /stowage/payout/1.0.0, checks the satellite's signature, every entry's hash and
// the chain of its own entries (linked to the statement it kept for the period before), and keeps
// it in its LevelDB. A statement that does not verify is never kept or shown.
import type { Libp2p } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import type { Level } from 'level';
import { PROTOCOL_PAYOUT, ProtocolError, requestPayoutStatement, verifyPayoutStatement, type PayoutStatement } from '../protocol/index.js';
import type { TrustedSatellite } from './config.js';

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

/** Fetches and verifies a statement (0: the latest closed period), linking to `previousHash` when given. */
export async function fetchStatement(libp2p: Libp2p, satellite: TrustedSatellite, nodeId: string, period: number, timeoutMs: number, previousHash?: string): Promise<KeptStatement> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await libp2p.dialProtocol(multiaddr(satellite.address).encapsulate(`/p2p/${satellite.peerId}`), PROTOCOL_PAYOUT, { signal });
  const signed = await requestPayoutStatement(stream, period, { idleTimeoutMs: timeoutMs });
  const s = await verifyPayoutStatement(signed, satellite.peerId, nodeId, previousHash);
  return toKept(s, signed.statement, signed.signature);
}

export class Earnings {
  private readonly kept;

  constructor(
    db: Level<string, unknown>,
    private readonly libp2p: Libp2p,
    private readonly satellites: TrustedSatellite[],
    private readonly nodeId: string,
    private readonly timeoutMs: number
  ) {
    this.kept = db.sublevel<string, KeptStatement>('statements', { valueEncoding: 'json' });
  }

  /** Fetches the statement of `period` (0: the latest) from one satellite, verifies and keeps it. */
  async fetch(satelliteId: string, period = 0): Promise<KeptStatement> {
    const satellite = this.satellites.find((s) => s.peerId === satelliteId);
    if (!satellite) throw new Error(`satellite ${satelliteId} is not trusted by this node`);
    const statement = await fetchStatement(this.libp2p, satellite, this.nodeId, period, this.timeoutMs);
    // Its first entry must link to the last entry of the statement kept for the period before.
    const before = await this.kept.get(`${satelliteId}!${pad(statement.period - 1)}`);
    const last = before?.entries.at(-1)?.hash;
    if (last !== undefined && statement.entries.length > 0 && statement.entries[0]!.nodePrev !== last) {
      throw new ProtocolError('STATEMENT_CHAIN_BROKEN', `period ${statement.period} does not continue the chain of period ${before!.period}`);
    }
    await this.kept.put(`${satelliteId}!${pad(statement.period)}`, statement);
    return statement;
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
