// The Reed-Solomon redundancy profile of segments: k/repair/success/total.
import { ConfigError } from '../../common/index.js';

export interface RedundancyProfile {
  /** k: pieces needed to rebuild a segment. */
  minimum: number;
  /** Repair when healthy pieces fall to this. */
  repair: number;
  /** Pieces an upload must store. */
  success: number;
  /** Pieces an upload starts. */
  total: number;
}

export function parseProfile(text: string): RedundancyProfile {
  const parts = text.split('/').map(Number);
  const [minimum, repair, success, total] = parts;
  const ok =
    parts.length === 4 &&
    parts.every((n) => Number.isInteger(n) && n > 0) &&
    minimum! <= repair! &&
    repair! < success! &&
    success! <= total! &&
    total! <= 256;
  if (!ok) throw new ConfigError(`profile '${text}' must be k/repair/success/total with k <= repair < success <= total <= 256`);
  return { minimum: minimum!, repair: repair!, success: success!, total: total! };
}


/** The profile new segments get unless configured otherwise. */
export const DEFAULT_PROFILE = '29/35/80/110';
