// The payouts chore's round: closes the open period once it has run its length.
import type { Logger } from 'pino';
import type { PeriodRecord } from './ledger.js';
import type { PayoutService } from './service.js';

/** How often the satellite looks whether the payout period has run its length (at most). */
const PAYOUT_CHECK_MS = 60 * 1000;

/** Every minute, or every period when that is shorter; 0 (off) when periods are off. */
export function payoutCheckInterval(periodMs: number): number {
  return periodMs > 0 ? Math.min(PAYOUT_CHECK_MS, periodMs) : 0;
}

export async function closeDuePeriod(payouts: PayoutService, log: Logger): Promise<PeriodRecord | undefined> {
  const closed = await payouts.closeIfDue();
  if (closed) log.info(closed, 'payout period closed');
  return closed;
}
