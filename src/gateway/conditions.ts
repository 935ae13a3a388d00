// S3's conditional requests and ranges, as plain functions: If-Match, If-None-Match,
// If-Modified-Since, If-Unmodified-Since (RFC 7232's order) and `Range: bytes=`.
import { S3Error } from './errors.js';

/** A header's list of ETags matches `etag` ('*' matches any). Quotes and W/ are ignored. */
export function etagMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return list.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return v === '*' || v === bare;
  });
}

/** Seconds since the epoch of an HTTP date; undefined when it does not parse (S3 ignores those). */
function httpDateSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export type ConditionOutcome = 'proceed' | 'not-modified';

/**
 * Checks the conditional headers (named with `prefix`: '' for GET/HEAD, 'x-amz-copy-source-' for
 * a copy's source) against the object: PreconditionFailed (412) when one fails, 'not-modified'
 * when GET/HEAD should answer 304.
 */
export function checkConditions(headers: Readonly<Record<string, string | undefined>>, etag: string, lastModified: Date, prefix = ''): ConditionOutcome {
  const ifMatch = headers[`${prefix}if-match`];
  const ifNoneMatch = headers[`${prefix}if-none-match`];
  const modified = Math.floor(lastModified.getTime() / 1000);
  const ifModifiedSince = httpDateSeconds(headers[`${prefix}if-modified-since`]);
  const ifUnmodifiedSince = httpDateSeconds(headers[`${prefix}if-unmodified-since`]);
  const failed = (): S3Error => new S3Error('PreconditionFailed', 412, 'at least one of the pre-conditions you specified did not hold');
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, etag)) throw failed();
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw failed();
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, etag)) {
      if (prefix) throw failed();
      return 'not-modified';
    }
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    if (prefix) throw failed();
    return 'not-modified';
  }
  return 'proceed';
}

/**
 * The byte range a `Range` header asks of an object of `size` bytes: undefined for the whole object
 * (no header, or one S3 ignores: not `bytes=`, or several ranges); InvalidRange (416) when it
 * lies outside the object.
 */
export function parseRange(header: string | undefined, size: number): { offset: number; length: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const unsatisfiable = (): S3Error => new S3Error('InvalidRange', 416, `the requested range '${header.slice(0, 60)}' is not satisfiable for an object of ${size} bytes`);
  if (m[1] === '') {
    // The last N bytes.
    const n = Number(m[2]);
    if (n === 0) throw unsatisfiable();
    const length = Math.min(n, size);
    if (length === 0) throw unsatisfiable();
    return { offset: size - length, length };
  }
  const first = Number(m[1]);
  if (first >= size) throw unsatisfiable();
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (last < first) return undefined;
  return { offset: first, length: last - first + 1 };
}
