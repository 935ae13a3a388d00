// The gateway's upload memory budget: uploads wait in order for room, one larger than the whole
// budget runs alone, a waiter whose client went away leaves the queue.
import { describe, expect, it } from 'vitest';
import { MemoryBudget, SharedMemoryBudget, uploadFootprint } from '../../src/gateway/budget.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('MemoryBudget', () => {
  it('admits uploads in order while they fit, and the next ones as room comes back', async () => {
    const b = new MemoryBudget(100);
    const order: string[] = [];
    const r1 = await b.acquire(60);
    const p2 = b.acquire(50).then((r) => (order.push('second'), r));
    const p3 = b.acquire(10).then((r) => (order.push('third'), r));
    await tick();
    // The third would fit, but waits behind the second: no starvation of large uploads.
    expect(order).toEqual([]);
    expect(b.state).toEqual({ used: 60, waiting: 2 });
    r1();
    r1();
    const r2 = await p2;
    const r3 = await p3;
    expect(order).toEqual(['second', 'third']);
    expect(b.state).toEqual({ used: 60, waiting: 0 });
    r2();
    r3();
    expect(b.state.used).toBe(0);
  });

  it('runs one upload larger than the budget alone, and drops a waiter that is aborted', async () => {
    const b = new MemoryBudget(100);
    const big = await b.acquire(1000);
    expect(b.state.used).toBe(100);
    const gone = new AbortController();
    const aborted = b.acquire(10, gone.signal);
    const next = b.acquire(10);
    gone.abort(new Error('client left'));
    await expect(aborted).rejects.toThrow('client left');
    big();
    (await next)();
    expect(b.state).toEqual({ used: 0, waiting: 0 });
  });

  it('weighs an upload by its segment size or its body, whichever is smaller', () => {
    // One sealed segment (or the smaller body) and up to 4 MiB of parity ranges.
    expect(uploadFootprint(32 << 20, 5 << 20)).toBe(9 << 20);
    expect(uploadFootprint(32 << 20, 1 << 30)).toBe(36 << 20);
    expect(uploadFootprint(32 << 20, undefined)).toBe(36 << 20);
    expect(uploadFootprint(32 << 20, 1 << 20)).toBe(3 << 20);
    expect(uploadFootprint(32 << 20, 0)).toBe(3);
  });
});

describe('SharedMemoryBudget (hostile review 20, H4)', () => {
  it("queues a tenant's transfers past its share in its own line, so another tenant's go ahead of them", async () => {
    const b = new SharedMemoryBudget(100, 0.5);
    const order: string[] = [];
    // Tenant a: slow transfers holding half the budget, and a third one waiting.
    const a1 = await b.acquire('a', 30);
    const a2 = await b.acquire('a', 20);
    const a3 = b.acquire('a', 30).then((r) => (order.push('a3'), r));
    await tick();
    // A plain FIFO budget would have let a3 in (50 + 30 <= 100) and b1 would wait behind it.
    expect(order).toEqual([]);
    expect(b.state).toEqual({ used: 50, waiting: 1 });
    const b1 = await b.acquire('b', 50);
    expect(b.state).toEqual({ used: 100, waiting: 1 });
    // Room in a's line and in the budget (b 50, a 20 + 30): a3 runs.
    a1();
    const r3 = await a3;
    expect(order).toEqual(['a3']);
    expect(b.state).toEqual({ used: 100, waiting: 0 });
    b1();
    a2();
    r3();
    r3();
    expect(b.state).toEqual({ used: 0, waiting: 0 });
    expect(b.accesses).toBe(0);
  });

  it("runs a tenant's transfer larger than its share alone in its line, and drops an aborted waiter from either queue", async () => {
    const b = new SharedMemoryBudget(100, 0.25);
    const big = await b.acquire('a', 80);
    expect(b.state.used).toBe(80);
    const gone = new AbortController();
    const inLine = b.acquire('a', 5, gone.signal);
    const inBudget = b.acquire('b', 25, gone.signal);
    await tick();
    expect(b.state).toEqual({ used: 80, waiting: 2 });
    gone.abort(new Error('client left'));
    await expect(inLine).rejects.toThrow('client left');
    await expect(inBudget).rejects.toThrow('client left');
    expect(b.state).toEqual({ used: 80, waiting: 0 });
    big();
    expect(b.state).toEqual({ used: 0, waiting: 0 });
    expect(b.accesses).toBe(0);
  });
});
