// The ledger's hash chain as every LedgerDB backend builds and checks it: the same credits after the
// same head give the same entries (and hashes) on LevelDB and PostgreSQL, and `ledger verify`
// walks either with the same checks.
import { entryHash, type Credit, type LedgerEntry, type PeriodRecord } from './ledger.js';
import { formatTokens } from './tokens.js';

/** The chain's last entry: its sequence number and hash (0 and '' before the first). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The nodes a period's credits add entries for (credits of 0 add none), each once. */
export function creditedNodes(credits: readonly Credit[]): string[] {
  return [...new Set(credits.filter((c) => c.units !== 0n).map((c) => c.nodeId))];
}

/**
 * The entries closing `period` appends after `head`, and what the store keeps with them: the new
 * head, the new head of each credited node, and the period's record. `nodeHeads` holds the
 * credited nodes' last entry hashes before this period (a node absent has none).
 */
export function chainCredits(
  period: { period: number; start: number; end: number },
  credits: readonly Credit[],
  now: number,
  head: ChainHead,
  nodeHeads: ReadonlyMap<string, string>
): { entries: LedgerEntry[]; head: ChainHead; nodeHeads: Map<string, string>; record: PeriodRecord } {
  const entries: LedgerEntry[] = [];
  const changed = new Map<string, string>();
  let total = 0n;
  for (const c of credits) {
    if (c.units === 0n) continue;
    const nodePrev = changed.get(c.nodeId) ?? nodeHeads.get(c.nodeId) ?? '';
    const body = { seq: head.seq + 1, period: period.period, nodeId: c.nodeId, kind: c.kind, amount: formatTokens(c.units), detail: c.detail, time: now, prev: head.hash, nodePrev };
    const entry: LedgerEntry = { ...body, hash: entryHash(body) };
    entries.push(entry);
    head = { seq: entry.seq, hash: entry.hash };
    changed.set(c.nodeId, entry.hash);
    total += c.units;
  }
  const record: PeriodRecord = { ...period, closedAt: now, entries: entries.length, total: formatTokens(total) };
  return { entries, head, nodeHeads: changed, record };
}

/** One stored entry as `verifyChain` reads it: its key in the store, and the entry (throws when it is none). */
export interface StoredEntry {
  key: string;
  entry: () => LedgerEntry;
}

/**
 * Recomputes every hash and link over the entries in key order, then checks the recorded head;
 * the first entry that does not hold is reported. `keyOf` is the key the store gives entry `seq`.
 */
export async function verifyChain(stored: AsyncIterable<StoredEntry>, keyOf: (seq: number) => string, head: () => Promise<ChainHead | undefined>): Promise<{ ok: boolean; entries: number; problem?: string }> {
  let prev = '';
  let seq = 0;
  const nodePrev = new Map<string, string>();
  for await (const { key, entry } of stored) {
    seq++;
    let e: LedgerEntry;
    let hash: string;
    // An entry that is no longer one, or lacks a field the hash covers, is reported as altered
    // like any other edit, never thrown (a 500 named nothing).
    try {
      e = entry();
      hash = entryHash(e);
    } catch {
      return { ok: false, entries: seq, problem: `entry ${seq} was altered: it is not a ledger entry any more` };
    }
    const problem =
      key !== keyOf(seq) || e.seq !== seq
        ? `entry ${key} is out of sequence (expected ${seq})`
        : e.prev !== prev
          ? `entry ${seq} does not link to the entry before it`
          : e.nodePrev !== (nodePrev.get(e.nodeId) ?? '')
            ? `entry ${seq} does not link to its node's previous entry`
            : hash !== e.hash
              ? `entry ${seq} was altered: its hash does not match its content`
              : undefined;
    if (problem) return { ok: false, entries: seq, problem };
    prev = e.hash;
    nodePrev.set(e.nodeId, e.hash);
  }
  const last = await head();
  if ((last?.hash ?? '') !== prev || (last?.seq ?? 0) !== seq) return { ok: false, entries: seq, problem: 'the ledger ends before its recorded head (entries removed)' };
  return { ok: true, entries: seq };
}
