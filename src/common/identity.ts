// A program's Ed25519 key (node or satellite): created on first start, kept in its data directory
// (mode 0600), reused after. Its peer id is the program's identity.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StowageError } from './errors.js';

export const IDENTITY_FILE = 'identity.key';

export async function loadOrCreateIdentity(dir: string): Promise<PrivateKey> {
  const file = join(dir, IDENTITY_FILE);
  try {
    return privateKeyFromProtobuf(await readFile(file));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') {
      throw new StowageError('IDENTITY_UNREADABLE', `cannot read the identity in ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = await generateKeyPair('Ed25519');
  const tmp = `${file}.tmp`;
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600, flush: true });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return key;
}
