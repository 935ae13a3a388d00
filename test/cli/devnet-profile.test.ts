// The devnet's redundancy profile for N nodes: valid (k <= repair < success <= total = N) and
// within what a client takes on by default (n / k <= maxExpansion, 4): 5 nodes once gave 1 of 5,
// which every default client refused with REDUNDANCY_REFUSED (hostile review 21, L4).
import { describe, expect, it } from 'vitest';
import { devnetProfile } from '../../src/cli/devnet.js';
import { DEFAULT_MAX_EXPANSION } from '../../src/client/index.js';
import { parseProfile } from '../../src/satellite/index.js';

describe('devnetProfile', () => {
  it('fits every node count from 3 to 100 and stays within the default expansion', () => {
    for (let n = 3; n <= 100; n++) {
      const p = parseProfile(devnetProfile(n));
      expect(p.total, `${n} nodes`).toBe(n);
      expect(p.total / p.minimum, `${n} nodes: ${devnetProfile(n)}`).toBeLessThanOrEqual(DEFAULT_MAX_EXPANSION);
      expect(p.success, `${n} nodes`).toBeGreaterThan(p.minimum);
    }
    expect(devnetProfile(5)).toBe('2/3/4/5');
    expect(devnetProfile(8)).toBe('2/4/6/8');
  });
});
