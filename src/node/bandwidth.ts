// Bytes the node received (uploads) and sent (downloads), per UTC day, in its LevelDB: what the
// dashboard shows as bandwidth today and this month.
import type { Level } from 'level';

export interface DayBandwidth {
  day: string;
  ingress: number;
  egress: number;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export class BandwidthLog {
  private readonly days;
  private readonly cache = new Map<string, DayBandwidth>();
  private writing: Promise<void> = Promise.resolve();

  constructor(db: Level<string, unknown>) {
    this.days = db.sublevel<string, DayBandwidth>('bandwidth', { valueEncoding: 'json' });
  }

  /** Counts bytes; writes are queued one after another so none is lost to a race. */
  add(direction: 'ingress' | 'egress', bytes: number, now: number): Promise<void> {
    const day = dayOf(now);
    this.writing = this.writing.then(async () => {
      const cur = this.cache.get(day) ?? (await this.days.get(day)) ?? { day, ingress: 0, egress: 0 };
      const next = { ...cur, [direction]: cur[direction] + bytes };
      this.cache.set(day, next);
      if (this.cache.size > 2) this.cache.delete(this.cache.keys().next().value!);
      await this.days.put(day, next);
    });
    return this.writing;
  }

  /** Today, this month, and each day of the last `days`. */
  async summary(now: number, days = 31): Promise<{ today: DayBandwidth; month: { ingress: number; egress: number }; days: DayBandwidth[] }> {
    await this.writing;
    const today = dayOf(now);
    const from = dayOf(now - (days - 1) * 86_400_000);
    const list: DayBandwidth[] = [];
    for await (const d of this.days.values({ gte: from, lte: today })) list.push(d);
    const month = list.filter((d) => d.day.slice(0, 7) === today.slice(0, 7)).reduce((m, d) => ({ ingress: m.ingress + d.ingress, egress: m.egress + d.egress }), { ingress: 0, egress: 0 });
    return { today: list.find((d) => d.day === today) ?? { day: today, ingress: 0, egress: 0 }, month, days: list };
  }
}
