// The PostgreSQL LedgerDB: entries by sequence number (indexed by period and by node too), closed
// periods by number, and the chain's heads ('all' and 'node!<id>', as the LevelDB ledger keys
// them). The chain is built and checked by payouts/chain.ts, so both backends give the same
// entries and hashes for the same credits. A period is closed in one transaction holding the
// 'all' head's row lock: two processes closing it at once take turns, and the second finds it
// closed and credits nothing.
import type pg from 'pg';
import { StowageError } from '../../../common/index.js';
import {
  chainCredits,
  creditedNodes,
  formatTokens,
  parseTokens,
  verifyChain,
  type ChainHead,
  type Credit,
  type LedgerDB,
  type LedgerEntry,
  type LedgerEntryKind,
  type PeriodRecord,
  type StoredEntry
} from '../../payouts/index.js';
import { transaction, type Pool, type Queryable } from './sql.js';

export const LEDGER_SCHEMA: readonly string[] = [
  `CREATE TABLE ledger_entries (seq BIGINT PRIMARY KEY, period BIGINT NOT NULL, node_id TEXT NOT NULL, kind TEXT NOT NULL, amount TEXT NOT NULL,
     detail TEXT NOT NULL, entered_at BIGINT NOT NULL, prev TEXT NOT NULL, node_prev TEXT NOT NULL, hash TEXT NOT NULL)`,
  'CREATE INDEX ledger_entries_period ON ledger_entries (period, seq)',
  'CREATE INDEX ledger_entries_node ON ledger_entries (node_id, seq)',
  `CREATE TABLE ledger_periods (period BIGINT PRIMARY KEY, start_at BIGINT NOT NULL, end_at BIGINT NOT NULL, closed_at BIGINT NOT NULL,
     entries BIGINT NOT NULL, total TEXT NOT NULL)`,
  'CREATE TABLE ledger_heads (name TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)'
];

const ENTRY_COLUMNS = 'seq, period, node_id, kind, amount, detail, entered_at, prev, node_prev, hash';
const PERIOD_COLUMNS = 'period, start_at, end_at, closed_at, entries, total';

interface EntryRow {
  seq: number;
  period: number;
  node_id: string;
  kind: LedgerEntryKind;
  amount: string;
  detail: string;
  entered_at: number;
  prev: string;
  node_prev: string;
  hash: string;
}

interface PeriodRow {
  period: number;
  start_at: number;
  end_at: number;
  closed_at: number;
  entries: number;
  total: string;
}

const entryOf = (r: EntryRow): LedgerEntry => ({
  seq: r.seq,
  period: r.period,
  nodeId: r.node_id,
  kind: r.kind,
  amount: r.amount,
  detail: r.detail,
  time: r.entered_at,
  prev: r.prev,
  nodePrev: r.node_prev,
  hash: r.hash
});

const periodOf = (r: PeriodRow): PeriodRecord => ({ period: r.period, start: r.start_at, end: r.end_at, closedAt: r.closed_at, entries: r.entries, total: r.total });

/** Rows per INSERT of a period's entries (10 parameters each, well below the protocol's 65535). */
const INSERT_ROWS = 1000;
/** Entries per page of verify's walk. */
const PAGE = 1000;

/** Inserts `rows` (arrays of `width` values) in statements of INSERT_ROWS rows: `head` is the statement up to VALUES. */
async function insertRows(c: pg.PoolClient, head: string, width: number, rows: readonly unknown[][], tail = ''): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const chunk = rows.slice(i, i + INSERT_ROWS);
    const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, k) => `$${r * width + k + 1}`).join(', ')})`).join(', ');
    await c.query(`${head} VALUES ${values} ${tail}`, chunk.flat());
  }
}

export class PgLedgerDB implements LedgerDB {
  constructor(private readonly pool: Pool) {}

  async period(period: number): Promise<PeriodRecord | undefined> {
    return this.periodOn(this.pool, period);
  }

  private async periodOn(db: Queryable, period: number): Promise<PeriodRecord | undefined> {
    const { rows } = await db.query<PeriodRow>(`SELECT ${PERIOD_COLUMNS} FROM ledger_periods WHERE period = $1`, [period]);
    return rows[0] && periodOf(rows[0]);
  }

  async lastPeriod(): Promise<PeriodRecord | undefined> {
    return this.lastPeriodOn(this.pool);
  }

  private async lastPeriodOn(db: Queryable): Promise<PeriodRecord | undefined> {
    const { rows } = await db.query<PeriodRow>(`SELECT ${PERIOD_COLUMNS} FROM ledger_periods ORDER BY period DESC LIMIT 1`);
    return rows[0] && periodOf(rows[0]);
  }

  async listPeriods(): Promise<PeriodRecord[]> {
    const { rows } = await this.pool.query<PeriodRow>(`SELECT ${PERIOD_COLUMNS} FROM ledger_periods ORDER BY period`);
    return rows.map(periodOf);
  }

  async closePeriod(period: { period: number; start: number; end: number }, credits: readonly Credit[], now: number): Promise<{ record: PeriodRecord; created: boolean }> {
    return transaction(this.pool, async (c) => {
      // The head's row lock keeps closers apart (across processes too); the first close ever makes the row.
      await c.query("INSERT INTO ledger_heads (name, seq, hash) VALUES ('all', 0, '') ON CONFLICT (name) DO NOTHING");
      const { rows: heads } = await c.query<ChainHead>("SELECT seq, hash FROM ledger_heads WHERE name = 'all' FOR UPDATE");
      const existing = await this.periodOn(c, period.period);
      if (existing) return { record: existing, created: false };
      const last = await this.lastPeriodOn(c);
      if (last && period.period !== last.period + 1) {
        throw new StowageError('PERIOD_OUT_OF_ORDER', `period ${period.period} cannot follow period ${last.period}`);
      }
      const credited = creditedNodes(credits);
      const { rows: stored } = await c.query<{ name: string; hash: string }>('SELECT name, hash FROM ledger_heads WHERE name = ANY($1::TEXT[])', [credited.map((id) => `node!${id}`)]);
      const nodeHeads = new Map(stored.map((h) => [h.name.slice('node!'.length), h.hash]));
      const chain = chainCredits(period, credits, now, heads[0]!, nodeHeads);
      await insertRows(
        c,
        `INSERT INTO ledger_entries (${ENTRY_COLUMNS})`,
        10,
        chain.entries.map((e) => [e.seq, e.period, e.nodeId, e.kind, e.amount, e.detail, e.time, e.prev, e.nodePrev, e.hash])
      );
      await insertRows(
        c,
        'INSERT INTO ledger_heads (name, seq, hash)',
        3,
        [...chain.nodeHeads].map(([nodeId, hash]) => [`node!${nodeId}`, 0, hash]),
        'ON CONFLICT (name) DO UPDATE SET hash = excluded.hash'
      );
      await c.query("UPDATE ledger_heads SET seq = $1, hash = $2 WHERE name = 'all'", [chain.head.seq, chain.head.hash]);
      const r = chain.record;
      await c.query(`INSERT INTO ledger_periods (${PERIOD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [r.period, r.start, r.end, r.closedAt, r.entries, r.total]);
      return { record: r, created: true };
    });
  }

  async list(filter: { period?: number; nodeId?: string } = {}): Promise<LedgerEntry[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.period !== undefined) where.push(`period = $${values.push(filter.period)}`);
    if (filter.nodeId !== undefined) where.push(`node_id = $${values.push(filter.nodeId)}`);
    const { rows } = await this.pool.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`, values);
    return rows.map(entryOf);
  }

  /** Balances per node, summed by the database (exact decimals), in the order nodes first appear in the ledger. */
  async balances(): Promise<Record<string, string>> {
    const { rows } = await this.pool.query<{ node_id: string; total: string }>(
      'SELECT node_id, sum(amount::NUMERIC)::TEXT AS total FROM ledger_entries GROUP BY node_id ORDER BY min(seq)'
    );
    return Object.fromEntries(rows.map((r) => [r.node_id, formatTokens(parseTokens(r.total))]));
  }

  /** Walks the chain in one read-only snapshot: a period closed meanwhile is either all in it (head too) or not at all. */
  async verify(): Promise<{ ok: boolean; entries: number; problem?: string }> {
    return transaction(this.pool, async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      async function* stored(): AsyncGenerator<StoredEntry> {
        let after: number | undefined;
        while (true) {
          const { rows } =
            after === undefined
              ? await c.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries ORDER BY seq LIMIT ${PAGE}`)
              : await c.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`, [after]);
          for (const row of rows) yield { key: String(row.seq), entry: () => entryOf(row) };
          if (rows.length < PAGE) return;
          after = rows[rows.length - 1]!.seq;
        }
      }
      return verifyChain(stored(), String, async () => {
        const { rows } = await c.query<ChainHead>("SELECT seq, hash FROM ledger_heads WHERE name = 'all'");
        return rows[0];
      });
    });
  }
}
