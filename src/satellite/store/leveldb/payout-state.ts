// The LevelDB PayoutStateDB (LevelPayoutState): the epoch under key 'epoch' in 'payout-state'.
import type { Level } from 'level';
import type { PayoutStateDB } from '../../payouts/index.js';

export class LevelPayoutState implements PayoutStateDB {
  private readonly state;

  constructor(db: Level<string, unknown>) {
    this.state = db.sublevel<string, number>('payout-state', { valueEncoding: 'json' });
  }

  async epoch(): Promise<number | undefined> {
    return this.state.get('epoch');
  }

  async setEpoch(start: number): Promise<void> {
    await this.state.put('epoch', start);
  }
}
