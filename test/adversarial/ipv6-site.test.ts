// An IPv6 attacker holds a /48 (65,536 /64s), and every per-IP limit keys IPv6 by /64 (hostile
// review F12): rotating through its /64s multiplied each share by as many as it cared to use. Now
// a /48 together gets SITE_SHARE times one address's share, in the rate limits, the stream caps,
// the connection gater and the satellite's buffer pool. Requests also cost what they make the
// satellite do (F13): a begin_segment (node selection, an order signed per piece) takes 10 tokens.
import { multiaddr } from '@multiformats/multiaddr';
import type { MultiaddrConnection } from '@libp2p/interface';
import { describe, expect, it } from 'vitest';
import { RateLimiter, SITE_SHARE, rateLimitKey, siteKey } from '../../src/common/rate-limit.js';
import { BufferBudget, BudgetShares, MetainfoRequest, PendingInboundLimiter, SiteStreamsError, StreamLimiter } from '../../src/protocol/index.js';
import { requestCost, workCost } from '../../src/satellite/metainfo/index.js';

/** The /64s of one /48 (2001:db8:aa::/48), one address in each. */
const inSite = (i: number): string => `/ip6/2001:db8:aa:${i.toString(16)}::1/tcp/4001`;
const otherSite = '/ip6/2001:db8:bb:1::1/tcp/4001';

/** A connection's remote end as the gater sees it: an address, and an event when it closes. */
function connectionFrom(addr: string): MultiaddrConnection & { end(): void } {
  const events = new EventTarget();
  return Object.assign(events, {
    remoteAddr: multiaddr(addr),
    end: () => events.dispatchEvent(new Event('close'))
  }) as unknown as MultiaddrConnection & { end(): void };
}

describe('an IPv6 /48 shares SITE_SHARE addresses\' worth', () => {
  it('names the /48 of IPv6 callers only', () => {
    expect(siteKey('/ip6/2001:db8:aa:1::1/tcp/1')).toBe('2001:0db8:00aa::/48');
    expect(siteKey('/ip6/2001:db8:aa:ffff:1:2:3:4/tcp/1')).toBe(siteKey('/ip6/2001:db8:aa::9/tcp/2'));
    expect(siteKey('/ip6/2001:db8:ab::1/tcp/1')).not.toBe(siteKey('/ip6/2001:db8:aa::1/tcp/1'));
    expect(siteKey('/ip4/203.0.113.5/tcp/1')).toBeUndefined();
    expect(siteKey('/ip6/::ffff:203.0.113.5/tcp/1')).toBeUndefined();
    // Through a NAT64 gateway every IPv4 peer is its own IPv4 key, not one shared /64 (review 11).
    expect(rateLimitKey('/ip6/64:ff9b::1.2.3.4/tcp/1')).toBe('1.2.3.4');
    expect(rateLimitKey('/ip6/64:ff9b::506:708/tcp/1')).toBe('5.6.7.8');
    expect(siteKey('/ip6/64:ff9b::1.2.3.4/tcp/1')).toBeUndefined();
  });

  it('rate limits: each /64 its burst, the /48 SITE_SHARE bursts in all, refused requests take nothing', () => {
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 10 }, () => t);
    let served = 0;
    for (let i = 0; i < 64; i++) {
      for (let j = 0; j < 10; j++) {
        try {
          limiter.checkRemote(inSite(i));
          served++;
        } catch (err) {
          expect((err as { code: string }).code).toBe('RATE_LIMITED');
        }
      }
    }
    // 64 /64s of 10 each would have been 640 before.
    expect(served).toBe(10 * SITE_SHARE);
    // Another /48 and an IPv4 caller are untouched.
    expect(() => limiter.checkRemote(otherSite)).not.toThrow();
    expect(() => limiter.checkRemote('/ip4/203.0.113.5/tcp/1')).not.toThrow();
    // A /64 that was refused by its site kept its own tokens: once the site refills, it is served.
    t += 10_000 / SITE_SHARE; // the /48 refills at SITE_SHARE tokens a second: 10 back
    expect(() => limiter.checkRemote(inSite(63))).not.toThrow();
  });

  it('a request costs tokens by its work: 6 begin_segments do not fit a burst of 50', () => {
    expect(requestCost(MetainfoRequest.decode(MetainfoRequest.encode({ beginSegment: {} as never })))).toBe(10);
    expect(requestCost(MetainfoRequest.decode(MetainfoRequest.encode({ replacementOrders: {} as never })))).toBe(10);
    expect(requestCost(MetainfoRequest.decode(MetainfoRequest.encode({ getObject: {} as never })))).toBe(4);
    expect(requestCost(MetainfoRequest.decode(MetainfoRequest.encode({ listObjects: {} as never })))).toBe(2);
    expect(requestCost(MetainfoRequest.decode(MetainfoRequest.encode({ createBucket: {} as never })))).toBe(1);
    const limiter = new RateLimiter({ perSecond: 1, burst: 50 }, () => 0);
    const outcomes = Array.from({ length: 6 }, () => {
      try {
        limiter.checkRemote('/ip4/203.0.113.9/tcp/1', 10);
        return 'ok';
      } catch (err) {
        return (err as { code: string }).code;
      }
    });
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
    // A commit pays for the signatures it makes the satellite check: 110 receipts and 110 hashes
    // cost 23 tokens, not 1 (review 11).
    const commit = (n: number) => MetainfoRequest.decode(MetainfoRequest.encode({ commitSegment: { streamId: 's', index: 0, plainSize: 1n, receipts: Array.from({ length: n }, () => ({})), pieceHashes: Array.from({ length: n }, () => ({})) } as never }));
    expect(requestCost(commit(0))).toBe(1);
    expect(requestCost(commit(110))).toBe(23);
    // A get_object page is charged after the fact by the orders it signed: 700 orders, 71 tokens.
    const get = MetainfoRequest.decode(MetainfoRequest.encode({ getObject: {} as never }));
    const page = { getObject: { segments: Array.from({ length: 21 }, () => ({ pieces: Array.from({ length: 33 }, () => ({})) })) } } as never;
    expect(workCost(get, page)).toBe(1 + Math.ceil((21 * 33) / 10));
    expect(workCost(get, {})).toBe(4);
    // The debt makes the caller wait: 70 tokens owed at 10 a second refuse the next request for ~7 s.
    let t = 0;
    const paying = new RateLimiter({ perSecond: 10, burst: 100 }, () => t);
    paying.checkRemote('/ip4/203.0.113.10/tcp/1', 4);
    paying.debitRemote('/ip4/203.0.113.10/tcp/1', 170);
    expect(() => paying.checkRemote('/ip4/203.0.113.10/tcp/1', 1)).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }) as Error);
    t += 7_400; // from -74 to 0: a token short still
    expect(() => paying.checkRemote('/ip4/203.0.113.10/tcp/1', 1)).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }) as Error);
    t += 200;
    expect(() => paying.checkRemote('/ip4/203.0.113.10/tcp/1', 1)).not.toThrow();
    // A cost above the burst is charged as the burst: it can still pass once the bucket is full.
    expect(() => new RateLimiter({ perSecond: 1, burst: 5 }, () => 0).checkRemote('/ip4/203.0.113.9/tcp/1', 10)).not.toThrow();
  });

  it('stream caps: the /48 holds SITE_SHARE addresses\' streams, and gives them back', () => {
    const limiter = new StreamLimiter({ maxStreamsPerPeer: 100, maxStreamsPerIp: 2 });
    const tickets = [];
    let refused = 0;
    for (let i = 0; i < 32; i++) {
      for (let j = 0; j < 2; j++) {
        try {
          tickets.push(limiter.admit(`peer-${i}-${j}`, inSite(i)));
        } catch (err) {
          expect((err as { code: string }).code).toBe('NODE_TOO_MANY_STREAMS');
          refused++;
        }
      }
    }
    expect(tickets).toHaveLength(2 * SITE_SHARE);
    expect(refused).toBe(64 - 2 * SITE_SHARE);
    // A refusal by the /48's cap is its own error, which a node never counts as the caller's abuse.
    expect(() => limiter.admit('late', inSite(60))).toThrow(SiteStreamsError);
    expect(() => limiter.admit('peer-0-0', inSite(0))).not.toThrow(SiteStreamsError);
    limiter.admit('elsewhere', otherSite);
    for (const t of tickets) t.release();
    expect(limiter.open).toBe(1);
    limiter.admit('again', inSite(40));
  });

  it('the gater: handshakes and finished connections of a /48 are capped at SITE_SHARE addresses\' worth', () => {
    const gater = new PendingInboundLimiter(3, 5);
    const pending = Array.from({ length: 40 }, (_, i) => connectionFrom(inSite(i)));
    const denied = pending.map((c) => gater.admit(c));
    expect(denied.filter((d) => !d)).toHaveLength(3 * SITE_SHARE);
    expect(gater.admit(connectionFrom(otherSite))).toBe(false);
    // Closing them gives the site's count back.
    for (const c of pending) c.end();
    expect(gater.admit(connectionFrom(inSite(50)))).toBe(false);
    const established = Array.from({ length: 40 }, (_, i) => connectionFrom(inSite(100 + i)));
    expect(established.map((c) => gater.admitEstablished(c)).filter((d) => !d)).toHaveLength(5 * SITE_SHARE);
    for (const c of established) c.end();
    expect(gater.admitEstablished(connectionFrom(inSite(200)))).toBe(false);
  });

  it('buffer shares: an IP\'s share refuses past its limit and charges the pool, given back in full', () => {
    const pool = new BufferBudget(1000);
    const shares = new BudgetShares();
    const a = shares.acquire('a', 300, pool);
    const b = shares.acquire('b', 300, pool);
    expect(a.budget.tryTakeUnverified(300)).toBe(true);
    expect(a.budget.tryTakeUnverified(1)).toBe(false);
    expect(pool.stats().used).toBe(300);
    expect(b.budget.tryTakeUnverified(300)).toBe(true);
    // The pool's own limit holds too.
    const c = shares.acquire('c', 600, pool);
    expect(c.budget.tryTakeUnverified(401)).toBe(false);
    expect(c.budget.tryTakeUnverified(400)).toBe(true);
    expect(pool.stats().used).toBe(1000);
    for (const [s, n] of [[a, 300], [b, 300], [c, 400]] as const) {
      s.budget.give(n, true);
      s.release();
    }
    expect(pool.stats()).toMatchObject({ used: 0, unverified: 0 });
    expect(shares.size).toBe(0);
  });
});
