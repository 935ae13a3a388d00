// Samples for the dashboard's charts, kept in the node's LevelDB: every `intervalMs` the used,
// trash and free space and each satellite's audit and online score for this node. The newest
// `maxSamples` are kept (31 days at the default 15 minutes).
import type { Level } from 'level';
import type { SatelliteStats } from './satellite-stats.js';

export interface HistorySample {
  at: number;
  used: number;
  trash: number;
  free: number;
  /** Per satellite id; absent when the satellite did not answer. */
  scores: Record<string, { audit: number; online: number }>;
}

export interface HistorySource {
  space(): { used: number; trash: number; free: number };
  stats(): Promise<Map<string, { stats?: SatelliteStats }>>;
}

export const HISTORY_MAX_SAMPLES = 3000;

const key = (at: number): string => String(at).padStart(15, '0');

export class DashboardHistory {
  private readonly samples;
  private timer: NodeJS.Timeout | undefined;
  private recording: Promise<unknown> = Promise.resolve();

  constructor(
    db: Level<string, unknown>,
    private readonly source: HistorySource,
    private readonly now: () => number,
    private readonly maxSamples = HISTORY_MAX_SAMPLES
  ) {
    this.samples = db.sublevel<string, HistorySample>('history', { valueEncoding: 'json' });
  }

  /** Takes a sample now and every `intervalMs`; 0 takes none (only `record` calls). */
  start(intervalMs: number): void {
    if (this.stopped || intervalMs <= 0) return;
    void this.record();
    this.timer = setInterval(() => void this.record(), intervalMs);
    this.timer.unref();
  }

  private stopped = false;

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.recording.catch(() => undefined);
  }

  /** One sample; the oldest beyond `maxSamples` are dropped. Never throws. */
  record(): Promise<HistorySample | undefined> {
    const next = this.recording.then(async () => {
      try {
        const stats = await this.source.stats();
        const scores: HistorySample['scores'] = {};
        for (const [id, s] of stats) if (s.stats) scores[id] = { audit: s.stats.auditScore, online: s.stats.onlineScore };
        const sample: HistorySample = { at: this.now(), ...this.source.space(), scores };
        await this.samples.put(key(sample.at), sample);
        const old: string[] = [];
        let seen = 0;
        for await (const k of this.samples.keys({ reverse: true })) if (++seen > this.maxSamples) old.push(k);
        if (old.length > 0) await this.samples.batch(old.map((k) => ({ type: 'del' as const, key: k })));
        return sample;
      } catch {
        // The store closing under a timer: the next sample will do.
        return undefined;
      }
    });
    this.recording = next;
    return next;
  }

  /** Samples from `since` (ms), oldest first. */
  async list(since = 0): Promise<HistorySample[]> {
    await this.recording;
    const out: HistorySample[] = [];
    for await (const s of this.samples.values({ gte: key(since) })) out.push(s);
    return out;
  }
}
