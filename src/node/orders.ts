// Checks of every order limit the node receives, in the order PROTOCOL.md gives, each failing with
// its own code. Serial numbers are remembered in LevelDB until their order expires, so a replay
// fails after a restart too.
import { type Level } from 'level';
import {
  PieceAction,
  ProtocolError,
  ProtocolErrorCode,
  verifyOrderLimit,
  type OrderLimit,
  type SignedOrderLimit
} from '../protocol/index.js';

export interface OrderCheckerOptions {
  nodeId: string;
  trustedSatellites: ReadonlySet<string>;
  /** Allowance for clocks that disagree, both for expiry and creation. */
  clockSkewMs: number;
  now: () => number;
  /** LevelDB of the node's own records (serials). */
  db: Level<string, unknown>;
  /** Told when a serial could be kept in memory only (the disk is full). */
  onUnsaved?: (serial: string, err: unknown) => void;
}

/** Orders that read what the node holds: answered with their serial in memory alone when the disk is full. */
const READ_ACTIONS: ReadonlySet<PieceAction> = new Set([PieceAction.AUDIT, PieceAction.REPAIR_GET, PieceAction.GET]);

const SERIAL_KEY_WIDTH = 16;
/** Serials kept in memory besides LevelDB (about 100 bytes each). */
const RECENT_SERIALS = 100_000;

export class OrderChecker {
  private readonly serials;
  private readonly serialsByExpiry;
  /**
   * Serials burned lately, newest last. A check looks here and in LevelDB (read ahead of its
   * write): a serial enters this set before its write starts and stays long after it is durable,
   * so two concurrent uses of one serial cannot both pass.
   */
  private readonly recent = new Set<string>();
  /** Serial writes not waited for (reads'): settled() waits for them before the database closes. */
  private readonly writing = new Set<Promise<void>>();

  constructor(private readonly options: OrderCheckerOptions) {
    this.serials = options.db.sublevel<string, number>('serials', { valueEncoding: 'json' });
    this.serialsByExpiry = options.db.sublevel<string, string>('serials-by-expiry', { valueEncoding: 'utf8' });
  }

  /**
   * Verifies `signed` for `actions` and burns its serial number. `admit`, when given, runs once
   * every check passed and before the serial is burned: it may take a slot or refuse (throw), and
   * a refused order keeps its serial (the requester may try it again later).
   */
  async check(signed: SignedOrderLimit | undefined, actions: readonly PieceAction[], admit?: (limit: OrderLimit) => void): Promise<OrderLimit> {
    const { nodeId, trustedSatellites, clockSkewMs, now } = this.options;
    if (!signed) throw new ProtocolError(ProtocolErrorCode.Malformed, 'the first message must carry the order limit');
    // Trust is checked on the decoded limit before any crypto. The serial's lookup goes to
    // LevelDB's thread while the signature is checked here; its answer is used only after the
    // checks before it passed.
    let seen: Promise<boolean> | undefined;
    const limit = await verifyOrderLimit(signed, (l) => {
      if (!trustedSatellites.has(l.satelliteId)) {
        throw new ProtocolError(ProtocolErrorCode.UntrustedSatellite, `order limit is signed by ${l.satelliteId || 'nobody'}, not a trusted satellite`);
      }
      seen = this.seen(l.satelliteId, l.serialNumber);
      seen.catch(() => undefined);
    });
    if (limit.nodeId !== nodeId) {
      throw new ProtocolError(ProtocolErrorCode.WrongNode, `order limit is for node ${limit.nodeId}, this is ${nodeId}`);
    }
    if (!actions.includes(limit.action)) {
      throw new ProtocolError(ProtocolErrorCode.WrongAction, `order limit is for ${limit.action}, this protocol takes ${actions.join(' or ')}`);
    }
    const t = now();
    const expires = Number(limit.orderExpiration);
    if (expires + clockSkewMs < t) {
      throw new ProtocolError(ProtocolErrorCode.Expired, `order limit expired at ${new Date(expires).toISOString()}`);
    }
    if (Number(limit.orderCreation) > t + clockSkewMs) {
      throw new ProtocolError(ProtocolErrorCode.FromTheFuture, `order limit was created at ${new Date(Number(limit.orderCreation)).toISOString()}, after now plus the allowed clock skew`);
    }
    if (limit.serialNumber.length !== 16) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `serial number must be 16 bytes, got ${limit.serialNumber.length}`);
    }
    if (limit.pieceId.length !== 32) {
      throw new ProtocolError(ProtocolErrorCode.Malformed, `piece id must be 32 bytes, got ${limit.pieceId.length}`);
    }
    const key = serialKey(limit.satelliteId, limit.serialNumber);
    if ((await seen!) || this.recent.has(key)) {
      throw new ProtocolError(ProtocolErrorCode.Replayed, `serial number ${key.split('!')[1]} was already used`);
    }
    admit?.(limit);
    const burn = this.burnSerial(key, expires + clockSkewMs, limit.action);
    this.writing.add(burn);
    void burn.catch(() => undefined).finally(() => this.writing.delete(burn));
    // A read goes on while its serial's (unsynced) write runs: the serial is burned in memory
    // already (`recent`), and a read is served even when that write fails (see burnSerial). A
    // write waits: its order is refused when the serial cannot be kept.
    if (READ_ACTIONS.has(limit.action)) burn.catch(() => undefined);
    else await burn;
    return limit;
  }

  private async seen(satelliteId: string, serial: Uint8Array): Promise<boolean> {
    return (await this.serials.get(serialKey(satelliteId, serial))) !== undefined;
  }

  private async burnSerial(key: string, keepUntil: number, action: PieceAction): Promise<void> {
    // check() looked already; this runs in the same tick, so it only matters to other callers.
    if (this.recent.has(key)) {
      throw new ProtocolError(ProtocolErrorCode.Replayed, `serial number ${key.split('!')[1]} was already used`);
    }
    this.recent.add(key);
    if (this.recent.size > RECENT_SERIALS) this.recent.delete(this.recent.values().next().value!);
    try {
      await this.options.db.batch([
        { type: 'put', sublevel: this.serials, key, value: keepUntil },
        { type: 'put', sublevel: this.serialsByExpiry, key: `${String(keepUntil).padStart(SERIAL_KEY_WIDTH, '0')}!${key}`, value: '' }
      ] as never);
    } catch (err) {
      // A full disk (or any failed write) must not stop the node serving what it holds: audits (a
      // refused audit is a failed one, and its pieces are all there), repair downloads and clients' downloads (with
      // a few nodes full at once and others down, a segment's readers need every node that has
      // a piece: a chaos read failed so). For reads the serial stays burned in memory (until a
      // restart, or RECENT_SERIALS newer ones: a replay then costs the node bandwidth nobody pays
      // for, bounded by the order's limit and expiry) and the order goes on. Writes are refused.
      if (READ_ACTIONS.has(action)) {
        this.options.onUnsaved?.(key, err);
        return;
      }
      this.recent.delete(key);
      throw err;
    }
  }

  /** Resolves once every serial write begun so far has ended (before the node closes its LevelDB). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.writing]);
  }

  /** Forgets serials whose orders have expired: a replay of those fails on expiry instead. */
  async sweep(now = this.options.now()): Promise<number> {
    const due: string[] = [];
    for await (const k of this.serialsByExpiry.keys({ lt: `${String(now).padStart(SERIAL_KEY_WIDTH, '0')}!` })) due.push(k);
    if (due.length === 0) return 0;
    await this.options.db.batch(
      due.flatMap((k) => [
        { type: 'del', sublevel: this.serialsByExpiry, key: k },
        { type: 'del', sublevel: this.serials, key: k.slice(k.indexOf('!') + 1) }
      ]) as never
    );
    return due.length;
  }
}

function serialKey(satelliteId: string, serial: Uint8Array): string {
  return `${satelliteId}!${Buffer.from(serial).toString('hex')}`;
}
