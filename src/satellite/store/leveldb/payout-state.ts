// The LevelDB PayoutStateDB and PublicationDB (LevelPayoutState): the epoch under key 'epoch' in
// 'payout-state'; each period's chain publication under its zero-padded number in
// 'payout-publications' (so key order is period order).
import type { Level } from 'level';
import type { PayoutStateDB, Publication, PublicationDB } from '../../payouts/index.js';

const periodKey = (period: number): string => String(period).padStart(12, '0');

export class LevelPayoutState implements PayoutStateDB, PublicationDB {
  private readonly state;
  private readonly publications;

  constructor(db: Level<string, unknown>) {
    this.state = db.sublevel<string, number>('payout-state', { valueEncoding: 'json' });
    this.publications = db.sublevel<string, Publication>('payout-publications', { valueEncoding: 'json' });
  }

  async epoch(): Promise<number | undefined> {
    return this.state.get('epoch');
  }

  async setEpoch(start: number): Promise<void> {
    await this.state.put('epoch', start);
  }

  async publication(period: number): Promise<Publication | undefined> {
    return this.publications.get(periodKey(period));
  }

  async lastPublication(): Promise<Publication | undefined> {
    for await (const value of this.publications.values({ reverse: true, limit: 1 })) return value;
    return undefined;
  }

  async putPublication(p: Publication): Promise<void> {
    await this.publications.put(periodKey(p.period), p);
  }
}
