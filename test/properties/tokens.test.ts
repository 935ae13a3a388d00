// Token amounts (src/satellite/payouts/tokens.ts): integer micro-tokens written as decimals with 6
// places. Models here are string arithmetic written independently of the code under test: the
// text of n is its digits padded to 7 and cut 6 from the end; the value of a decimal is its digits
// with the fraction padded to 6 places, read as one integer.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { TOKEN_DECIMALS, formatTokens, parseTokens } from '../../src/satellite/index.js';

const digits = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** Any bigint: small ones, ones around the unit, and huge ones. */
const amount = fc.oneof(fc.bigInt({ min: -(10n ** 8n), max: 10n ** 8n }), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.bigInt());

function modelFormat(n: bigint): string {
  const s = (n < 0n ? -n : n).toString().padStart(TOKEN_DECIMALS + 1, '0');
  return `${n < 0n ? '-' : ''}${s.slice(0, -TOKEN_DECIMALS)}.${s.slice(-TOKEN_DECIMALS)}`;
}

/** What the parser must accept (after trimming white space): -?digits(.digits{1,6})?, checked a character at a time. */
function wellFormed(text: string): boolean {
  const s = text.trim();
  let i = s.startsWith('-') ? 1 : 0;
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  const intStart = i;
  while (isDigit(s[i])) i++;
  if (i === intStart) return false;
  if (i === s.length) return true;
  if (s[i] !== '.') return false;
  const fracStart = ++i;
  while (isDigit(s[i])) i++;
  return i === s.length && i - fracStart >= 1 && i - fracStart <= TOKEN_DECIMALS;
}

it('format writes the model text; parse reads it back to the same amount', () => {
  fc.assert(
    fc.property(amount, (n) => {
      const text = formatTokens(n);
      expect(text).toBe(modelFormat(n));
      expect(parseTokens(text)).toBe(n);
    }),
    { numRuns: 500 }
  );
});

it('any well-formed decimal parses to its value, and formats to its canonical text', () => {
  const space = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', '\ufeff');
  fc.assert(
    fc.property(fc.boolean(), digits(1, 30), fc.option(digits(1, TOKEN_DECIMALS), { nil: undefined }), space, space, (negative, int, frac, before, after) => {
      const text = `${before}${negative ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${after}`;
      // The value: the digits with the fraction padded to 6 places, as one integer.
      const magnitude = BigInt(int + (frac ?? '').padEnd(TOKEN_DECIMALS, '0'));
      const value = negative ? -magnitude : magnitude;
      expect(parseTokens(text)).toBe(value);
      // Canonical: no leading zeros, 6 places, no sign on zero.
      const canonicalInt = int.replace(/^0+(?=\d)/, '');
      const canonical = `${negative && magnitude !== 0n ? '-' : ''}${canonicalInt}.${(frac ?? '').padEnd(TOKEN_DECIMALS, '0')}`;
      expect(formatTokens(parseTokens(text))).toBe(canonical);
      // And a canonical text is its own round trip.
      expect(formatTokens(parseTokens(canonical))).toBe(canonical);
    }),
    { numRuns: 500 }
  );
});

it('any other string is refused with TOKENS_INVALID', () => {
  // Strings near the grammar: pieces of it and of what it is not (signs, separators, exponents,
  // digits of other scripts, 7 decimals) in any order; one character of a well-formed amount
  // inserted, removed or replaced; and any strings at all.
  const piece = fc.constantFrom('-', '+', '.', '0', '7', '12', '123456', '1234567', ' ', 'e', 'E', 'x', ',', '_', '\u0660', '\uff11', 'n');
  const pieces = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
  const valid = fc.tuple(fc.boolean(), digits(1, 4), fc.option(digits(1, TOKEN_DECIMALS), { nil: undefined })).map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);
  const edited = fc.tuple(valid, fc.nat(), fc.constantFrom('insert', 'remove', 'replace'), piece).map(([v, at, how, c]) => {
    const i = at % (v.length + 1);
    return how === 'insert' ? v.slice(0, i) + c + v.slice(i) : how === 'remove' ? v.slice(0, i) + v.slice(i + 1) : v.slice(0, i) + c + v.slice(i + 1);
  });
  fc.assert(
    fc.property(fc.oneof(pieces, edited, fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 })), (text) => {
      let result: bigint | { code: string };
      try {
        result = parseTokens(text);
      } catch (err) {
        result = { code: (err as { code: string }).code };
      }
      if (wellFormed(text)) expect(typeof result).toBe('bigint');
      else expect(result).toEqual({ code: 'TOKENS_INVALID' });
    }),
    { numRuns: 400 }
  );
  for (const bad of ['', ' ', '.', '-', '1.', '.5', '+1', '1.1234567', '1e6', '1,5', '--1', '- 1', '1 2', '0x10', 'Infinity', 'NaN', '\uff11', '\u0661', '1_000', '-.1', '1..2']) {
    expect(() => parseTokens(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'TOKENS_INVALID' }) as Error);
  }
});
