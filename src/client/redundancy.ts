// What a satellite may ask of this client's memory through the redundancy scheme it hands out.
// The scheme is the satellite's choice: with k = 1 and n = 256 a segment's pieces are 256 times
// the segment, and a read that fetches every piece (a segment that does not open) or a cache of
// one codec per scheme grows with what the satellite says, not with what the client asked for.
import type { RedundancyScheme } from '../protocol/index.js';
import { ClientError, ClientErrorCode } from './errors.js';

/** Default most pieces per data piece (n / k) a client takes on; Storj's 29/110 is 3.8. */
export const DEFAULT_MAX_EXPANSION = 4;

/** Refuses a scheme whose n / k is over `maxExpansion`, before anything is allocated or fetched. */
export function checkExpansion(scheme: RedundancyScheme, maxExpansion: number, what: string): void {
  const { minimum: k, total } = scheme;
  if (!(k >= 1) || total > maxExpansion * k) {
    throw new ClientError(
      ClientErrorCode.RedundancyRefused,
      `${what}: the satellite's scheme ${k}/${total} expands the data ${k >= 1 ? (total / k).toFixed(1) : '∞'} times, more than the ${maxExpansion} this client takes on (ClientOptions.maxExpansion)`
    );
  }
}
