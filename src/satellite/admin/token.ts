// The admin API's bearer token: 32 random bytes, base64url, created at the satellite's first start
// in DATA_DIR/admin.token (mode 0600, written to a temporary file and renamed, so a reader never
// sees half a token) and read from there after. Every /api/ request carries it as
// `Authorization: Bearer <token>`; delete the file and restart to change it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StowageError } from '../../common/index.js';

export const ADMIN_TOKEN_FILE = 'admin.token';
/** Shorter tokens in the file are refused (a guessable token is worse than none: it looks safe). */
const MIN_TOKEN_LENGTH = 32;

/** The token in `dataDir`, created (mode 0600) when there is none. */
export async function loadOrCreateAdminToken(dataDir: string): Promise<string> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      throw new StowageError('ADMIN_TOKEN_INVALID', `${file} must hold one token of at least ${MIN_TOKEN_LENGTH} characters (delete it and restart to make a new one)`);
    }
    await chmod(file, 0o600);
    return token;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${token}\n`, { mode: 0o600, flush: true });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return token;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * True when an Authorization header carries `token` as a bearer token. Compared in constant time
 * (over SHA-256 digests, so the length of the guess tells nothing either).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = m?.[1] ?? '';
  // Always one comparison, so a missing header costs what a wrong one does.
  const same = timingSafeEqual(digest(given), digest(token));
  return same && given.length > 0;
}
