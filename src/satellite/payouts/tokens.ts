// Tokens are the satellite's units: a decimal with 6 fixed places, held as integer micro-tokens
// (bigint) and written as text. Never floats.
import { StowageError } from '../../common/index.js';

export const TOKEN_DECIMALS = 6;
const SCALE = 10n ** BigInt(TOKEN_DECIMALS);

/** "1.5" -> 1500000n micro-tokens; at most 6 decimal places. */
export function parseTokens(text: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) throw new StowageError('TOKENS_INVALID', `'${text}' is not an amount of tokens (digits, at most ${TOKEN_DECIMALS} decimal places)`);
  const units = BigInt(m[2]!) * SCALE + BigInt((m[3] ?? '').padEnd(TOKEN_DECIMALS, '0'));
  return m[1] ? -units : units;
}

/** 1500000n -> "1.500000". */
export function formatTokens(units: bigint): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  return `${neg ? '-' : ''}${abs / SCALE}.${(abs % SCALE).toString().padStart(TOKEN_DECIMALS, '0')}`;
}
