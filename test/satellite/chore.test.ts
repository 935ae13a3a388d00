// Chore: the one scheduling helper of the satellite's parts.
import type { Logger } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Chore } from '../../src/satellite/index.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A round that ends only when told to, and counts how often it began. */
function gated(): { round: (signal: AbortSignal) => Promise<number>; release: () => void; started: () => number; signals: AbortSignal[] } {
  let started = 0;
  let release = (): void => undefined;
  const signals: AbortSignal[] = [];
  return {
    round: (signal) => {
      started++;
      signals.push(signal);
      return new Promise<number>((resolve) => (release = () => resolve(started)));
    },
    release: () => release(),
    started: () => started,
    signals
  };
}

describe('Chore', () => {
  it('joins a run-now to the round in flight, and runs a new round once it ended', async () => {
    const g = gated();
    const chore = new Chore({ name: 'test', intervalMs: 0, round: g.round });
    const a = chore.runNow();
    const b = chore.runNow();
    expect(a).toBe(b);
    expect(chore.busy).toBe(true);
    g.release();
    expect(await a).toBe(1);
    expect(chore.busy).toBe(false);
    const c = chore.runNow();
    g.release();
    expect(await c).toBe(2);
  });

  it('runs on its interval, never two rounds at once, and not at all with interval 0', async () => {
    vi.useFakeTimers();
    const g = gated();
    const chore = new Chore({ name: 'test', intervalMs: 1000, round: g.round });
    chore.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(g.started()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(g.started()).toBe(1);
    // Still in flight: later ticks join it.
    await vi.advanceTimersByTimeAsync(3000);
    expect(g.started()).toBe(1);
    g.release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(g.started()).toBe(2);
    g.release();
    await chore.stop();
    const off = gated();
    new Chore({ name: 'off', intervalMs: 0, round: off.round }).start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(off.started()).toBe(0);
  });

  it('stop() cancels the schedule, aborts the round signal, and waits for the round in flight', async () => {
    vi.useFakeTimers();
    const g = gated();
    const chore = new Chore({ name: 'test', intervalMs: 1000, round: g.round });
    chore.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(g.started()).toBe(1);
    let stopped = false;
    const stopping = chore.stop().then(() => (stopped = true));
    expect(g.signals[0]!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(stopped).toBe(false);
    expect(g.started()).toBe(1);
    g.release();
    await stopping;
    expect(stopped).toBe(true);
    await expect(chore.runNow()).rejects.toMatchObject({ code: 'SATELLITE_STOPPED' });
  });

  it('logs a scheduled round that fails and keeps its schedule; a run-now caller gets the error', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const log = { error: (obj: unknown) => errors.push(obj) } as unknown as Logger;
    let calls = 0;
    const chore = new Chore({
      name: 'failing',
      intervalMs: 100,
      log,
      round: () => {
        calls++;
        return Promise.reject(new Error('boom'));
      }
    });
    chore.start();
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
    await expect(chore.runNow()).rejects.toThrow('boom');
    await chore.stop();
  });
});

describe('Chore intervals', () => {
  it('treats a non-numeric or missing interval as off, never as setInterval(NaN)', async () => {
    vi.useFakeTimers();
    for (const intervalMs of [Number('5m'), undefined as unknown as number, NaN, -1]) {
      let calls = 0;
      const chore = new Chore({ name: 'odd', intervalMs, round: async () => void calls++ });
      chore.start();
      await vi.advanceTimersByTimeAsync(100);
      expect(calls).toBe(0);
      await chore.stop();
    }
  });
});

describe('Chore under a lease', () => {
  it('runs a scheduled round only while its lease is held, under the lease name it is given', async () => {
    const asked: string[] = [];
    let held = false;
    const leaseSignal = new AbortController();
    const lease = { hold: async (name: string) => (asked.push(name), held), signal: () => leaseSignal.signal };
    let rounds = 0;
    const chore = new Chore({ name: 'repairer', leaseName: 'durability', intervalMs: 0, lease, round: async () => ++rounds });
    expect(await chore.runScheduled()).toBeUndefined();
    expect(rounds).toBe(0);
    held = true;
    expect(await chore.runScheduled()).toBe(1);
    expect(asked).toEqual(['durability', 'durability']);
    // A round under the lease stops when the lease is given up.
    let seen: AbortSignal | undefined;
    const fenced = new Chore({ name: 'gc', intervalMs: 0, lease, round: (signal) => ((seen = signal), new Promise<number>((resolve) => signal.addEventListener('abort', () => resolve(-1)))) });
    const round = fenced.runScheduled();
    await new Promise((r) => setTimeout(r, 10));
    expect(seen!.aborted).toBe(false);
    leaseSignal.abort(new Error('lost'));
    expect(await round).toBe(-1);
    await fenced.stop();
    asked.length = 2;
    // A run asked for by the operator runs where it is asked, lease or not.
    held = false;
    expect(await chore.runNow()).toBe(2);
    await chore.stop();
    // Stopped: nothing more, not even a lease asked for.
    expect(await chore.runScheduled()).toBeUndefined();
    expect(asked).toHaveLength(2);
  });
});
